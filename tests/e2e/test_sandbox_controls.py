"""Sandbox controls over HTTP: reset, fixture loading (and clear refusals), feed failure
and recovery, and the browser-session login. Whole-sandbox loads and resets use the admin
key; a firm's token acts on its own firm (tests/api/test_control_tenancy.py)."""
from __future__ import annotations

import uuid

import pytest

from tests.api.helpers import admin_headers

TOKEN = {"Authorization": "Bearer mcp_at_sandbox_summit_firm_token"}
ORG = {"x-organization-id": "org_brightpixel"}
YAML = {"Content-Type": "application/x-yaml"}
SOLO_TOKEN = {"Authorization": "Bearer mcp_at_solo_token"}
SOLO_FIXTURE = """\
version: 1
firms:
- id: firm_solo
  name: Solo Books
  accessTokens: [{token: mcp_at_solo_token}]
organizations:
- {id: org_solo, name: Solo LLC, companyId: cmp_solo, firmId: firm_solo}
companies:
- id: cmp_solo
  name: Solo LLC
  legalName: Solo LLC
  organizationId: org_solo
  firmId: firm_solo
  timezone: America/New_York
  fiscalYearStartMonth: 1
  accounts:
  - {id: acc_solo_cash, code: '1000', name: Cash, type: asset, subtype: bank}
  - {id: acc_solo_equity, code: '3000', name: Owner's Equity, type: equity, subtype: owners_equity}
"""
UNBALANCED = SOLO_FIXTURE + """\
  entries:
  - id: je_solo_1
    date: '2026-01-02'
    description: Opening
    status: posted
    lines:
    - {accountId: acc_solo_cash, debitCents: 1000}
    - {accountId: acc_solo_equity, creditCents: 999}
"""


def summary(client) -> dict:
    body = client.post("/api/v1/sandbox/reset", headers=TOKEN).json()
    return {key: value for key, value in body.items() if key != "loadedAt"}


def test_reset_restores_the_fixtures_and_drops_webhooks_and_faults(client) -> None:
    fixtures = summary(client)
    purchase = client.post("/api/v1/companies/cmp_brightpixel/purchases", headers={
        **TOKEN, "Idempotency-Key": str(uuid.uuid4())}, json={
        "date": "2026-06-08", "sourceAccountId": "acc_bp_checking", "amountCents": 4299,
        "categoryAccountId": "acc_bp_office_supplies"}).json()
    client.post("/api/v1/webhooks", headers={**TOKEN, **ORG},
                json={"url": "http://127.0.0.1:9/x", "events": ["webhook.test"]})
    client.put("/api/v1/sandbox/faults", headers=TOKEN, json={"status": 503, "remaining": 50})
    client.delete("/api/v1/sandbox/faults", headers=TOKEN)
    client.put("/api/v1/sandbox/faults", headers=TOKEN, json={"delayMs": 1, "remaining": 50})
    assert summary(client) == fixtures
    entry = client.get(f"/api/v1/entries/{purchase['journalEntryId']}", headers={**TOKEN, **ORG})
    assert entry.status_code == 404
    assert client.get("/api/v1/webhooks", headers={**TOKEN, **ORG}).json()["data"] == []
    assert client.get("/api/v1/sandbox/faults", headers=TOKEN).json()["delayMs"] == 0


@pytest.fixture
def admin(sandbox_app) -> dict:
    return admin_headers(sandbox_app)


def test_a_loaded_fixture_file_replaces_the_data_until_reset(client, admin) -> None:
    fixtures = summary(client)
    loaded = client.post("/api/v1/sandbox/fixtures", headers={**admin, **YAML}, content=SOLO_FIXTURE)
    assert loaded.status_code == 200
    assert (loaded.json()["firms"], loaded.json()["companies"], loaded.json()["accounts"]) == (1, 1, 2)
    assert client.get("/api/v1/companies", headers=TOKEN).status_code == 401
    companies = client.get("/api/v1/companies", headers=SOLO_TOKEN).json()["data"]
    assert [c["id"] for c in companies] == ["cmp_solo"]
    assert client.post("/api/v1/sandbox/reset", headers=SOLO_TOKEN).status_code == 200    # its own firm
    assert client.get("/api/v1/companies", headers=TOKEN).status_code == 401
    assert client.post("/api/v1/sandbox/reset", headers=admin).status_code == 200          # everyone
    assert summary(client) == fixtures


