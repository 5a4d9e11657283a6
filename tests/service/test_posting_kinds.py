"""The one table of posting kinds matches the contract and drives the handlers: each kind
has its two routes (legacy and company path), both served by a handler named for the
operationId, and posting one makes a receipt and an entry of that kind."""

from __future__ import annotations

import pytest

from ledgerhq_contract import load_contract, operations
from mock_server.ledger import POSTING_KINDS
from mock_server.resolver import handler_for
from mock_server.service.faults import posting_operation_ids
from tests.api.helpers import ORG
from tests.api.operation_table import CANNED_REQUESTS


def _camel(name: str) -> str:
    return "".join(part.title() for part in name.split("_"))


def _posting_routes() -> dict[str, tuple[str, str]]:
    """operationId -> (method, path) of every operation taking an Idempotency-Key."""
    spec = load_contract()
    posting = posting_operation_ids(spec)
    return {op["operationId"]: (method, path) for method, path, op in operations(spec)
            if op["operationId"] in posting}


def test_the_table_names_every_posting_route_of_the_contract():
    expected = {}
    for kind in POSTING_KINDS:
        expected[f"create{_camel(kind.name)}"] = ("post", f"/api/v1/{kind.segment}")
        expected[f"createCompany{_camel(kind.name)}"] = ("post", f"/api/v1/companies/{{companyId}}/{kind.segment}")
    assert _posting_routes() == expected


@pytest.mark.parametrize("kind", POSTING_KINDS, ids=lambda kind: kind.name)
def test_each_kind_has_its_two_handlers(kind):
    for operation_id in (f"create{_camel(kind.name)}", f"createCompany{_camel(kind.name)}"):
        handler = handler_for(operation_id, "postings")
        assert handler.__name__ in (f"create_{kind.name}", f"create_company_{kind.name}")


@pytest.mark.parametrize("kind", POSTING_KINDS, ids=lambda kind: kind.name)
def test_posting_a_kind_makes_its_receipt_and_entry_types(client, kind):
    response = CANNED_REQUESTS[f"createCompany{_camel(kind.name)}"](client)
    assert response.status_code == 201, response.text
    receipt = response.json()
    assert receipt["type"] == kind.receipt_type
    entry = client.get(f"/api/v1/entries/{receipt['journalEntryId']}",
                       headers=ORG).json()
    assert entry["source"]["type"] == kind.source_type and entry["status"] == "posted"
