"""No flood locks everyone out (issue 14, item 5): a few thousand anonymous authorize,
refresh and sign-in calls fill the bounded pools, and the next legitimate request still
works, as do the fixture credentials. The floods run in-process against the app's own
state (fast); the legitimate requests that follow go through HTTP."""
from __future__ import annotations

import time

from tests.api.helpers import (
    API_KEY, AUTH, COMPANY_ID, ORGANIZATION_ID, OTHER_FIRM_TOKEN, SESSION_COOKIE, SISTER_COMPANY_ID,
    assert_error,
)
from tests.e2e.partner_api import CLIENT_ID, REDIRECT_URI, authorize_query, pkce_pair, redirect_query

FLOOD_CALLS = 3_000
POOL_ROWS_MAX = 1_000           # the refresh, access-token and session pools, shrunk for the floods
OTHER_AUTH = {"Authorization": f"Bearer {OTHER_FIRM_TOKEN}"}
HARBOR_ENTRY = {"date": "2026-06-09", "description": "Rent", "lines": [
    {"accountId": "acc_hc_rent", "debitCents": 1000}, {"accountId": "acc_hc_checking", "creditCents": 1000}]}
CEDAR_ENTRY = {"date": "2026-06-09", "description": "Rent", "lines": [
    {"accountId": "acc_cp_ap", "debitCents": 1000}, {"accountId": "acc_cp_checking", "creditCents": 1000}]}


def live(app):
    """The sandbox state behind the app (the RequestContextMiddleware's)."""
    return getattr(app, "service", None) or app.state


def oauth_login(client) -> dict:
    verifier, challenge = pkce_pair()
    query = redirect_query(client.get("/api/oauth/authorize", params=authorize_query(challenge, "st"),
                                      follow_redirects=False))
    response = client.post("/api/oauth/token", data={
        "grant_type": "authorization_code", "code": query["code"], "redirect_uri": REDIRECT_URI,
        "client_id": CLIENT_ID, "code_verifier": verifier})
    assert response.status_code == 200, response.text
    return response.json()


def fixture_credentials_work(client) -> None:
    for headers in (AUTH, {"Authorization": f"Bearer {API_KEY}", "x-organization-id": ORGANIZATION_ID},
                    {"Cookie": SESSION_COOKIE, "x-organization-id": ORGANIZATION_ID}):
        response = client.get("/api/v1/accounts", headers={**headers, "x-organization-id": ORGANIZATION_ID})
        assert response.status_code == 200, response.text


def next_login_works(client) -> None:
    tokens = oauth_login(client)
    response = client.get("/api/v1/companies", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert response.status_code == 200 and response.json()["data"]
    refreshed = client.post("/api/oauth/token", data={"grant_type": "refresh_token", "client_id": CLIENT_ID,
                                                      "refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 200, refreshed.text


def test_an_authorize_flood_leaves_authorize_open(client, sandbox_app) -> None:
    oauth = live(sandbox_app).oauth
    _, challenge = pkce_pair()
    for _ in range(FLOOD_CALLS):
        oauth.authorize(CLIENT_ID, REDIRECT_URI, "code", challenge, "S256", "s", None, time.time())
    assert len(oauth.codes) == oauth.codes_max < FLOOD_CALLS
    next_login_works(client)
    fixture_credentials_work(client)


def test_a_refresh_flood_leaves_the_token_endpoint_open(client, sandbox_app) -> None:
    state = live(sandbox_app)
    state.oauth.refresh_tokens_max = state.credentials.access_tokens_max = POOL_ROWS_MAX
    refresh_token = oauth_login(client)["refresh_token"]
    for _ in range(FLOOD_CALLS):
        form = {"grant_type": "refresh_token", "client_id": CLIENT_ID, "refresh_token": refresh_token}
        refresh_token = state.oauth.token(form, time.time())["refresh_token"]
    assert len(state.oauth.refresh_tokens) == POOL_ROWS_MAX
    assert len(state.credentials.access_tokens) <= POOL_ROWS_MAX
    next_login_works(client)
    fixture_credentials_work(client)


def test_a_sign_in_flood_leaves_sign_in_open(client, sandbox_app) -> None:
    state = live(sandbox_app)
    state.credentials.sessions_max = POOL_ROWS_MAX
    for _ in range(FLOOD_CALLS):
        state.sign_in(None)
    assert len(state.credentials.sessions) == POOL_ROWS_MAX
    response = client.post("/api/v1/sandbox/session", json={})
    assert response.status_code == 201, response.text
    cookie = f"ledgerhq_session={response.json()['sessionId']}"
    accounts = client.get("/api/v1/accounts", headers={"Cookie": cookie, "x-organization-id": ORGANIZATION_ID})
    assert accounts.status_code == 200, accounts.text
    fixture_credentials_work(client)


def test_a_token_flood_over_http_keeps_the_fixture_token(client, sandbox_app) -> None:
    """Pools shrunk to a few rows, logins over HTTP: the oldest issued go, the fixtures stay."""
    state = live(sandbox_app)
    state.oauth.codes_max = state.oauth.refresh_tokens_max = state.credentials.access_tokens_max = 8
    first = oauth_login(client)["access_token"]
    for _ in range(12):
        last = oauth_login(client)["access_token"]
    assert client.get("/api/v1/companies", headers={"Authorization": f"Bearer {first}"}).status_code == 401
    assert client.get("/api/v1/companies", headers={"Authorization": f"Bearer {last}"}).status_code == 200
    fixture_credentials_work(client)


def test_an_idempotency_flood_is_refused_to_its_company_only(client, sandbox_app, purchase_body) -> None:
    state = live(sandbox_app)
    store = (getattr(state, "data", None) or state.ledger).idempotency
    other = client.post("/api/v1/companies/cmp_cedarplumbing/journal-entries", json=CEDAR_ENTRY,
                        headers={**OTHER_AUTH, "Idempotency-Key": "cedar-before"})
    assert other.status_code == 201, other.text
    store.company_keys_max = store.keys_held(COMPANY_ID) + 20
    path = f"/api/v1/companies/{COMPANY_ID}/purchases"
    answers = [client.post(path, json=purchase_body, headers={**AUTH, "Idempotency-Key": f"flood-{n}"})
               for n in range(25)]
    assert [a.status_code for a in answers] == [201] * 20 + [429] * 5
    assert_error(answers[-1], "RATE_LIMITED", 429, retryable=True)
    replay = client.post(path, json=purchase_body, headers={**AUTH, "Idempotency-Key": "flood-0"})
    assert replay.status_code == 201 and replay.headers["idempotent-replayed"] == "true"
    sister = client.post(f"/api/v1/companies/{SISTER_COMPANY_ID}/journal-entries", json=HARBOR_ENTRY,
                         headers={**AUTH, "Idempotency-Key": "harbor-after"})
    assert sister.status_code == 201, sister.text
    again = client.post("/api/v1/companies/cmp_cedarplumbing/journal-entries", json=CEDAR_ENTRY,
                        headers={**OTHER_AUTH, "Idempotency-Key": "cedar-before"})
    assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
