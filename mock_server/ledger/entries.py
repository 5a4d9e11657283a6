"""Journal entry rules (R3): line shape, accounts, balance, lifecycle draft -> posted -> voided.

Pure checks; the books call them before writing anything.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from mock_server.ledger.errors import (
    InvalidField, InvalidState, UnbalancedEntry, Unprocessable,
)
from mock_server.ledger.inputs import EntryInput, LineInput
from mock_server.ledger.money import parse_cents
from mock_server.ledger.records import Account, EntryStatus, JournalEntry, JournalLine
from mock_server.ledger.requests import LINES_MAX, LINES_MIN, TEXT_CHARS_MAX, parse_text


def check_entry_input(entry: EntryInput, accounts: Mapping[str, Account]) -> None:
    """Shape of a new entry (400) then its accounts (422). Balance is not checked here."""
    parse_text(entry.description, "description", TEXT_CHARS_MAX, allow_empty=True)
    if entry.reference is not None:
        parse_text(entry.reference, "reference", 200)
    check_line_inputs(entry.lines)
    check_accounts_usable([line.account_id for line in entry.lines], accounts, "lines")


def check_line_inputs(lines: Sequence[LineInput]) -> None:
    if not LINES_MIN <= len(lines) <= LINES_MAX:
        raise InvalidField("lines", f"must hold {LINES_MIN}..{LINES_MAX} lines")
    for index, line in enumerate(lines):
        debit, credit = line.debit_cents, line.credit_cents
        if (debit == 0) == (credit == 0):
            raise InvalidField(f"lines[{index}].debitCents",
                               "give exactly one of debitCents and creditCents, positive")
        side = "debitCents" if debit else "creditCents"
        parse_cents(debit or credit, f"lines[{index}].{side}")
        if type(line.debit_cents) is not int or type(line.credit_cents) is not int:
            raise InvalidField(f"lines[{index}].{side}", "must be integer cents")


def check_accounts_usable(account_ids: Sequence[str], accounts: Mapping[str, Account],
                          field: str) -> None:
    """Every account exists in this company and is not archived, else 422 UNPROCESSABLE."""
    for index, account_id in enumerate(account_ids):
        check_account_usable(account_id, accounts, f"{field}[{index}].accountId")


def check_account_usable(account_id: str, accounts: Mapping[str, Account], field: str) -> Account:
    account = accounts.get(account_id)
    if account is None:
        raise Unprocessable(f"Account {account_id!r} does not exist in this company; use an id "
                            "from the company's chart of accounts.", field, "unknown account")
    if account.archived:
        raise Unprocessable(f"Account {account_id!r} is archived; unarchive it or pick another "
                            "account.", field, "archived account")
    return account


def check_postable(lines: Sequence[JournalLine | LineInput], entry_id: str | None = None) -> None:
    """Posting needs balance (422 UNBALANCED_ENTRY) and two accounts at least (422)."""
    debit_cents = sum(line.debit_cents for line in lines)
    credit_cents = sum(line.credit_cents for line in lines)
    if debit_cents != credit_cents:
        raise UnbalancedEntry(debit_cents, credit_cents, entry_id)
    if len({line.account_id for line in lines}) < 2:
        raise Unprocessable("A posting must move money between two accounts at least; these "
                            "lines touch one account only.", "lines", "single account")


def check_can_post(entry: JournalEntry) -> None:
    if entry.status is not EntryStatus.DRAFT:
        raise InvalidState(entry.id, entry.status.value, "post",
                           "Only draft entries can be posted.")


def check_can_void(entry: JournalEntry) -> None:
    if entry.status is not EntryStatus.POSTED:
        raise InvalidState(entry.id, entry.status.value, "void",
                           "Only posted entries can be voided.")


def lines_net_by_account(lines: Sequence[JournalLine]) -> dict[str, int]:
    """Debits minus credits per account, in line order."""
    net: dict[str, int] = {}
    for line in lines:
        net[line.account_id] = net.get(line.account_id, 0) + line.debit_cents - line.credit_cents
    return net
