"""One firm's credential never changes what another firm sees (issue 14, item 6): sandbox
controls act on the caller's own firm; what replaces every tenant's data at once needs the
admin key. And a posting in flight while a reset runs is refused or lands, never a 201 for
an entry that is gone (item 7)."""
from __future__ import annotations

import asyncio

import httpx

from tests.api.helpers import (
    API_KEY, AUTH, COMPANY_ID, COMPANY_PATH, OTHER_COMPANY_ID, OTHER_FIRM_TOKEN, SISTER_COMPANY_ID,
    admin_headers, assert_error, firm_part_of_default_fixtures, live, posting_headers,
)
from tests.support.contract_client import validate_exchange

OTHER_AUTH = {"Authorization": f"Bearer {OTHER_FIRM_TOKEN}"}
KEY_AUTH = {"Authorization": f"Bearer {API_KEY}"}
YAML = {"Content-Type": "application/x-yaml"}
RESET, FIXTURES, FAULTS = "/api/v1/sandbox/reset", "/api/v1/sandbox/fixtures", "/api/v1/sandbox/faults"
CEDAR_ENTRY = {"date": "2026-06-09", "description": "Fuel", "lines": [
    {"accountId": "acc_cp_fuel", "debitCents": 1000}, {"accountId": "acc_cp_checking", "creditCents": 1000}]}
RENT = {"date": "2026-06-09", "description": "Rent", "lines": [
    {"accountId": "acc_bp_rent", "debitCents": 2500}, {"accountId": "acc_bp_checking", "creditCents": 2500}]}


def entry_ids(client, company_id: str, headers: dict) -> list[str]:
    response = client.get(f"/api/v1/companies/{company_id}/journal-entries", headers=headers,
                          params={"limit": 200})
    assert response.status_code == 200 and response.json()["nextCursor"] is None, response.text
    return [entry["id"] for entry in response.json()["data"]]


def post_rent(client) -> str:
    response = client.post(f"{COMPANY_PATH}/journal-entries", headers=posting_headers(), json=RENT)
    assert response.status_code == 201, response.text
    return response.json()["journalEntryId"]


def post_fuel(client) -> str:
    response = client.post(f"/api/v1/companies/{OTHER_COMPANY_ID}/journal-entries", json=CEDAR_ENTRY,
                           headers={**OTHER_AUTH, "Idempotency-Key": "cedar-fuel-1"})
    assert response.status_code == 201, response.text
    return response.json()["journalEntryId"]


def default_fixture_text() -> str:
    from mock_server.ledger.fixtures import DEFAULT_FIXTURE_PATH
    return DEFAULT_FIXTURE_PATH.read_text()


def test_another_firms_reset_resets_its_own_companies_only(client) -> None:
    rent, fuel = post_rent(client), post_fuel(client)
    summit_before = entry_ids(client, COMPANY_ID, AUTH)
    reset = client.post(RESET, headers=OTHER_AUTH)
    assert reset.status_code == 200 and (reset.json()["firms"], reset.json()["companies"]) == (1, 1)
    assert entry_ids(client, COMPANY_ID, AUTH) == summit_before and rent in summit_before
    assert fuel not in entry_ids(client, OTHER_COMPANY_ID, OTHER_AUTH)
    replay = client.post(f"/api/v1/companies/{OTHER_COMPANY_ID}/journal-entries", json=CEDAR_ENTRY,
                         headers={**OTHER_AUTH, "Idempotency-Key": "cedar-fuel-1"})
    assert replay.status_code == 201 and replay.headers["idempotent-replayed"] == "false"   # its key went too


def test_an_api_key_resets_the_firm_that_manages_its_organization(client) -> None:
    rent, fuel = post_rent(client), post_fuel(client)
    assert client.post(RESET, headers=KEY_AUTH).json()["companies"] == 2
    assert rent not in entry_ids(client, COMPANY_ID, AUTH)
    assert fuel in entry_ids(client, OTHER_COMPANY_ID, OTHER_AUTH)


def test_another_firm_cannot_load_fixtures_over_the_first_firm(client) -> None:
    rent, fuel = post_rent(client), post_fuel(client)
    summit_before, sister_before = entry_ids(client, COMPANY_ID, AUTH), entry_ids(client, SISTER_COMPANY_ID, AUTH)
    refused = client.post(FIXTURES, headers={**OTHER_AUTH, **YAML}, content=default_fixture_text())
    error = assert_error(refused, "NOT_FOUND", 404)
    assert "cmp_brightpixel" in error["message"] or "cmp_harborcoffee" in error["message"]
    assert entry_ids(client, COMPANY_ID, AUTH) == summit_before and rent in summit_before
    assert entry_ids(client, SISTER_COMPANY_ID, AUTH) == sister_before
    assert fuel in entry_ids(client, OTHER_COMPANY_ID, OTHER_AUTH)


