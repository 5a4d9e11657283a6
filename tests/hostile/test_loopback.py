"""The tests stay on loopback (tests/support/loopback_guard.py watches every in-process
lookup and connection): a webhook subscribed with the contract's own example URL, a host that
is not loopback, is never looked up nor connected to; its deliveries are logged as failed
with the reason. Shown for an in-process live server, for the guard itself (it does catch the
lookup when the allow-list is off), and for a sandbox served in a subprocess."""
from __future__ import annotations

import time

import httpx

from conformance.sandbox import Sandbox
from ledgerhq_contract import load_contract
from tests.e2e.contract_walk import example_body
from tests.e2e.live_server import start_sandbox
from tests.hostile.targets import IDS, ORG
from tests.support import loopback_guard

WAIT_S = 10.0
POLL_S = 0.05


def example_webhook() -> dict:
    spec = load_contract()
    body = example_body(spec, spec["paths"]["/api/v1/webhooks"]["post"])
    assert not body["url"].startswith(("http://127.", "http://localhost"))
    return {**body, "events": ["journal_entry.posted"]}


def failed_deliveries(client: httpx.Client, webhook_id: str, count: int) -> list[dict]:
    """Wait (bounded) until `count` attempts are logged; returns the log."""
    deadline = time.monotonic() + WAIT_S
    while True:
        log = client.get(f"/api/v1/sandbox/webhooks/{webhook_id}/deliveries", headers=ORG).json()["data"]
        if len(log) >= count or time.monotonic() > deadline:
            return log
        time.sleep(POLL_S)


def subscribe_and_fire(client: httpx.Client) -> str:
    """Subscribe the example URL, post a purchase and send a test event; the webhook's id."""
    webhook = client.post("/api/v1/webhooks", headers=ORG, json=example_webhook())
    assert webhook.status_code == 201, webhook.text
    purchase = {"date": "2026-06-08", "sourceAccountId": "acc_bp_checking", "amountCents": 4299,
                "categoryAccountId": "acc_bp_office_supplies", "description": "Office supplies"}
    posted = client.post(f"/api/v1/companies/{IDS['companyId']}/purchases", json=purchase,
                         headers={**ORG, "Idempotency-Key": f"loopback-{time.time_ns()}"})
    assert posted.status_code == 201, posted.text
    sent = client.post(f"/api/v1/sandbox/webhooks/{webhook.json()['id']}/test", headers=ORG)
    assert sent.status_code == 201, sent.text
    return webhook.json()["id"]


def assert_not_attempted(log: list[dict]) -> None:
    assert len(log) == 2, log
    for delivery in log:
        assert delivery["status"] == "failed" and delivery["responseStatus"] is None
        assert delivery["error"].startswith("not attempted: host 'hooks.acme-bookkeeping.example'"), delivery
        assert delivery["attempt"] == 1 and delivery["nextAttemptAt"] is None       # not retried


def test_a_webhook_to_another_host_is_never_attempted_in_process() -> None:
    sandbox = start_sandbox(webhook_retry_base_s=0.05)
    try:
        with httpx.Client(base_url=sandbox.base_url, timeout=10.0) as client:
            assert_not_attempted(failed_deliveries(client, subscribe_and_fire(client), 2))
    finally:
        sandbox.stop()
    assert loopback_guard.taken() == []


def test_the_guard_sees_the_lookup_when_the_allow_list_is_off() -> None:
    sandbox = start_sandbox(webhook_retry_base_s=60.0, webhook_hosts=None)
    try:
        with httpx.Client(base_url=sandbox.base_url, timeout=10.0) as client:
            log = failed_deliveries(client, subscribe_and_fire(client), 2)
    finally:
        sandbox.stop()
    attempts = loopback_guard.taken()       # taken here, so the run's own check stays clean
    assert "lookup 'hooks.acme-bookkeeping.example'" in attempts, attempts
    assert all("loopback guard" in delivery["error"] for delivery in log), log


def test_a_webhook_to_another_host_is_never_attempted_by_a_served_sandbox() -> None:
    with Sandbox() as sandbox, httpx.Client(base_url=sandbox.base_url, timeout=10.0) as client:
        assert_not_attempted(failed_deliveries(client, subscribe_and_fire(client), 2))
