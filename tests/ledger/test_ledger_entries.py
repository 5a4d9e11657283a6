import datetime as dt

import pytest

from mock_server.ledger import (
    AccountPatch, DocumentInput, EntryInput, EntryStatus, InvalidField, InvalidState, LineInput, UnbalancedEntry,
    Unprocessable,
)
from tests.ledger.books_yaml import NOW, balances_snapshot, books_from_yaml

DAY = dt.date(2026, 3, 1)

UNBALANCED_DRAFT_YAML = """\
accounts:
  - {id: acc_cash, code: "1000", name: Cash, type: asset}
  - {id: acc_sales, code: "4000", name: Sales, type: income}
entries:
  - id: je_1
    date: "2026-03-01"
    description: Typo in the credit
    status: draft
    lines:
      - {accountId: acc_cash, debitCents: 1000}
      - {accountId: acc_sales, creditCents: 100}
"""


def entry(*lines: LineInput, day: dt.date = DAY) -> EntryInput:
    return EntryInput(day, "test", tuple(lines))


def test_unbalanced_draft_is_saved_but_cannot_post() -> None:
    books = books_from_yaml(UNBALANCED_DRAFT_YAML)
    assert books.get_entry("je_1").status is EntryStatus.DRAFT
    with pytest.raises(UnbalancedEntry) as caught:
        books.post_entry("je_1", NOW)
    assert "je_1" in caught.value.message and caught.value.kind == "UNBALANCED_ENTRY"
    assert books.get_entry("je_1").status is EntryStatus.DRAFT
    assert books.trial_balance(DAY).rows == ()


def test_balanced_draft_posts_and_counts() -> None:
    books = books_from_yaml()
    draft = books.create_draft(entry(LineInput("acc_rent", debit_cents=700),
                                     LineInput("acc_cash", credit_cents=700)), NOW)
    assert books.account_balance_cents("acc_rent") == 0        # drafts count nowhere
    posted = books.post_entry(draft.id, NOW)
    assert posted.status is EntryStatus.POSTED and posted.posted_at == NOW
    assert books.account_balance_cents("acc_rent") == 700
    assert books.account_balance_cents("acc_cash") == 100000 - 700


def test_only_drafts_post_and_only_posted_entries_void() -> None:
    books = books_from_yaml()
    with pytest.raises(InvalidState):
        books.post_entry("je_open", NOW)                          # posted already
    books.void_entry("je_open", NOW)
    with pytest.raises(InvalidState):
        books.void_entry("je_open", NOW)                          # voided already
    with pytest.raises(InvalidState):
        books.post_entry("je_open", NOW)
    draft = books.create_draft(entry(LineInput("acc_rent", debit_cents=1),
                                     LineInput("acc_cash", credit_cents=1)), NOW)
    with pytest.raises(InvalidState) as caught:
        books.void_entry(draft.id, NOW)
    assert caught.value.kind == "INVALID_STATE"


def test_voided_entry_counts_nowhere_and_leaves_the_register() -> None:
    books = books_from_yaml()
    books.void_entry("je_open", NOW)
    assert books.trial_balance(dt.date(2027, 1, 1)).rows == ()
    assert books.general_ledger(dt.date(2026, 1, 1), dt.date(2026, 12, 31)).accounts == ()
    assert [t.status for t in books.list_bank_transactions()] == ["excluded"]
    kinds = [event.type for event in books.drain_events()]
    assert kinds == ["journal_entry.voided", "bank_transaction.updated"]


def test_posting_that_touches_one_account_is_unprocessable() -> None:
    books = books_from_yaml()
    draft = books.create_draft(entry(LineInput("acc_cash", debit_cents=5),
                                     LineInput("acc_cash", credit_cents=5)), NOW)
    before = balances_snapshot(books)
    with pytest.raises(Unprocessable):
        books.post_entry(draft.id, NOW)
    assert balances_snapshot(books) == before


def test_unknown_and_archived_accounts_are_unprocessable() -> None:
    books = books_from_yaml()
    with pytest.raises(Unprocessable) as caught:
        books.create_draft(entry(LineInput("acc_nope", debit_cents=5),
                                 LineInput("acc_cash", credit_cents=5)), NOW)
    assert caught.value.details[0][0] == "lines[0].accountId"
    draft = books.create_draft(entry(LineInput("acc_supplies", debit_cents=5),
                                     LineInput("acc_cash", credit_cents=5)), NOW)
    books.update_account("acc_supplies", AccountPatch(archived=True), NOW)
    with pytest.raises(Unprocessable):
        books.post_entry(draft.id, NOW)


@pytest.mark.parametrize("line", [LineInput("acc_cash", 0, 0), LineInput("acc_cash", 5, 5),
                                  LineInput("acc_cash", -5, 0), LineInput("acc_cash", True, 0)])
def test_each_line_has_exactly_one_positive_side(line: LineInput) -> None:
    books = books_from_yaml()
    with pytest.raises(InvalidField):
        books.create_draft(entry(line, LineInput("acc_rent", credit_cents=5)), NOW)


def test_line_count_bounds_in_the_books() -> None:
    books = books_from_yaml()
    with pytest.raises(InvalidField):
        books.create_draft(entry(LineInput("acc_cash", debit_cents=5)), NOW)
    many = [LineInput("acc_cash", debit_cents=1), LineInput("acc_rent", credit_cents=1)] * 250
    assert len(books.create_draft(entry(*many), NOW).lines) == 500
    with pytest.raises(InvalidField):
        books.create_draft(entry(*many, LineInput("acc_cash", debit_cents=1)), NOW)


def test_bill_entries_cannot_be_voided_directly() -> None:
    books = books_from_yaml()
    bill = books.create_bill(DocumentInput("B-1", "Vendor", DAY, DAY, 500, "acc_rent"), NOW)
    with pytest.raises(InvalidState):
        books.void_entry(bill.journal_entry_id, NOW)
