"""Concurrent postings with one Idempotency-Key post once (R2), checked against the contract."""

from __future__ import annotations

import asyncio

import httpx

from tests.api.helpers import AUTH, COMPANY_ID, COMPANY_PATH, ORG, assert_error
from tests.support.contract_client import validate_exchange

REQUESTS_CONCURRENT = 10
IN_FLIGHT_POLLS_MAX = 200
PURCHASE = {"date": "2026-06-08", "sourceAccountId": "acc_bp_checking",
            "categoryAccountId": "acc_bp_office_supplies", "amountCents": 4299}


def _client(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8080")


async def _post(http: httpx.AsyncClient, key: str, extra_headers: dict | None = None) -> httpx.Response:
    response = await http.post(f"{COMPANY_PATH}/purchases", json=PURCHASE,
                               headers={**AUTH, "Idempotency-Key": key, **(extra_headers or {})})
    validate_exchange(response)
    return response


async def _entry_count(http: httpx.AsyncClient) -> int:
    response = await http.get(f"{COMPANY_PATH}/journal-entries", headers=AUTH, params={"limit": 200})
    validate_exchange(response)
    assert response.json()["nextCursor"] is None
    return len(response.json()["data"])


def test_concurrent_identical_postings_post_once(sandbox_app):
    async def scenario():
        async with _client(sandbox_app) as http:
            before = await _entry_count(http)
            answers = await asyncio.gather(*(_post(http, "concurrent-1") for _ in range(REQUESTS_CONCURRENT)))
            return before, answers, await _entry_count(http)

    before, answers, after = asyncio.run(scenario())
    assert after == before + 1
    receipts = [a for a in answers if a.status_code == 201]
    assert receipts, [a.text for a in answers]
    assert len({a.text for a in receipts}) == 1
    assert [a.headers["idempotent-replayed"] for a in receipts].count("false") == 1
    for answer in answers:
        if answer.status_code != 201:
            assert_error(answer, "IDEMPOTENCY_KEY_IN_USE", 409, retryable=True)


def test_a_delayed_posting_holds_its_key_in_flight(sandbox_app):
    store = sandbox_app.service.idempotency

    async def scenario():
        async with _client(sandbox_app) as http:
            first = asyncio.create_task(_post(http, "delayed-1", {"Prefer": "delay=200"}))
            for _ in range(IN_FLIGHT_POLLS_MAX):
                if store.in_flight(COMPANY_ID, "delayed-1"):
                    break
                await asyncio.sleep(0.005)
            else:
                raise AssertionError("the delayed posting never held its key")
            second = await _post(http, "delayed-1")
            third = await _post(http, "delayed-1", {"Prefer": "delay=0"})
            first_answer = await first
            replay = await _post(http, "delayed-1")
            return first_answer, second, third, replay

    first, second, third, replay = asyncio.run(scenario())
    assert first.status_code == 201 and first.headers["idempotent-replayed"] == "false"
    assert_error(second, "IDEMPOTENCY_KEY_IN_USE", 409, retryable=True)
    assert_error(third, "IDEMPOTENCY_KEY_IN_USE", 409, retryable=True)
    assert replay.status_code == 201 and replay.json() == first.json()
    assert replay.headers["idempotent-replayed"] == "true"


def test_forced_in_use_answers_409_and_posts_nothing(client):
    before = client.get(f"{COMPANY_PATH}/journal-entries", headers=AUTH, params={"limit": 200}).json()["data"]
    response = client.post("/api/v1/purchases", json=PURCHASE,
                           headers={**ORG, "Idempotency-Key": "forced-1", "Prefer": "idempotency=in_use"})
    assert_error(response, "IDEMPOTENCY_KEY_IN_USE", 409, retryable=True)
    after = client.get(f"{COMPANY_PATH}/journal-entries", headers=AUTH, params={"limit": 200}).json()["data"]
    assert after == before
    response = client.post("/api/v1/purchases", json=PURCHASE, headers={**ORG, "Idempotency-Key": "forced-1"})
    assert response.status_code == 201 and response.headers["idempotent-replayed"] == "false"
