"""The one write path: every write operation of the contract commits through
SandboxService.write and leaves no event unpublished; reads commit nothing; a failure
between begin and commit frees the Idempotency-Key."""

from __future__ import annotations

import asyncio

import pytest

from ledgerhq_contract import load_contract, operations, snake_case
from mock_server.ledger import POSTING_KINDS, PostingReceipt
from mock_server.service import SandboxService, Write
from mock_server.shapes import RecordJson
from tests.api.helpers import COMPANY_ID, posting_headers
from tests.api.operation_table import CANNED_REQUESTS, example_body
from tests.service.sandbox_writes import SANDBOX_WRITES

GET_THAT_WRITES = frozenset({"authorizeOAuth"})        # issues an authorization code
WRITE_NAME_BY_OPERATION = {                             # postings: the kind is the write's name
    operation: kind.name for kind in POSTING_KINDS
    for operation in (snake_case(f"create_{kind.name}"), snake_case(f"create_company_{kind.name}"))
}
PURCHASE = example_body("createCompanyPurchase")


def _operations(writes: bool) -> list[str]:
    found = []
    for method, _, operation in operations(load_contract()):
        operation_id = operation["operationId"]
        if (method != "get" or operation_id in GET_THAT_WRITES) == writes:
            found.append(operation_id)
    return found


def _canned(operation_id: str):
    return CANNED_REQUESTS.get(operation_id) or SANDBOX_WRITES[operation_id]


def test_every_write_operation_has_a_canned_request():
    assert sorted(o for o in _operations(writes=True) if o not in CANNED_REQUESTS) == sorted(SANDBOX_WRITES)


@pytest.mark.parametrize("operation_id", _operations(writes=True))
def test_every_write_commits_through_the_write_path_and_publishes(client, sandbox_app, operation_id):
    service = sandbox_app.service
    response = _canned(operation_id)(client)
    assert response.status_code < 400, response.text
    expected = WRITE_NAME_BY_OPERATION.get(snake_case(operation_id), snake_case(operation_id))
    assert service.journal.recent and service.journal.recent[-1][0] == expected, (
        f"{operation_id} wrote without SandboxService.write (last write: {list(service.journal.recent)[-1:]})")
    for books in service.data.companies.values():
        assert books.drain_events() == [], f"{operation_id} left events unpublished"
    assert service.outbox == []


@pytest.mark.parametrize("operation_id", [o for o in _operations(writes=False) if o in CANNED_REQUESTS])
def test_reads_commit_nothing(client, sandbox_app, operation_id):
    journal = sandbox_app.service.journal
    before = journal.count
    response = CANNED_REQUESTS[operation_id](client)
    assert response.status_code < 400, response.text
    assert journal.count == before, list(journal.recent)[-1:]


class ReceiptShapingFails(RecordJson):
    __slots__ = ()

    def record(self, record, **extra):
        if isinstance(record, PostingReceipt):
            raise RuntimeError("receipt shaping failed")
        return super().record(record, **extra)


def test_a_receipt_that_fails_to_shape_leaves_the_key_unused(client, sandbox_app):
    service = sandbox_app.service
    path = f"/api/v1/companies/{COMPANY_ID}/purchases"
    shapes, service.shapes = service.shapes, ReceiptShapingFails()
    failed = client.post(path, headers=posting_headers("shaping-1"), json=PURCHASE)
    service.shapes = shapes
    assert failed.status_code == 500
    assert not service.idempotency.in_flight(COMPANY_ID, "shaping-1")
    retried = client.post(path, headers=posting_headers("shaping-1"), json=PURCHASE)
    assert retried.status_code == 201 and retried.headers["idempotent-replayed"] == "false"


def test_a_key_that_fails_to_complete_is_freed_and_the_events_dropped():
    service = SandboxService.from_fixtures()
    books = service.data.companies[COMPANY_ID]
    kind = POSTING_KINDS[0]
    write = Write(kind.name, COMPANY_ID, PURCHASE, 201, idempotency_key="complete-1")

    def post():
        return books.post(kind.name, kind.parse(PURCHASE), service.now(books))

    def complete_fails(*args, **kwargs):
        raise RuntimeError("the store failed")

    store = service.idempotency
    store.complete, complete = complete_fails, store.complete
    with pytest.raises(RuntimeError):
        asyncio.run(service.write(write, post, service.shapes.record))
    assert not store.in_flight(COMPANY_ID, "complete-1") and books.drain_events() == []
    store.complete = complete
    done = asyncio.run(service.write(write, post, service.shapes.record))
    again = asyncio.run(service.write(write, post, service.shapes.record))
    assert (done.status, done.replayed) == (201, False)
    assert (again.answer, again.replayed) == (done.answer, True)


def test_a_committed_write_publishes_after_the_commit():
    service = SandboxService.from_fixtures()
    books = service.data.companies[COMPANY_ID]
    sent = []
    service.deliveries.enqueue = lambda event, webhook_id=None: sent.append(event.type) or True
    kind = POSTING_KINDS[0]
    done = asyncio.run(service.write(
        Write(kind.name, COMPANY_ID, PURCHASE, 201, idempotency_key="publish-1"),
        lambda: books.post(kind.name, kind.parse(PURCHASE), service.now(books)), service.shapes.record))
    assert sent[0] == "journal_entry.posted" and "bank_transaction.created" in sent
    assert service.journal.recent[-1] == (kind.name, COMPANY_ID) and done.answer["type"] == kind.name
    sent.clear()
    asyncio.run(service.write(Write(kind.name, COMPANY_ID, PURCHASE, 201, idempotency_key="publish-1"),
                              lambda: pytest.fail("a replay posts nothing")))
    assert sent == []                                   # a replay sends no event (R2)
