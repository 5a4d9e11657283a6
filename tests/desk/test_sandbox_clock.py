"""The sandbox clock (GET/PUT /api/v1/sandbox/clock), like a test clock: per firm, forward
only, back to real time on reset, and everything dated follows it."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest

from mock_server.clock import ADVANCE_S_MAX
from tests.api.helpers import (
    AUTH, COMPANY_ID, ORGANIZATION_ID, OTHER_COMPANY_ID, OTHER_FIRM_TOKEN, posting_headers,
)
from tests.api.operation_table import CODE_VERIFIER, REDIRECT_URI, _authorize, example_body

CLOCK = "/api/v1/sandbox/clock"
PURCHASES = f"/api/v1/companies/{COMPANY_ID}/purchases"
DAY_S = 24 * 3600
OTHER_AUTH = {"Authorization": f"Bearer {OTHER_FIRM_TOKEN}"}


def instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def set_clock(client, body: dict, headers: dict = AUTH):
    response = client.put(CLOCK, headers=headers, json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_clock_starts_on_real_time(client):
    clock = client.get(CLOCK, headers=AUTH).json()
    assert clock["frozen"] is False and clock["offsetSeconds"] == 0
    assert abs(instant(clock["now"]) - dt.datetime.now(dt.timezone.utc)) < dt.timedelta(seconds=5)


def test_freeze_advance_and_resume(client):
    frozen = set_clock(client, {"frozenAt": "2031-03-01T12:00:00Z"})
    assert frozen["now"] == "2031-03-01T12:00:00Z" and frozen["frozen"] is True
    assert client.get(CLOCK, headers=AUTH).json()["now"] == "2031-03-01T12:00:00Z"     # stands still
    advanced = set_clock(client, {"advanceSeconds": DAY_S})
    assert advanced["now"] == "2031-03-02T12:00:00Z" and advanced["frozen"] is True
    running = set_clock(client, {"frozen": False})
    assert running["frozen"] is False and instant(running["now"]) >= instant(advanced["now"])
    again = set_clock(client, {"frozen": True})
    assert again["frozen"] is True and instant(again["now"]) >= instant(running["now"])


def test_the_clock_refuses_to_go_back_and_changes_nothing(client):
    set_clock(client, {"frozenAt": "2031-03-01T12:00:00Z"})
    refused = client.put(CLOCK, headers=AUTH, json={"frozenAt": "2031-03-01T11:59:59Z"})
    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert error["code"] == "INVALID_STATE" and error["details"] == [{"field": "frozenAt", "issue": "refused"}]
    assert "forward only" in error["message"]
    assert client.get(CLOCK, headers=AUTH).json()["now"] == "2031-03-01T12:00:00Z"
    too_far = client.put(CLOCK, headers=AUTH, json={"frozenAt": "2999-01-01T00:00:00Z"})
    assert too_far.status_code == 409 and too_far.json()["error"]["code"] == "INVALID_STATE"


@pytest.mark.parametrize("body", [
    {}, {"advanceSeconds": 0}, {"advanceSeconds": -5}, {"advanceSeconds": ADVANCE_S_MAX + 1},
    {"advanceSeconds": 1.5}, {"advanceSeconds": "60"}, {"advanceSeconds": True},
    {"frozenAt": "2031-03-01T12:00:00"}, {"frozenAt": "yesterday"}, {"frozenAt": "2" * 41},
    {"frozen": "no"}, {"frozen": True, "advanceSeconds": 60}, {"rewind": 60}, [], "now",
])
def test_bad_bodies_are_structured_400s(client, body):
    response = client.put(CLOCK, headers=AUTH, json=body)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR" and error["retryable"] is False and error["requestId"]
    assert client.get(CLOCK, headers=AUTH).json()["offsetSeconds"] == 0


def test_the_clock_needs_a_firm_credential(client, sandbox_app):
    assert client.get(CLOCK).status_code == 401
    admin = {"X-Admin-Key": sandbox_app.service.admin_key}
    assert client.put(CLOCK, headers=admin, json={"advanceSeconds": 60}).status_code == 401


def test_reset_returns_the_clock_to_real_time(client):
    set_clock(client, {"frozenAt": "2031-03-01T12:00:00Z"})
    assert client.post("/api/v1/sandbox/reset", headers=AUTH).status_code == 200
    clock = client.get(CLOCK, headers=AUTH).json()
    assert clock["frozen"] is False and clock["offsetSeconds"] == 0


def test_one_firms_clock_never_moves_another_firms(client):
    set_clock(client, {"advanceSeconds": 30 * DAY_S})
    assert client.get(CLOCK, headers=AUTH).json()["offsetSeconds"] >= 30 * DAY_S - 1
    theirs = client.get(CLOCK, headers=OTHER_AUTH).json()
    assert theirs["offsetSeconds"] == 0 and theirs["frozen"] is False
    report = client.get(f"/api/v1/companies/{OTHER_COMPANY_ID}/reports/trial-balance", headers=OTHER_AUTH)
    assert abs(dt.date.fromisoformat(report.json()["asOf"]) - dt.date.today()) <= dt.timedelta(days=1)


def test_a_reports_default_date_follows_the_clock(client):
    set_clock(client, {"frozenAt": "2031-03-01T12:00:00Z"})
    report = client.get(f"/api/v1/companies/{COMPANY_ID}/reports/trial-balance", headers=AUTH)
    assert report.status_code == 200 and report.json()["asOf"] == "2031-03-01"
    set_clock(client, {"advanceSeconds": 2 * DAY_S})
    profit = client.get(f"/api/v1/companies/{COMPANY_ID}/reports/profit-and-loss", headers=AUTH).json()
    assert (profit["startDate"], profit["endDate"]) == ("2031-01-01", "2031-03-03")


def test_a_key_expires_when_the_clock_passes_24_hours(client):
    set_clock(client, {"frozenAt": "2031-03-01T12:00:00Z"})
    body = example_body("createCompanyPurchase")
    first = client.post(PURCHASES, headers=posting_headers("clock-key-1"), json=body)
    assert first.status_code == 201 and first.json()["createdAt"] == "2031-03-01T12:00:00Z"
    set_clock(client, {"advanceSeconds": DAY_S - 1})
    replay = client.post(PURCHASES, headers=posting_headers("clock-key-1"), json=body)
    assert replay.headers["idempotent-replayed"] == "true" and replay.json() == first.json()
    set_clock(client, {"advanceSeconds": 1})
    fresh = client.post(PURCHASES, headers=posting_headers("clock-key-1"), json=body)
    assert fresh.status_code == 201 and fresh.headers["idempotent-replayed"] == "false"
    assert fresh.json()["journalEntryId"] != first.json()["journalEntryId"]
    assert fresh.json()["createdAt"] == "2031-03-02T12:00:00Z"


def test_another_firms_clock_never_expires_this_firms_keys(client):
    body = example_body("createCompanyPurchase")
    first = client.post(PURCHASES, headers=posting_headers("clock-key-2"), json=body)
    set_clock(client, {"advanceSeconds": 3 * DAY_S}, headers=OTHER_AUTH)
    client.get(f"/api/v1/companies/{OTHER_COMPANY_ID}/accounts", headers=OTHER_AUTH)
    replay = client.post(PURCHASES, headers=posting_headers("clock-key-2"), json=body)
    assert replay.headers["idempotent-replayed"] == "true" and replay.json() == first.json()


def _token(client) -> dict:
    location = _authorize(client).headers["location"]
    code = parse_qs(urlsplit(location).query)["code"][0]
    return {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI,
            "client_id": "lhq_client_sandbox", "code_verifier": CODE_VERIFIER}


def test_codes_and_tokens_expire_by_the_firms_clock(client):
    stale = _token(client)
    set_clock(client, {"advanceSeconds": 61})
    refused = client.post("/api/oauth/token", data=stale)
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
    issued = client.post("/api/oauth/token", data=_token(client))
    assert issued.status_code == 200, issued.text
    bearer = {"Authorization": f"Bearer {issued.json()['access_token']}"}
    assert client.get("/api/v1/companies", headers=bearer).status_code == 200
    set_clock(client, {"advanceSeconds": issued.json()["expires_in"]})
    assert client.get("/api/v1/companies", headers=bearer).status_code == 401
    refreshed = client.post("/api/oauth/token", data={
        "grant_type": "refresh_token", "refresh_token": issued.json()["refresh_token"],
        "client_id": "lhq_client_sandbox"})
    assert refreshed.status_code == 200, refreshed.text


def test_sessions_expire_by_the_firms_clock(client):
    session = client.post("/api/v1/sandbox/session", json={})
    assert session.status_code == 201
    cookie = {"Cookie": f"ledgerhq_session={session.json()['sessionId']}"}
    assert client.get("/api/v1/companies", headers=cookie).status_code == 200
    set_clock(client, {"advanceSeconds": DAY_S})
    assert client.get("/api/v1/companies", headers=cookie).status_code == 401


def test_bank_feed_sync_dates_and_stamps_follow_the_clock(client):
    set_clock(client, {"frozenAt": "2031-03-01T12:00:00Z"})
    synced = client.post("/api/v1/sandbox/bank-accounts/ba_bp_checking/sync", headers=AUTH, json={"count": 3})
    assert synced.status_code == 201, synced.text
    rows = synced.json()["bankTransactions"]
    assert {row["createdAt"] for row in rows} == {"2031-03-01T12:00:00Z"}
    assert all(row["date"] <= "2031-03-01" for row in rows)
    hook = client.post("/api/v1/webhooks", headers={**AUTH, "x-organization-id": ORGANIZATION_ID},
                       json={"url": "http://127.0.0.1:9/hooks", "events": ["journal_entry.posted"]})
    assert hook.status_code == 201 and hook.json()["createdAt"] == "2031-03-01T12:00:00Z"