def test_a_firm_loads_fixtures_over_its_own_companies_only(client) -> None:
    rent, fuel = post_rent(client), post_fuel(client)
    data = firm_part_of_default_fixtures("firm_summit")
    data["companies"][0]["name"] = "Bright Pixel (reloaded)"
    loaded = client.post(FIXTURES, headers=AUTH, json=data)
    assert loaded.status_code == 200, loaded.text
    assert (loaded.json()["firms"], loaded.json()["companies"]) == (1, 2)
    assert client.get(COMPANY_PATH, headers=AUTH).json()["name"] == "Bright Pixel (reloaded)"
    assert rent not in entry_ids(client, COMPANY_ID, AUTH)
    assert fuel in entry_ids(client, OTHER_COMPANY_ID, OTHER_AUTH)
    assert [c["id"] for c in client.get("/api/v1/companies", headers=AUTH).json()["data"]] == [
        COMPANY_ID, SISTER_COMPANY_ID]


def test_another_firms_forced_faults_never_reach_the_first_firm(client) -> None:
    assert client.put(FAULTS, headers=OTHER_AUTH, json={"status": 503}).status_code == 200
    assert client.get("/api/v1/companies", headers=AUTH).status_code == 200
    assert client.post(f"{COMPANY_PATH}/journal-entries", headers=posting_headers(), json=RENT).status_code == 201
    assert client.get(FAULTS, headers=AUTH).json()["status"] is None
    assert_error(client.get("/api/v1/companies", headers=OTHER_AUTH), "SERVICE_UNAVAILABLE", 503, retryable=True)
    assert client.delete(FAULTS, headers=AUTH).status_code == 204          # clears its own: none
    assert client.get(FAULTS, headers=OTHER_AUTH).json()["status"] == 503
    assert client.delete(FAULTS, headers=OTHER_AUTH).status_code == 204
    assert client.get("/api/v1/companies", headers=OTHER_AUTH).status_code == 200


def test_the_admin_key_acts_on_every_firm(client, sandbox_app) -> None:
    admin = admin_headers(sandbox_app)
    rent, fuel = post_rent(client), post_fuel(client)
    assert client.put(FAULTS, headers=admin, json={"status": 503, "remaining": 2}).status_code == 200
    assert_error(client.get("/api/v1/companies", headers=AUTH), "SERVICE_UNAVAILABLE", 503, retryable=True)
    assert_error(client.get("/api/v1/companies", headers=OTHER_AUTH), "SERVICE_UNAVAILABLE", 503, retryable=True)
    assert client.get("/api/v1/companies", headers=AUTH).status_code == 200
    everyone = client.post(RESET, headers=admin)
    assert everyone.status_code == 200 and everyone.json()["firms"] == 2
    assert rent not in entry_ids(client, COMPANY_ID, AUTH)
    assert fuel not in entry_ids(client, OTHER_COMPANY_ID, OTHER_AUTH)
    world = client.post(FIXTURES, headers={**admin, **YAML}, content=default_fixture_text())
    assert world.status_code == 200 and world.json()["companies"] == 3


def test_a_wrong_admin_key_is_401_and_the_admin_key_reaches_no_partner_route(client, sandbox_app) -> None:
    rent = post_rent(client)
    for headers in ({"X-Admin-Key": "lhq_admin_" + "0" * 32}, {"X-Admin-Key": ""}, {}):
        response = client.post(RESET, headers=headers)
        message = assert_error(response, "UNAUTHORIZED", 401)["message"]
        if headers:     # the header that was refused is named, so a mistyped key is found at once
            assert "X-Admin-Key" in message and "does not match" in message, message
        else:
            assert "Authorization: Bearer" in message and "X-Admin-Key" not in message, message
    assert rent in entry_ids(client, COMPANY_ID, AUTH)
    assert_error(client.get("/api/v1/companies", headers=admin_headers(sandbox_app)), "UNAUTHORIZED", 401)


def _client(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8080")


def test_a_posting_in_flight_during_a_reset_is_refused_or_lands(sandbox_app) -> None:
    store = live(sandbox_app)

    async def scenario():
        async with _client(sandbox_app) as http:
            held = asyncio.create_task(http.post(f"{COMPANY_PATH}/journal-entries", json=RENT, headers={
                **AUTH, "Idempotency-Key": "held-1", "Prefer": "delay=300"}))
            for _ in range(200):
                if (getattr(store, "data", None) or store.ledger).idempotency.in_flight(COMPANY_ID, "held-1"):
                    break
                await asyncio.sleep(0.005)
            reset = await http.post(RESET, headers=AUTH)
            answer = await held
            entries = await http.get(f"{COMPANY_PATH}/journal-entries", headers=AUTH, params={"limit": 200})
            retry = await http.post(f"{COMPANY_PATH}/journal-entries", json=RENT,
                                    headers={**AUTH, "Idempotency-Key": "held-1"})
            return reset, answer, entries, retry

    reset, answer, entries, retry = asyncio.run(scenario())
    assert reset.status_code == 200
    validate_exchange(answer)
    ids = [entry["id"] for entry in entries.json()["data"]]
    assert retry.status_code == 201
    if answer.status_code == 201:                       # landed in the new books: the retry replays it
        assert answer.json()["journalEntryId"] in ids and retry.json() == answer.json()
    else:                                               # refused, nothing posted: the retry posts
        assert_error(answer, "SERVICE_UNAVAILABLE", 503, retryable=True)
        assert retry.headers["idempotent-replayed"] == "false" and retry.json()["journalEntryId"] not in ids
