"""Domain records -> the contract's JSON shapes (camelCase, RFC 3339 times, ISO dates).

The one place where snake_case becomes camelCase on the way out; no web framework here,
so the service shapes webhook event data with it too. `seq` (creation order) and a
document's `document_type` are internal and never leave.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from functools import lru_cache

from mock_server.clock import rfc3339
from mock_server.ledger import records
from mock_server.ledger.line_block import LineBlock

INTERNAL_FIELDS = frozenset({"seq"})
INTERNAL_FIELDS_BY_TYPE = {records.Document: frozenset({"document_type"})}   # its route says it
RECORDS_CACHED_MAX = 10_000          # JSON kept for records read (lists, gets); bounded memory
# Stored records live as long as the books keep them; reports are made anew per call, and so
# are journal lines (an entry packs them and makes a new record on each read).
CACHED_TYPES = frozenset({
    records.Company, records.Account, records.JournalEntry, records.Source,
    records.Document, records.BankAccount, records.BankTransaction,
    records.BankMatch, records.BankFeed, records.Reconciliation,
})
_PLAIN_TYPES = frozenset({str, int, bool, float, type(None)})


@lru_cache(maxsize=256)
def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


@lru_cache(maxsize=128)
def _fields(record_type) -> tuple[tuple[str, str], ...]:
    """(field name, JSON name) of every public field of a record type (a pure function)."""
    internal = INTERNAL_FIELDS | INTERNAL_FIELDS_BY_TYPE.get(record_type, frozenset())
    return tuple((f.name, camel(f.name)) for f in dataclasses.fields(record_type)
                 if f.name not in internal)


class RecordJson:
    """Shapes records as JSON, keeping the JSON of each stored frozen record once made.

    Records never change in place (a change is a new object), so the JSON of one object is
    fixed; `cache` (id -> (record, JSON)) checks identity, so a recycled id() is never taken
    for it. The service owns one; callers get a shallow copy and must not mutate nested values.
    """

    __slots__ = ("cache", "totals", "cached_max")

    def __init__(self, cached_max: int = RECORDS_CACHED_MAX) -> None:
        self.cache: dict[int, tuple[object, dict]] = {}
        self.totals: dict[int, tuple[object, dict]] = {}     # entries' JSON with their totals
        self.cached_max = cached_max

    def value(self, value):
        kind = type(value)
        if kind in _PLAIN_TYPES:
            return value
        if kind is dt.datetime:
            return rfc3339(value)
        if kind is dt.date:
            return value.isoformat()
        if isinstance(value, enum.Enum):
            return value.value
        if isinstance(value, (list, tuple, LineBlock)):
            return [self.value(item) for item in value]
        if isinstance(value, dict):
            return {camel(key): self.value(item) for key, item in value.items()}
        if dataclasses.is_dataclass(value):
            return self._frozen_record(value)
        return value

    def _frozen_record(self, record) -> dict:
        cached = self.cache.get(id(record))
        if cached is not None and cached[0] is record:
            return cached[1]
        body = {}
        for name, json_name in _fields(type(record)):
            value = getattr(record, name)
            body[json_name] = value if type(value) in _PLAIN_TYPES else self.value(value)
        if type(record) not in CACHED_TYPES:
            return body
        if len(self.cache) >= self.cached_max:
            self.cache.clear()
        self.cache[id(record)] = (record, body)
        return body

    def record(self, record, **extra) -> dict:
        """Every public field of a frozen record, camelCased, plus `extra` (already JSON)."""
        body = dict(self._frozen_record(record))
        body.update(extra)
        return body

    def account(self, account, balance_cents: int) -> dict:
        return self.record(account, normalBalance=account.normal_balance,
                           isBankAccount=account.is_bank_account, balanceCents=balance_cents)

    def entry(self, entry) -> dict:
        """An entry with its totals. They are sums over its lines, fixed with the record, so the
        whole JSON is kept (in `totals`, bounded like `cache`): a list page sums no lines."""
        kept = self.totals.get(id(entry))
        if kept is not None and kept[0] is entry:
            return dict(kept[1])
        body = self.record(entry, totalDebitCents=entry.total_debit_cents,
                           totalCreditCents=entry.total_credit_cents)
        if len(self.totals) >= self.cached_max:
            self.totals.clear()
        self.totals[id(entry)] = (entry, body)
        return dict(body)

    def document(self, document) -> dict:
        return self.record(document, status=document.status)

    def event_data(self, event: records.DomainEvent) -> dict:
        """A domain event's resource as webhook `data`, made without keeping it: every posting
        has its event, and keeping the JSON of each posted entry would cost more than the entry."""
        data = event.data
        body = {json_name: self.value(getattr(data, name)) for name, json_name in _fields(type(data))}
        if isinstance(data, records.JournalEntry):
            body.update(totalDebitCents=data.total_debit_cents, totalCreditCents=data.total_credit_cents)
        return body

    def page(self, items, next_cursor: str | None, to_json=None) -> dict:
        to_json = to_json or self.record
        return {"data": [to_json(item) for item in items], "nextCursor": next_cursor}

    def account_for(self, books):
        """account -> JSON with its live balance in `books`."""
        def to_json(account) -> dict:
            return self.account(account, books.account_balance_cents(account.id))
        return to_json

    def bank_account_for(self, books):
        def to_json(bank_account) -> dict:
            return self.record(bank_account,
                               currentBalanceCents=books.bank_account_balance_cents(bank_account.id))
        return to_json
