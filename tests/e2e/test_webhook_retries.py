"""Webhook retries over real HTTP (R8): a receiver that fails twice then succeeds gets the
event exactly once more after the failures, with the same event id, on the retry schedule."""
from __future__ import annotations

import json
import time
import uuid

from mock_server.webhooks.signing import verify
from tests.e2e.conftest import RETRY_BASE_S
from tests.e2e.live_server import LiveSandbox
from tests.e2e.partner_api import COMPANY_ID, ORGANIZATION_ID, eventually, ok

TOKEN = "mcp_at_sandbox_summit_firm_token"
WAIT_S = 10.0


def test_failing_receiver_gets_the_event_again_until_it_succeeds(
        live: LiveSandbox, receiver_factory) -> None:
    receiver = receiver_factory([500, 503])         # then 200
    api = live.client(authorization=f"Bearer {TOKEN}")
    hook = ok(api.post("/api/v1/webhooks", json={"url": receiver.url,
                                                 "events": ["journal_entry.posted"]},
                       headers={"x-organization-id": ORGANIZATION_ID}), 201)
    receipt = ok(api.post(f"/api/v1/companies/{COMPANY_ID}/purchases", json={
        "date": "2026-06-08", "sourceAccountId": "acc_bp_checking", "amountCents": 4299,
        "categoryAccountId": "acc_bp_office_supplies", "description": "Retry test"},
        headers={"Idempotency-Key": str(uuid.uuid4())}), 201)

    log = eventually(
        lambda: ok(api.get(f"/api/v1/sandbox/webhooks/{hook['id']}/deliveries"))["data"],
        lambda found: any(d["status"] == "succeeded" for d in found), WAIT_S)
    assert [(d["attempt"], d["status"], d["responseStatus"]) for d in log] == [
        (1, "failed", 500), (2, "failed", 503), (3, "succeeded", 200)]
    assert [d["nextAttemptAt"] is None for d in log] == [False, False, True]
    assert len({d["eventId"] for d in log}) == 1

    assert len(receiver.requests) == 3          # the success was logged: nothing more is due
    events = [json.loads(request.body) for request in receiver.requests]
    assert {event["id"] for event in events} == {log[0]["eventId"]}
    assert events[0]["type"] == "journal_entry.posted"
    assert events[0]["data"]["id"] == receipt["journalEntryId"]
    assert len({request.body for request in receiver.requests}) == 1
    for attempt, request in enumerate(receiver.requests, start=1):
        headers = {name.lower(): value for name, value in request.headers.items()}
        assert headers["ledgerhq-delivery-attempt"] == str(attempt)
        assert headers["ledgerhq-event-id"] == events[0]["id"]
        assert verify(hook["secret"], headers["ledgerhq-signature"], request.body, time.time())
    gaps_s = [later.arrived_s - earlier.arrived_s
              for earlier, later in zip(receiver.requests, receiver.requests[1:])]
    assert gaps_s[0] >= RETRY_BASE_S and gaps_s[1] >= 2 * RETRY_BASE_S   # 1x, then 2x base


def test_test_event_is_delivered_signed_and_logged(live: LiveSandbox, receiver_factory) -> None:
    receiver = receiver_factory([])
    api = live.client(authorization=f"Bearer {TOKEN}")
    hook = ok(api.post("/api/v1/webhooks", json={"url": receiver.url,
                                                 "events": ["bank_transaction.created"]},
                       headers={"x-organization-id": ORGANIZATION_ID}), 201)
    listed = ok(api.get("/api/v1/webhooks", headers={"x-organization-id": ORGANIZATION_ID}))["data"]
    assert [w["id"] for w in listed] == [hook["id"]] and "secret" not in listed[0]
    event = ok(api.post(f"/api/v1/sandbox/webhooks/{hook['id']}/test"), 201)
    assert event["type"] == "webhook.test" and event["data"]["webhookId"] == hook["id"]
    assert receiver.wait_for(1, WAIT_S)
    request = receiver.requests[0]
    headers = {name.lower(): value for name, value in request.headers.items()}
    assert json.loads(request.body) == event
    assert verify(hook["secret"], headers["ledgerhq-signature"], request.body, time.time())
    log = eventually(
        lambda: ok(api.get(f"/api/v1/sandbox/webhooks/{hook['id']}/deliveries"))["data"],
        lambda found: len(found) == 1, WAIT_S)
    assert [(d["eventId"], d["eventType"], d["status"]) for d in log] == [
        (event["id"], "webhook.test", "succeeded")]
