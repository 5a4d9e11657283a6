"""The list filters as the ledger applies them: every filter given must hold, dates inclusive,
`updatedSince` at whole seconds, bad values refused with the field named."""
from __future__ import annotations

import datetime as dt

import pytest

from mock_server.ledger.errors import InvalidField
from mock_server.ledger.list_filters import NO_FILTER, bank_transaction_filter, entry_filter, filtered
from mock_server.ledger.records import EntryStatus, JournalEntry, Source

UTC = dt.timezone.utc


def entry(number: int, day: str, status: EntryStatus, updated_at: dt.datetime) -> JournalEntry:
    return JournalEntry(f"je_{number}", "cmp_x", dt.date.fromisoformat(day), "", None, status, (), Source("manual"),
                        updated_at, updated_at, seq=number)


MOMENT = dt.datetime(2026, 6, 8, 15, 4, 5, 900_000, tzinfo=UTC)
ENTRIES = [entry(1, "2026-06-01", EntryStatus.DRAFT, MOMENT - dt.timedelta(seconds=1)),
           entry(2, "2026-06-02", EntryStatus.POSTED, MOMENT),
           entry(3, "2026-06-03", EntryStatus.POSTED, MOMENT + dt.timedelta(hours=1))]


def ids(wanted) -> list[str]:
    return [item.id for item in filtered(ENTRIES, wanted)]


def test_filters_combine_and_keep_the_order() -> None:
    assert filtered(ENTRIES, NO_FILTER) is ENTRIES
    assert ids(entry_filter(status="posted")) == ["je_2", "je_3"]
    assert ids(entry_filter(start_date="2026-06-02", end_date="2026-06-02")) == ["je_2"]
    assert ids(entry_filter(end_date="2026-06-02", status="posted")) == ["je_2"]
    assert ids(entry_filter(start_date="2026-06-04")) == []


def test_updated_since_compares_whole_seconds_in_utc() -> None:
    assert ids(entry_filter(updated_since="2026-06-08T15:04:05Z")) == ["je_2", "je_3"]
    assert ids(entry_filter(updated_since="2026-06-08T15:04:05.999Z")) == ["je_2", "je_3"]
    assert ids(entry_filter(updated_since="2026-06-08T17:04:06+02:00")) == ["je_3"]


@pytest.mark.parametrize(("given", "field"), [
    ({"status": "open"}, "status"), ({"status": "excluded"}, "status"), ({"start_date": "2026-6-1"}, "startDate"),
    ({"end_date": "2026-02-30"}, "endDate"), ({"updated_since": "2026-06-08T15:04:05"}, "updatedSince"),
    ({"start_date": "2026-06-03", "end_date": "2026-06-02"}, "startDate"),
    ({"bank_account_id": "ba_1"}, "bankAccountId"),
])
def test_bad_entry_filters_name_their_field(given, field) -> None:
    with pytest.raises(InvalidField) as refused:
        entry_filter(**given)
    assert refused.value.field == field


def test_a_cursor_scope_names_every_filter() -> None:
    assert NO_FILTER.scope == ""
    scopes = {bank_transaction_filter(status="matched").scope, bank_transaction_filter(bank_account_id="ba_1").scope,
              bank_transaction_filter(updated_since="2026-06-08T15:04:05Z").scope,
              bank_transaction_filter(start_date="2026-06-01").scope, bank_transaction_filter(end_date="2026-06-01").scope}
    assert len(scopes) == 5 and "" not in scopes
