"""Forced faults (sandbox controls): per request, persistent, never on sandbox routes."""

from __future__ import annotations

import time

from tests.api.helpers import AUTH, COMPANY_PATH, ORG, assert_error, books_snapshot, posting_headers

FAULTS = "/api/v1/sandbox/faults"


def test_prefer_code_503_answers_a_retryable_503(client, purchase_body):
    response = client.get("/api/v1/companies", headers={**AUTH, "Prefer": "code=503"})
    error = assert_error(response, "SERVICE_UNAVAILABLE", 503, retryable=True)
    assert "503" in error["message"]
    before = books_snapshot(client)
    response = client.post(f"{COMPANY_PATH}/purchases", json=purchase_body,
                           headers={**posting_headers("faulted-1"), "Prefer": "code=503"})
    assert_error(response, "SERVICE_UNAVAILABLE", 503, retryable=True)
    assert books_snapshot(client) == before
    retried = client.post(f"{COMPANY_PATH}/purchases", json=purchase_body, headers=posting_headers("faulted-1"))
    assert retried.status_code == 201 and retried.headers["idempotent-replayed"] == "false"


def test_prefer_codes_map_to_their_error_codes(client):
    for status, code, retryable in [(429, "RATE_LIMITED", True), (500, "INTERNAL_ERROR", True),
                                    (403, "FORBIDDEN", False), (400, "VALIDATION_ERROR", False)]:
        response = client.get("/api/v1/accounts", headers={**ORG, "Prefer": f"code={status}, delay=1"})
        assert_error(response, code, status, retryable)
    response = client.get("/api/v1/accounts", headers={**ORG, "Prefer": "code=401"})
    assert_error(response, "UNAUTHORIZED", 401)
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_a_status_the_operation_does_not_declare_is_never_sent(client):
    for status in (418, 502, 404):
        response = client.get("/api/v1/companies", headers={**AUTH, "Prefer": f"code={status}"})
        error = assert_error(response, "VALIDATION_ERROR", 400)
        assert error["details"] == [{"field": "Prefer", "issue": "undeclared status"}]
    response = client.get(COMPANY_PATH, headers={**AUTH, "Prefer": "code=404"})
    assert_error(response, "NOT_FOUND", 404)


def test_unknown_prefer_parts_are_ignored(client):
    for prefer in ("code=abc", "respond-async", "code=200", "code=999", "delay=-5", "handling=strict"):
        assert client.get("/api/v1/companies", headers={**AUTH, "Prefer": prefer}).status_code == 200, prefer


def test_a_persistent_fault_with_remaining_1_faults_exactly_one_request(client):
    response = client.put(FAULTS, headers=AUTH, json={"status": 503, "remaining": 1})
    assert response.json() == {"status": 503, "delayMs": 0, "idempotencyInUse": False, "remaining": 1}
    assert client.get(FAULTS, headers=AUTH).json()["remaining"] == 1
    assert client.get("/api/v1/companies/nope/nope/nope", headers=AUTH).status_code == 404   # no operation
    assert_error(client.get("/api/v1/companies", headers=AUTH), "SERVICE_UNAVAILABLE", 503, retryable=True)
    assert client.get("/api/v1/companies", headers=AUTH).status_code == 200
    assert client.get(FAULTS, headers=AUTH).json()["status"] is None


def test_a_persistent_fault_lasts_until_cleared_and_spares_sandbox_routes(client):
    assert client.put(FAULTS, headers=AUTH, json={"status": 500}).status_code == 200
    for _ in range(3):
        assert_error(client.get("/api/v1/accounts", headers=ORG), "INTERNAL_ERROR", 500, retryable=True)
    assert client.get("/api/health").status_code == 200
    assert client.get("/.well-known/oauth-authorization-server").status_code == 200
    assert client.get("/api/v1/sandbox/companies/cmp_brightpixel/bills", headers=AUTH).status_code == 200
    assert client.get(FAULTS, headers=AUTH).json()["status"] == 500
    assert client.delete(FAULTS, headers=AUTH).status_code == 204
    assert client.get("/api/v1/accounts", headers=ORG).status_code == 200


def test_a_persistent_in_use_fault_refuses_postings_only(client, purchase_body):
    assert client.put(FAULTS, headers=AUTH, json={"idempotencyInUse": True, "remaining": 5}).status_code == 200
    response = client.post(f"{COMPANY_PATH}/purchases", json=purchase_body, headers=posting_headers())
    assert_error(response, "IDEMPOTENCY_KEY_IN_USE", 409, retryable=True)
    assert client.get("/api/v1/accounts", headers=ORG).status_code == 200


def test_a_fault_status_off_the_common_set_is_refused(client):
    for status in (418, 404, 599):
        assert_error(client.put(FAULTS, headers=AUTH, json={"status": status}), "VALIDATION_ERROR", 400)
    assert client.get(FAULTS, headers=AUTH).json()["status"] is None


def test_prefer_delay_holds_a_read_for_at_least_that_long(client):
    started = time.monotonic()
    response = client.get(f"{COMPANY_PATH}/accounts", headers={**AUTH, "Prefer": "delay=300"})
    assert response.status_code == 200
    assert time.monotonic() - started >= 0.3       # a lower bound: the delay happened at all