def test_bad_fixture_files_are_refused_by_name_and_change_nothing(client, admin) -> None:
    fixtures = summary(client)
    cases = [("version: [1\n", 400, "fixture", "cannot parse"),
             (UNBALANCED, 422, "companies[cmp_solo].entries[je_solo_1]", "does not balance"),
             (SOLO_FIXTURE.replace("accessTokens: [{token: mcp_at_solo_token}]", "accessTokens: []"),
              422, "fixture", "no access token")]
    for text, status, field, issue in cases:
        response = client.post("/api/v1/sandbox/fixtures", headers={**admin, **YAML}, content=text)
        assert response.status_code == status, response.text
        error = response.json()["error"]
        assert error["details"][0]["field"] == field and issue in error["details"][0]["issue"]
        assert issue in error["message"]
    assert summary(client) == fixtures


def test_feed_failure_shows_in_health_until_the_next_sync(client) -> None:
    def feed() -> dict:
        health = client.get("/api/v1/bank-feeds/health", headers={**TOKEN, **ORG}).json()["data"]
        return next(f for f in health if f["feedId"] == "feed_bp_firstbank")

    failed = client.post("/api/v1/sandbox/bank-feeds/feed_bp_firstbank/fail", headers=TOKEN, json={})
    assert failed.json()["status"] == "login_required"
    assert (feed()["status"], feed()["lastError"]["code"]) == ("login_required", "ITEM_LOGIN_REQUIRED")
    client.post("/api/v1/sandbox/bank-feeds/feed_bp_firstbank/fail", headers=TOKEN,
                json={"status": "error"})
    assert feed()["status"] == "error" and feed()["lastError"]["code"] == "INSTITUTION_DOWN"
    synced = client.post("/api/v1/sandbox/bank-accounts/ba_bp_checking/sync", headers=TOKEN,
                         json={"count": 3})
    assert synced.status_code == 201 and len(synced.json()["bankTransactions"]) == 3
    assert (feed()["status"], feed()["lastError"]) == ("healthy", None)


def test_session_login_sets_a_cookie_that_authenticates(client) -> None:
    signed_in = client.post("/api/v1/sandbox/session", json={"email": "owner@summitbookkeeping.example"})
    assert signed_in.status_code == 201
    session = signed_in.json()
    assert session["organizationIds"] == ["org_brightpixel", "org_harborcoffee"]
    assert f"ledgerhq_session={session['sessionId']}" in signed_in.headers["set-cookie"]
    assert "HttpOnly" in signed_in.headers["set-cookie"]
    client.cookies.clear()
    cookie = {"Cookie": f"ledgerhq_session={session['sessionId']}"}
    needs_org = client.get("/api/v1/accounts", headers=cookie)
    assert needs_org.status_code == 400 and needs_org.json()["error"]["code"] == "VALIDATION_ERROR"
    accounts = client.get("/api/v1/accounts", headers={**cookie, **ORG})
    assert accounts.status_code == 200 and accounts.json()["data"][0]["companyId"] == "cmp_brightpixel"
    foreign = client.get("/api/v1/accounts", headers={**cookie, "x-organization-id": "org_cedarplumbing"})
    assert foreign.status_code == 404
    assert client.post("/api/v1/sandbox/session").json()["email"] == session["email"]    # default user
    unknown = client.post("/api/v1/sandbox/session", json={"email": "nobody@example.test"})
    assert unknown.status_code == 422 and unknown.json()["error"]["details"][0]["field"] == "email"
    assert client.get("/api/v1/accounts", headers={"Cookie": "ledgerhq_session=sess_unknown"}).status_code == 401
