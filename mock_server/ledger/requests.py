"""Request bodies (JSON, camelCase, as the contract spells them) -> typed inputs.

Each `*_from_json` collects every field issue and raises one InvalidField listing
them all in `details` (400 VALIDATION_ERROR). Money passes through `parse_cents`.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from functools import partial
from typing import TypeVar

from mock_server.ledger import inputs as i
from mock_server.ledger.errors import Detail, InvalidField, LedgerError
from mock_server.ledger.money import parse_cents, parse_currency

T = TypeVar("T")
TEXT_CHARS_MAX = 1000
NAME_CHARS_MAX = 200
REFERENCE_CHARS_MAX = 100
LINES_MIN, LINES_MAX = 2, 500
ALLOCATIONS_MAX = 50
MISSING = object()


class Fields:
    """Reads one JSON object, remembering every issue instead of stopping at the first."""

    def __init__(self, body: object, prefix: str = "", issues: list[Detail] | None = None) -> None:
        self.issues: list[Detail] = [] if issues is None else issues
        self.prefix = prefix
        self.body: Mapping[str, object] = body if isinstance(body, Mapping) else {}
        if not isinstance(body, Mapping):
            self.issues.append((prefix or "body", "must be a JSON object"))

    def _name(self, key: str) -> str:
        return f"{self.prefix}.{key}" if self.prefix else key

    def _read(self, key: str, required: bool, parse: Callable[[object, str], T]) -> T | None:
        value = self.body.get(key, MISSING)
        if value is MISSING or (value is None and not required):
            if required:
                self.issues.append((self._name(key), "is required"))
            return None
        try:
            return parse(value, self._name(key))
        except LedgerError as error:
            self.issues.extend(error.details)
            return None

    def text(self, key: str, required: bool = True, chars_max: int = TEXT_CHARS_MAX,
             allow_empty: bool = False) -> str | None:
        return self._read(key, required, lambda v, f: parse_text(v, f, chars_max, allow_empty))

    def cents(self, key: str, required: bool = True) -> int | None:
        return self._read(key, required, parse_cents)

    def date(self, key: str, required: bool = True) -> dt.date | None:
        return self._read(key, required, parse_date)

    def boolean(self, key: str) -> bool | None:
        return self._read(key, False, parse_bool)

    def items(self, key: str, count_min: int, count_max: int) -> list[Fields]:
        value = self.body.get(key, MISSING)
        if type(value) is not list or not count_min <= len(value) <= count_max:
            self.issues.append((self._name(key), f"must be a list of {count_min}..{count_max} items"))
            return []
        return [Fields(item, f"{self._name(key)}[{n}]", self.issues) for n, item in enumerate(value)]

    def done(self, build: Callable[[], T]) -> T:
        self._read("currency", False, lambda v, f: parse_currency(v, f))
        if self.issues:
            raise InvalidField.many(self.issues)
        return build()


def parse_text(value: object, field: str, chars_max: int = TEXT_CHARS_MAX,
               allow_empty: bool = False) -> str:
    if type(value) is not str or len(value) > chars_max or (not allow_empty and not value.strip()):
        raise InvalidField(field, f"must be a {'' if allow_empty else 'non-empty '}string of at "
                                  f"most {chars_max} characters")
    return value


def parse_date(value: object, field: str) -> dt.date:
    if type(value) is str and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidField(field, "must be a calendar date YYYY-MM-DD")


def parse_bool(value: object, field: str) -> bool:
    if type(value) is not bool:
        raise InvalidField(field, "must be true or false")
    return value


def line_from_fields(f: Fields) -> i.LineInput | None:
    account_id = f.text("accountId", chars_max=NAME_CHARS_MAX)
    debit, credit = f.cents("debitCents", required=False), f.cents("creditCents", required=False)
    has_debit = f.body.get("debitCents") is not None
    has_credit = f.body.get("creditCents") is not None
    if has_debit == has_credit:
        f.issues.append((f._name("debitCents"), "give exactly one of debitCents and creditCents"))
    description = f.text("description", required=False, allow_empty=True)
    if account_id is None or (debit is None and credit is None):
        return None
    return i.LineInput(account_id, debit or 0, credit or 0, description)


def entry_from_json(body: object) -> i.EntryInput:
    """POST /entries and POST /journal-entries: {date, description, reference?, lines}."""
    f = Fields(body)
    date, description = f.date("date"), f.text("description", allow_empty=True)
    reference = f.text("reference", required=False, chars_max=REFERENCE_CHARS_MAX)
    lines = [line_from_fields(item) for item in f.items("lines", LINES_MIN, LINES_MAX)]
    return f.done(lambda: i.EntryInput(date, description, tuple(lines), reference))


def _common(f: Fields) -> tuple[str | None, str | None]:
    return (f.text("description", required=False, allow_empty=True),
            f.text("reference", required=False, chars_max=REFERENCE_CHARS_MAX))


def categorized_from_json(body: object, account_field: str) -> i.CategorizedInput:
    """A purchase (`account_field` sourceAccountId) or a deposit (destinationAccountId)."""
    f = Fields(body)
    date, account, category = f.date("date"), f.text(account_field), f.text("categoryAccountId")
    amount, (description, reference) = f.cents("amountCents"), _common(f)
    contact = f.text("contactName", required=False, chars_max=NAME_CHARS_MAX, allow_empty=True)
    return f.done(lambda: i.CategorizedInput(date, account, category, amount, description,
                                             reference, contact))


purchase_from_json = partial(categorized_from_json, account_field="sourceAccountId")
deposit_from_json = partial(categorized_from_json, account_field="destinationAccountId")


def transfer_from_json(body: object) -> i.TransferInput:
    f = Fields(body)
    date, from_id, to_id = f.date("date"), f.text("fromAccountId"), f.text("toAccountId")
    amount, (description, reference) = f.cents("amountCents"), _common(f)
    return f.done(lambda: i.TransferInput(date, from_id, to_id, amount, description, reference))


def bill_payment_from_json(body: object) -> i.BillPaymentInput:
    f = Fields(body)
    date, source, amount = f.date("date"), f.text("sourceAccountId"), f.cents("amountCents")
    allocations = [i.AllocationInput(a.text("billId"), a.cents("amountCents"))
                   for a in f.items("allocations", 1, ALLOCATIONS_MAX)]
    description, reference = _common(f)
    return f.done(lambda: i.BillPaymentInput(date, source, amount, tuple(allocations),
                                             description, reference))


def account_from_json(body: object) -> i.AccountInput:
    f = Fields(body)
    code, name = f.text("code", chars_max=20), f.text("name", chars_max=NAME_CHARS_MAX)
    kind, subtype = f.text("type"), f.text("subtype", required=False)
    description = f.text("description", required=False, allow_empty=True)
    return f.done(lambda: i.AccountInput(code, name, kind, subtype, description))


def account_patch_from_json(body: object) -> i.AccountPatch:
    f = Fields(body)
    code = f.text("code", required=False, chars_max=20)
    name = f.text("name", required=False, chars_max=NAME_CHARS_MAX)
    description = f.text("description", required=False, allow_empty=True)
    archived, kind = f.boolean("archived"), f.text("type", required=False)
    return f.done(lambda: i.AccountPatch(code, name, description, archived, kind))


def bank_account_from_json(body: object) -> i.BankAccountInput:
    f = Fields(body)
    name, kind = f.text("name", chars_max=NAME_CHARS_MAX), f.text("type")
    mask = f.text("mask", required=False, chars_max=8)
    institution = f.text("institutionName", required=False, chars_max=NAME_CHARS_MAX)
    account_id = f.text("accountId", required=False, chars_max=NAME_CHARS_MAX)
    return f.done(lambda: i.BankAccountInput(name, kind, mask, institution, account_id))


def document_from_json(body: object) -> i.DocumentInput:
    """Sandbox bills/invoices: {number, contactName, date, dueDate?, totalCents, accountId}."""
    f = Fields(body)
    number, contact = f.text("number", chars_max=NAME_CHARS_MAX), f.text("contactName")
    date, due = f.date("date"), f.date("dueDate", required=False)
    total, account_id = f.cents("totalCents"), f.text("accountId")
    return f.done(lambda: i.DocumentInput(number, contact, date, due or date + dt.timedelta(30),
                                          total, account_id))


def feed_rows_from_json(rows: object) -> list[i.FeedRow]:
    """Sandbox sync rows: [{date, amountCents, direction, description, merchantName?}]."""
    f = Fields({"rows": rows})
    parsed = [(r.date("date"), r.cents("amountCents"), r.text("direction"),
               r.text("description", allow_empty=True),
               r.text("merchantName", required=False, chars_max=NAME_CHARS_MAX))
              for r in f.items("rows", 1, 500)]
    return f.done(lambda: [i.FeedRow(*row) for row in parsed])


def reclassify_from_json(body: object) -> i.ReclassifyInput:
    f = Fields(body)
    account_id = f.text("accountId")
    contact, tax = f.text("contactName", required=False), f.text("taxCode", required=False)
    reason = f.text("reason", required=False, allow_empty=True)
    return f.done(lambda: i.ReclassifyInput(account_id, contact, tax, reason))


def match_from_json(body: object) -> i.DocumentAllocation:
    """Match: {documentType, documentId}; the amount is the transaction's (filled by the books)."""
    f = Fields(body)
    kind, document_id = f.text("documentType"), f.text("documentId")
    return f.done(lambda: i.DocumentAllocation(kind, document_id, 0))


def split_from_json(body: object) -> list[i.DocumentAllocation]:
    f = Fields(body)
    allocations = [(a.text("documentType"), a.text("documentId"), a.cents("amountCents"))
                   for a in f.items("allocations", 2, ALLOCATIONS_MAX)]
    return f.done(lambda: [i.DocumentAllocation(*a) for a in allocations])


def statement_date_from_json(body: object) -> dt.date | None:
    f = Fields(body if body is not None else {})
    statement_date = f.date("statementDate", required=False)
    return f.done(lambda: statement_date)
