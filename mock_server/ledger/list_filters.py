"""Filters of the bank transaction and journal entry lists (R6): `status`, `bankAccountId`,
`startDate`/`endDate` (inclusive) and `updatedSince` (RFC 3339, compared at whole seconds, as
`updatedAt` is written). Every filter given must hold. A filter keeps the books' creation
order, so cursor pagination runs over the filtered list as over the whole one; `scope` is what
a cursor is bound to besides its list and company, so a cursor sent with other filters is 400.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from mock_server.ledger.errors import InvalidField
from mock_server.ledger.records import EntryStatus
from mock_server.ledger.requests import parse_date

BANK_TRANSACTION_STATUSES = ("unreviewed", "categorized", "matched", "reconciled", "excluded")
ENTRY_STATUSES = tuple(status.value for status in EntryStatus)
BANK_ACCOUNT_ID = re.compile(r"^[A-Za-z0-9_-]{1,100}$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")
UTC = dt.timezone.utc
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ListFilter:
    status: str | None = None
    bank_account_id: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    updated_since: dt.datetime | None = None        # UTC, whole seconds

    @property
    def is_empty(self) -> bool:
        return self == NO_FILTER

    @property
    def scope(self) -> str:
        """The filters as one canonical text (empty when none is given)."""
        if self.is_empty:
            return ""
        since = self.updated_since.isoformat() if self.updated_since else ""
        return "|".join((self.status or "", self.bank_account_id or "", str(self.start_date or ""),
                         str(self.end_date or ""), since))

    def keeps(self, item) -> bool:
        """`item` is a BankTransaction or a JournalEntry."""
        if self.status is not None and item.status != self.status:
            return False
        if self.bank_account_id is not None and item.bank_account_id != self.bank_account_id:
            return False
        if self.start_date is not None and item.date < self.start_date:
            return False
        if self.end_date is not None and item.date > self.end_date:
            return False
        return self.updated_since is None or whole_seconds(item.updated_at) >= self.updated_since


NO_FILTER = ListFilter()


def whole_seconds(moment: dt.datetime) -> dt.datetime:
    """UTC, microseconds dropped: the moment as `rfc3339` writes it."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


def parse_moment(value: object, field: str) -> dt.datetime:
    if type(value) is str and RFC3339.match(value):
        try:
            return whole_seconds(dt.datetime.fromisoformat(value.upper().replace("Z", "+00:00")))
        except ValueError:
            pass
    raise InvalidField(field, "must be an RFC 3339 date-time such as 2026-06-08T15:04:05Z")


def parse_status(value: object, statuses: Sequence[str]) -> str:
    if type(value) is str and value in statuses:
        return value
    raise InvalidField("status", f"must be one of {', '.join(statuses)}")


def parse_bank_account_id(value: object) -> str:
    if type(value) is str and BANK_ACCOUNT_ID.match(value):
        return value
    raise InvalidField("bankAccountId", "must be a bank account id (ba_...) of the company")


def list_filter(statuses: Sequence[str], status: object = None, bank_account_id: object = None,
                start_date: object = None, end_date: object = None,
                updated_since: object = None) -> ListFilter:
    """The filters of one list request (None: not given); InvalidField for a bad value."""
    wanted = ListFilter(
        None if status is None else parse_status(status, statuses),
        None if bank_account_id is None else parse_bank_account_id(bank_account_id),
        None if start_date is None else parse_date(start_date, "startDate"),
        None if end_date is None else parse_date(end_date, "endDate"),
        None if updated_since is None else parse_moment(updated_since, "updatedSince"))
    if wanted.start_date and wanted.end_date and wanted.start_date > wanted.end_date:
        raise InvalidField("startDate", "must not be after endDate")
    return wanted


def bank_transaction_filter(**given: object) -> ListFilter:
    return list_filter(BANK_TRANSACTION_STATUSES, **given)


def entry_filter(**given: object) -> ListFilter:
    if "bank_account_id" in given:
        raise InvalidField("bankAccountId", "is not a filter of journal entries")
    return list_filter(ENTRY_STATUSES, **given)


def filtered(items: Sequence[T], wanted: ListFilter) -> Sequence[T]:
    """The items `wanted` keeps, in their order (the same sequence when no filter is given)."""
    if wanted.is_empty:
        return items
    return [item for item in items if wanted.keeps(item)]
