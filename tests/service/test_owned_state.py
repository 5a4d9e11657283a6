"""No hidden process-wide state: the record JSON cache belongs to its service, and creation
order is counted by each company's books, so the same fixtures always load the same way."""

from __future__ import annotations

from mock_server.service import SandboxService
from tests.api.helpers import COMPANY_ID


def test_the_record_json_cache_belongs_to_its_service():
    first, second = SandboxService.from_fixtures(), SandboxService.from_fixtures()
    entry = first.data.companies[COMPANY_ID].list_entries()[0]
    body = first.shapes.entry(entry)
    assert first.shapes.cache[id(entry)][0] is entry and second.shapes.cache == {}
    assert second.shapes.entry(entry) == body and id(entry) in second.shapes.cache


def test_creation_order_is_counted_per_company_books():
    first, second = SandboxService.from_fixtures(), SandboxService.from_fixtures()
    for company_id, books in first.data.companies.items():
        again = second.data.companies[company_id]
        assert [e.seq for e in books.list_entries()] == [e.seq for e in again.list_entries()]
        assert [a.seq for a in books.list_accounts()][0] == 1      # each company counts from 1
