"""Errors are structured JSON with the request id, for every kind of bad request (R4, R9)."""

from __future__ import annotations

import json

from mock_server.contract import load_contract
from tests.api.helpers import AUTH, COMPANY_PATH, ORG, assert_error, books_snapshot, posting_headers

BODY_BYTES_MAX = 1024 * 1024


def _contract_methods(template: str) -> set[str]:
    path_item = load_contract()["paths"][template]
    return {m.upper() for m in ("get", "put", "post", "delete", "patch", "head", "options", "trace") if m in path_item}


def test_every_response_carries_a_fresh_request_id(client):
    ids = {client.get("/api/health").headers["x-request-id"] for _ in range(3)}
    ids.add(client.get("/api/v1/companies", headers=AUTH).headers["x-request-id"])
    assert len(ids) == 4 and all(i.startswith("req_") for i in ids)


UNKNOWN_PATHS = ["/api/v1/nope", "/api/v2/companies", "/", "/api/v1/companies/cmp_brightpixel/nope",
                 "/api/v1/accounts/acc_bp_checking/", "/api/v1/companies/", "/api/v1/accounts/acc_bp_checking/x"]
WRONG_METHODS = [
    ("DELETE", "/api/v1/companies", "/api/v1/companies"),
    ("PUT", "/api/v1/accounts/acc_bp_checking", "/api/v1/accounts/{accountId}"),
    ("GET", f"{COMPANY_PATH}/purchases", "/api/v1/companies/{companyId}/purchases"),
    ("PATCH", "/api/v1/entries/je_bp_0001/void", "/api/v1/entries/{entryId}/void"),
    ("POST", "/api/v1/reports/trial-balance", "/api/v1/reports/trial-balance"),
    ("PUT", "/api/v1/sandbox/reset", "/api/v1/sandbox/reset"),
]


def test_unknown_routes_are_404_json(client):
    for path in UNKNOWN_PATHS:
        for method in ("GET", "POST"):
            error = assert_error(client.request(method, path, headers=ORG), "NOT_FOUND", 404)
            assert "<" not in error["message"], path


def test_wrong_methods_are_405_with_allow(client):
    for method, path, template in WRONG_METHODS:
        response = client.request(method, path, headers=ORG)
        assert_error(response, "METHOD_NOT_ALLOWED", 405)
        allowed = {m.strip() for m in response.headers["allow"].split(",")}
        assert allowed == _contract_methods(template), path


def test_a_non_json_body_is_415_and_posts_nothing(client):
    before = books_snapshot(client)
    for content_type in ("text/plain", "application/xml", "application/x-www-form-urlencoded"):
        response = client.post(f"{COMPANY_PATH}/purchases", content=b"amountCents=4299",
                               headers={**posting_headers(), "Content-Type": content_type})
        assert_error(response, "UNSUPPORTED_MEDIA_TYPE", 415)
    response = client.post("/api/v1/accounts", content=b"code=1", headers={**ORG, "Content-Type": "text/plain"})
    assert_error(response, "UNSUPPORTED_MEDIA_TYPE", 415)
    assert books_snapshot(client) == before


def test_a_body_over_1_mib_is_413(client, purchase_body):
    padding = "x" * BODY_BYTES_MAX
    before = books_snapshot(client)
    response = client.post(f"{COMPANY_PATH}/purchases", headers=posting_headers(),
                           json={**purchase_body, "description": padding})
    assert_error(response, "PAYLOAD_TOO_LARGE", 413)

    def chunks():
        yield b'{"description": "'
        for _ in range(17):
            yield b"y" * 65536
        yield b'"}'

    response = client.post(f"{COMPANY_PATH}/purchases", content=chunks(),
                           headers={**posting_headers(), "Content-Type": "application/json"})
    assert_error(response, "PAYLOAD_TOO_LARGE", 413)
    assert books_snapshot(client) == before


