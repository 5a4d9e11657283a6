"""Domain records -> the contract's JSON shapes (camelCase, RFC 3339 times, ISO dates).

The one place where snake_case becomes camelCase on the way out. `seq` (creation order)
is internal and never leaves.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from functools import lru_cache

INTERNAL_FIELDS = frozenset({"seq"})


@lru_cache(maxsize=256)
def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def json_value(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value):
        return record_json(value)
    if isinstance(value, (list, tuple)):
        return [json_value(item) for item in value]
    if isinstance(value, dict):
        return {camel(key): json_value(item) for key, item in value.items()}
    return value


@lru_cache(maxsize=128)
def _field_names(record_type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(record_type) if f.name not in INTERNAL_FIELDS)


def record_json(record, **extra) -> dict:
    """Every public field of a frozen record, camelCased, plus `extra` (already JSON)."""
    body = {camel(name): json_value(getattr(record, name)) for name in _field_names(type(record))}
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
