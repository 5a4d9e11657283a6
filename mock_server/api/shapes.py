"""Domain records -> the contract's JSON shapes (camelCase, RFC 3339 times, ISO dates).

The one place where snake_case becomes camelCase on the way out. `seq` (creation order)
is internal and never leaves.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from functools import lru_cache

from mock_server.ledger import records

INTERNAL_FIELDS = frozenset({"seq"})


@lru_cache(maxsize=256)
def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


_PLAIN_TYPES = frozenset({str, int, bool, float, type(None)})


def json_value(value):
    kind = type(value)
    if kind in _PLAIN_TYPES:
        return value
    if kind is dt.datetime:
        return value.astimezone(dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    if kind is dt.date:
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [json_value(item) for item in value]
    if isinstance(value, dict):
        return {camel(key): json_value(item) for key, item in value.items()}
    if dataclasses.is_dataclass(value):
        return _frozen_record_json(value)
    return value


@lru_cache(maxsize=128)
def _fields(record_type) -> tuple[tuple[str, str], ...]:
    """(field name, JSON name) of every public field of a record type."""
    return tuple((f.name, camel(f.name)) for f in dataclasses.fields(record_type)
                 if f.name not in INTERNAL_FIELDS)


RECORDS_CACHED_MAX = 200_000
_record_cache: dict[int, tuple[object, dict]] = {}
# Stored records live as long as the books keep them; reports are made anew per call.
CACHED_TYPES = frozenset({
    records.Company, records.Account, records.JournalEntry, records.JournalLine, records.Source,
    records.Bill, records.Invoice, records.BankAccount, records.BankTransaction,
    records.BankMatch, records.BankFeed, records.Reconciliation, records.CompanyJournalLine,
})


def _frozen_record_json(record) -> dict:
    """The JSON of a frozen record, computed once per record object.

    Records never change in place (a change is a new object), so the JSON of one object
    is fixed; the cache checks identity, so a recycled id() is never mistaken for it.
    Callers get a shallow copy and must not mutate nested values.
    """
    cached = _record_cache.get(id(record))
    if cached is not None and cached[0] is record:
        return cached[1]
    body = {json_name: json_value(getattr(record, name)) for name, json_name in _fields(type(record))}
    if type(record) not in CACHED_TYPES:
        return body
    if len(_record_cache) >= RECORDS_CACHED_MAX:
        _record_cache.clear()
    _record_cache[id(record)] = (record, body)
    return body


def record_json(record, **extra) -> dict:
    """Every public field of a frozen record, camelCased, plus `extra` (already JSON)."""
    body = dict(_frozen_record_json(record))
    body.update(extra)
    return body


def account_json(account, balance_cents: int) -> dict:
    return record_json(account, normalBalance=account.normal_balance,
                       isBankAccount=account.is_bank_account, balanceCents=balance_cents)


def entry_json(entry) -> dict:
    return record_json(entry, totalDebitCents=entry.total_debit_cents,
                       totalCreditCents=entry.total_credit_cents)


def document_json(document) -> dict:
    return record_json(document, status=document.status)


def company_json(company) -> dict:
    return record_json(company)


def receipt_json(receipt) -> dict:
    return record_json(receipt)


def page_json(items, next_cursor: str | None, to_json=record_json) -> dict:
    return {"data": [to_json(item) for item in items], "nextCursor": next_cursor}


def account_json_for(books):
    """account -> JSON with its live balance in `books`."""
    def to_json(account) -> dict:
        return account_json(account, books.account_balance_cents(account.id))
    return to_json


def bank_account_json_for(books):
    def to_json(bank_account) -> dict:
        return record_json(bank_account,
                           currentBalanceCents=books.bank_account_balance_cents(bank_account.id))
    return to_json
