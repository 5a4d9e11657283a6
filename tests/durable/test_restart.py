"""A graceful stop and a restart on the same `--state`: the same books, a token issued
before still works, a key replays; a webhook send owed at a SIGKILL is sent after the
restart (receivers on 127.0.0.1 only)."""
from __future__ import annotations

import sqlite3
import subprocess
import sys

from mock_server.service.durable import EXIT_NOT_COMMITTED
from tests.durable.server_process import (
    COMPANY_ID, ORGANIZATION_ID, SandboxProcess, all_entries, trial_balance,
)
from tests.durable.test_kill import PURCHASES, purchase
from tests.e2e.partner_api import oauth_login
from tests.support.webhook_receiver import Receiver

DELIVERY_WAIT_S = 60.0
RETRY_BASE_S = "5"          # the first retry waits 5 s: the kill comes before it


def journal_rows(state) -> int:
    with sqlite3.connect(state) as db:
        return db.execute("SELECT COUNT(*) FROM journal").fetchone()[0]


def test_a_graceful_restart_keeps_books_tokens_and_keys(tmp_path) -> None:
    state, log = tmp_path / "state.sqlite", tmp_path / "sandbox.log"
    sandbox = SandboxProcess(state, log).start()
    try:
        with sandbox.client() as client:
            token = oauth_login(client)["access_token"]
            posted = client.post(PURCHASES, json=purchase("restart"), headers={"Idempotency-Key": "restart"})
            assert posted.status_code == 201, posted.text
            before = (all_entries(client), trial_balance(client))
            assert all(entry["updatedAt"] for entry in before[0])     # the new field is state too
    finally:
        sandbox.stop()
    assert journal_rows(state) == 0         # the stop's image covers every write
    restarted = SandboxProcess(state, log).start()
    try:
        with restarted.client(Authorization=f"Bearer {token}") as client:
            assert (all_entries(client), trial_balance(client)) == before
            again = client.post(PURCHASES, json=purchase("restart"), headers={"Idempotency-Key": "restart"})
            assert again.headers["Idempotent-Replayed"] == "true" and again.json() == posted.json()
            companies = client.get("/api/v1/companies")
            assert COMPANY_ID in {c["id"] for c in companies.json()["data"]}
    finally:
        restarted.stop()


def test_an_owed_webhook_send_resumes_after_sigkill(tmp_path) -> None:
    state, log = tmp_path / "state.sqlite", tmp_path / "sandbox.log"
    receiver = Receiver([500])              # the first attempt fails: a retry is owed
    options = ("--webhook-retry-base-seconds", RETRY_BASE_S)
    sandbox = SandboxProcess(state, log, *options).start()
    try:
        with sandbox.client(**{"x-organization-id": ORGANIZATION_ID}) as client:
            made = client.post("/api/v1/webhooks", json={"url": receiver.url, "events": ["journal_entry.posted"]})
            assert made.status_code == 201, made.text
            posted = client.post(PURCHASES, json=purchase("owed"), headers={"Idempotency-Key": "owed"})
            assert posted.status_code == 201, posted.text
        assert receiver.wait_for(1, DELIVERY_WAIT_S)
        sandbox.kill()
        restarted = SandboxProcess(state, log, *options).start()
        try:
            assert receiver.wait_for(2, DELIVERY_WAIT_S), "the owed send did not resume"
            first, resumed = receiver.requests[0], receiver.requests[1]
            assert resumed.headers["LedgerHQ-Event-Id"] == first.headers["LedgerHQ-Event-Id"]
            assert resumed.body == first.body
        finally:
            restarted.stop()
    finally:
        sandbox.kill()
        receiver.close()


STOPS_ON_A_FAILED_COMMIT = """
import sys
from starlette.testclient import TestClient
from mock_server.app import create_app
from mock_server.service.durable import open_service
from tests.api.helpers import posting_headers
from tests.durable.test_kill import PURCHASES, purchase
service = open_service(sys.argv[1])
with TestClient(create_app(service=service)) as client:
    service.journal.db.close()          # the file cannot take the commit any more
    answer = client.post(PURCHASES, json=purchase("lost"), headers=posting_headers())
print("answered", answer.status_code)
"""


def test_a_write_the_file_cannot_take_stops_the_sandbox(tmp_path) -> None:
    """Applied in memory but not committed: the process stops before answering (a restart
    resumes from the file), rather than serving books the file does not have."""
    ran = subprocess.run([sys.executable, "-c", STOPS_ON_A_FAILED_COMMIT, str(tmp_path / "state.sqlite")],
                         capture_output=True, text=True, timeout=120)
    assert ran.returncode == EXIT_NOT_COMMITTED, (ran.stdout, ran.stderr[-2000:])
    assert "answered" not in ran.stdout


def test_a_list_walk_goes_on_across_a_sigkill_and_restart(tmp_path) -> None:
    """A cursor issued before the kill still reads the next page after the restart (its key is state)."""
    state, log = tmp_path / "state.sqlite", tmp_path / "sandbox.log"
    accounts = f"/api/v1/companies/{COMPANY_ID}/accounts"
    sandbox = SandboxProcess(state, log).start()
    try:
        with sandbox.client() as client:
            first = client.get(accounts, params={"limit": 5})
            whole = client.get(accounts, params={"limit": 200}).json()["data"]
    finally:
        sandbox.kill()
    assert first.status_code == 200 and first.json()["nextCursor"], first.text
    restarted = SandboxProcess(state, log).start()
    try:
        with restarted.client() as client:
            second = client.get(accounts, params={"limit": 5, "cursor": first.json()["nextCursor"]})
    finally:
        restarted.stop()
    assert second.status_code == 200, second.text
    ids = [row["id"] for row in first.json()["data"] + second.json()["data"]]
    assert ids == [row["id"] for row in whole[:10]]
