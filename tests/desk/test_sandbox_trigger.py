"""Triggered events (POST /api/v1/sandbox/companies/{companyId}/events), like `stripe trigger`:
each event type makes its real change through the one write path, and every subscription of
the company listening for the type receives the event (receivers on 127.0.0.1 only)."""

from __future__ import annotations

import json
import time

import pytest

from ledgerhq_contract import load_contract
from mock_server.app import create_app
from mock_server.ledger.triggers import CHANGE_BY_EVENT_TYPE
from mock_server.service import SandboxService
from mock_server.webhooks.events import EVENT_TYPES
from mock_server.webhooks.hosts import LOOPBACK_HOSTS
from tests.api.helpers import AUTH, COMPANY_ID, ORGANIZATION_ID, OTHER_FIRM_TOKEN
from tests.support.contract_client import ContractClient

EVENTS = f"/api/v1/sandbox/companies/{COMPANY_ID}/events"
ORG = {**AUTH, "x-organization-id": ORGANIZATION_ID}
WAIT_S = 10.0
CONTRACT_TYPES = load_contract()["components"]["schemas"]["WebhookEventType"]["enum"]


def subscribe(client, url: str, events: list[str]) -> dict:
    made = client.post("/api/v1/webhooks", headers=ORG, json={"url": url, "events": events})
    assert made.status_code == 201, made.text
    return made.json()


def received_events(receiver, count: int) -> list[dict]:
    assert receiver.wait_for(count, WAIT_S), f"{len(receiver.requests)} of {count} deliveries arrived"
    return [json.loads(request.body) for request in receiver.requests]


def test_every_declared_event_type_has_a_change():
    assert set(CONTRACT_TYPES) == set(EVENT_TYPES) == set(CHANGE_BY_EVENT_TYPE)
    operation = load_contract()["paths"]["/api/v1/sandbox/companies/{companyId}/events"]["post"]
    for event_type in CONTRACT_TYPES:
        assert f"`{event_type}`:" in operation["description"], f"the contract says nothing of {event_type}"


def check_change(client, event_type: str, answer: dict) -> None:
    """The change behind the event is in the books, as the partner routes show it."""
    entries, rows = answer["journalEntryIds"], answer["bankTransactionIds"]
    data = answer["event"]["data"]
    if event_type.startswith("journal_entry."):
        entry = client.get(f"/api/v1/companies/{COMPANY_ID}/journal-entries", headers=AUTH,
                           params={"limit": 200}).json()["data"]
        found = {item["id"]: item["status"] for item in entry}
        assert found.get(entries[0]) == event_type.split(".")[1] == data["status"], found.get(entries[0])
    elif event_type.startswith("bank_transaction."):
        listed = client.get(f"/api/v1/companies/{COMPANY_ID}/bank-transactions", headers=AUTH,
                            params={"limit": 200}).json()["data"]
        row = next(item for item in listed if item["id"] == rows[0])
        assert row["sourceType"] == "plaid_bank_feed" and row["journalEntryId"] == entries[0]
        assert row["status"] == ("unreviewed" if event_type.endswith("created") else "categorized")
        assert data["id"] == rows[0] and data["status"] == row["status"]
    else:
        assert entries == rows == []


@pytest.mark.parametrize("event_type", CONTRACT_TYPES)
def test_the_trigger_makes_its_change_and_the_subscriber_gets_the_event(client, receiver_factory, event_type):
    listening, other = receiver_factory([]), receiver_factory([])
    subscribe(client, listening.url, [event_type])
    subscribe(client, other.url, [t for t in CONTRACT_TYPES if not t.startswith(event_type.split(".")[0])])
    response = client.post(EVENTS, headers=AUTH, json={"type": event_type})
    assert response.status_code == 201, response.text
    answer = response.json()
    assert answer["event"]["type"] == event_type and answer["event"]["companyId"] == COMPANY_ID
    check_change(client, event_type, answer)
    events = received_events(listening, 1)
    assert [event["id"] for event in events] == [answer["event"]["id"]]
    assert events[0] == answer["event"]
    time.sleep(0.2)
    assert [json.loads(r.body)["type"] for r in other.requests if json.loads(r.body)["type"] == event_type] == []


def test_another_firm_cannot_trigger_in_this_company(client):
    foreign = client.post(EVENTS, headers={"Authorization": f"Bearer {OTHER_FIRM_TOKEN}"},
                          json={"type": "journal_entry.posted"})
    assert foreign.status_code == 404 and foreign.json()["error"]["code"] == "NOT_FOUND"
    assert client.post(EVENTS, json={"type": "journal_entry.posted"}).status_code == 401


@pytest.mark.parametrize("body", [{}, {"type": "invoice.paid"}, {"type": None}, {"type": 3},
                                  {"type": "webhook.test", "extra": 1}, [], "journal_entry.posted"])
def test_bad_bodies_are_structured_400s_and_change_nothing(client, sandbox_app, body):
    before = sandbox_app.service.journal.count
    response = client.post(EVENTS, headers=AUTH, json=body)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert sandbox_app.service.journal.count == before


def test_a_company_without_a_bank_account_is_422_and_nothing_changes(client, sandbox_app):
    books = sandbox_app.service.data.companies[COMPANY_ID]
    saved, books.bank_accounts = books.bank_accounts, {}
    try:
        before = len(books.entries)
        refused = client.post(EVENTS, headers=AUTH, json={"type": "bank_transaction.updated"})
        assert refused.status_code == 422 and refused.json()["error"]["code"] == "UNPROCESSABLE"
        assert len(books.entries) == before and books.drain_events() == []
    finally:
        books.bank_accounts = saved


def test_advancing_the_clock_sends_a_due_retry_at_once(receiver_factory):
    """A retry waits its real delay (60 s here) or until the firm's clock passes its time."""
    receiver = receiver_factory([500])
    service = SandboxService.from_fixtures(webhook_retry_base_s=60.0, webhook_hosts=LOOPBACK_HOSTS)
    with ContractClient(create_app(service=service), base_url="http://127.0.0.1:8080") as client:
        hook = subscribe(client, receiver.url, ["webhook.test"])
        client.post(EVENTS, headers=AUTH, json={"type": "webhook.test"})
        assert receiver.wait_for(1, WAIT_S)
        log = client.get(f"/api/v1/sandbox/webhooks/{hook['id']}/deliveries", headers=AUTH).json()["data"]
        assert log[0]["status"] == "failed" and log[0]["nextAttemptAt"] is not None
        started = time.monotonic()
        moved = client.put("/api/v1/sandbox/clock", headers=AUTH, json={"advanceSeconds": 61})
        assert moved.status_code == 200
        assert receiver.wait_for(2, WAIT_S) and time.monotonic() - started < WAIT_S
        events = received_events(receiver, 2)
        assert events[0]["id"] == events[1]["id"]
        log = client.get(f"/api/v1/sandbox/webhooks/{hook['id']}/deliveries", headers=AUTH).json()["data"]
        assert [d["attempt"] for d in log] == [1, 2] and log[1]["createdAt"] >= log[0]["nextAttemptAt"]