def test_a_chunked_body_is_read_like_any_other(client, purchase_body):
    def chunks():
        text = json.dumps(purchase_body).encode()
        yield text[:10]
        yield text[10:]

    response = client.post(f"{COMPANY_PATH}/purchases", content=chunks(),
                           headers={**posting_headers(), "Content-Type": "application/json"})
    assert "content-length" not in response.request.headers
    assert response.status_code == 201, response.text


def test_malformed_json_is_400(client):
    for raw in (b'{"date": ', b"[1, 2]", b"", b"null", b'{"amountCents": 1}{'):
        response = client.post(f"{COMPANY_PATH}/purchases", content=raw,
                               headers={**posting_headers(), "Content-Type": "application/json"})
        assert_error(response, "VALIDATION_ERROR", 400)


def test_unknown_fields_and_parameters_are_400_naming_them(client, purchase_body):
    response = client.post(f"{COMPANY_PATH}/purchases", headers=posting_headers(), json={**purchase_body, "memo": "x"})
    assert assert_error(response, "VALIDATION_ERROR", 400)["details"] == [{"field": "memo", "issue": "not allowed"}]
    del purchase_body["date"]
    response = client.post(f"{COMPANY_PATH}/purchases", headers=posting_headers(), json=purchase_body)
    assert assert_error(response, "VALIDATION_ERROR", 400)["details"] == [{"field": "date", "issue": "required"}]
    response = client.get(f"{COMPANY_PATH}/reports/trial-balance", headers=AUTH, params={"currency": "EUR"})
    error = assert_error(response, "VALIDATION_ERROR", 400)
    assert error["details"] == [{"field": "currency", "issue": "not allowed"}]


WEIRD_IDS = ["%00", "..", "%2e%2e", "x" * 300, "%7B%7D", "a%2Fb", "acc_bp_checking%2F", "%20", "acc_%E2%82%AC",
             "acc_bp_checking%00", "' OR 1=1 --"]


def test_weird_ids_are_404_or_400_never_500(client):
    for weird in WEIRD_IDS:
        for path, headers in [(f"/api/v1/accounts/{weird}", ORG), (f"/api/v1/companies/{weird}", AUTH),
                              (f"/api/v1/entries/{weird}/void", ORG), (f"/api/v1/companies/{weird}/purchases", AUTH)]:
            method = "POST" if path.endswith(("void", "purchases")) else "GET"
            response = client.request(method, path, headers={**headers, "Idempotency-Key": "weird-1"}, json={})
            assert response.status_code in (400, 404), (path, response.status_code, response.text)
            assert response.json()["error"]["code"] in ("VALIDATION_ERROR", "NOT_FOUND"), path


def test_an_id_of_another_kind_is_404(client):
    assert_error(client.get("/api/v1/accounts/je_bp_0001", headers=ORG), "NOT_FOUND", 404)
    assert_error(client.get("/api/v1/entries/acc_bp_checking", headers=ORG), "NOT_FOUND", 404)
    assert_error(client.get("/api/v1/companies/org_brightpixel", headers=AUTH), "NOT_FOUND", 404)


def test_every_401_says_which_credentials_to_send(client):
    """One 401 message wherever the request is refused: the authentication layer, or an
    unauthorized problem raised under it (rendered by app.status_error)."""
    from mock_server.app import status_error
    from mock_server.auth.session import SESSION_COOKIE

    messages = set()
    for headers in ({}, {"Authorization": "Bearer mcp_at_unknown"}, {"Cookie": f"{SESSION_COOKIE}=sess_x"}):
        response = client.get("/api/v1/companies", headers=headers)
        messages.add(assert_error(response, "UNAUTHORIZED", 401)["message"])
    scope = {"type": "http", "method": "GET", "path": "/api/v1/companies", "extensions": {}}
    raised = status_error(scope, 401, "No authorization token provided", (), {})
    assert raised.status_code == 401 and raised.headers["www-authenticate"].startswith("Bearer")
    messages.add(json.loads(raised.body)["error"]["message"])
    (message,) = messages
    for credential in ("Bearer mcp_at_", "Bearer dk_live_", SESSION_COOKIE):
        assert credential in message, message
