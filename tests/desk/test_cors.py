"""CORS (contract info, "Browsers (CORS)"): preflights of allowed origins are granted with the
path's methods from the contract, simple requests expose the sandbox's headers, and an origin
that is not allowed gets no CORS header (its preflight a 403 FORBIDDEN)."""
from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.middleware.cors import parse_origins
from mock_server.webhooks.hosts import LOOPBACK_HOSTS
from tests.api.helpers import COMPANY_PATH, posting_headers

TOKEN = {"Authorization": "Bearer mcp_at_sandbox_summit_firm_token"}
ALLOWED = "http://localhost:3000"
PREFLIGHT = {"Origin": ALLOWED, "Access-Control-Request-Method": "POST",
             "Access-Control-Request-Headers": "authorization, content-type, idempotency-key"}


@pytest.fixture(scope="module")
def browser() -> TestClient:
    with TestClient(create_app(webhook_hosts=LOOPBACK_HOSTS), base_url="http://127.0.0.1:8080") as client:
        yield client


def test_a_preflight_of_an_allowed_origin_is_granted_with_the_paths_methods(browser) -> None:
    response = browser.options(f"{COMPANY_PATH}/journal-entries", headers=PREFLIGHT)
    assert response.status_code == 204, response.text
    assert response.headers["access-control-allow-origin"] == ALLOWED
    assert response.headers["access-control-allow-credentials"] == "true"
    assert response.headers["access-control-allow-methods"] == "GET, POST"
    allowed = {name.strip().lower() for name in response.headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "content-type", "idempotency-key", "x-organization-id", "x-admin-key", "prefer"} <= allowed
    assert int(response.headers["access-control-max-age"]) > 0
    assert response.headers["x-request-id"].startswith("req_")
    assert "Origin" in response.headers["vary"]


def test_any_port_of_the_default_hosts_is_allowed_and_mcp_is_covered(browser) -> None:
    response = browser.options("/api/mcp", headers={**PREFLIGHT, "Origin": "http://127.0.0.1:5173"})
    assert response.status_code == 204
    assert response.headers["access-control-allow-methods"] == "GET, POST, DELETE"
    assert browser.options("/api/nowhere", headers=PREFLIGHT).status_code == 404


def test_a_simple_request_of_an_allowed_origin_exposes_the_request_id_and_replay_header(browser) -> None:
    body = {"date": "2026-06-08", "sourceAccountId": "acc_bp_checking",
            "categoryAccountId": "acc_bp_office_supplies", "amountCents": 4299}
    headers = {**posting_headers(), "Origin": ALLOWED}
    first = browser.post(f"{COMPANY_PATH}/purchases", headers=headers, json=body)
    again = browser.post(f"{COMPANY_PATH}/purchases", headers=headers, json=body)
    assert (first.status_code, again.status_code) == (201, 201), first.text
    assert again.headers["idempotent-replayed"] == "true"
    exposed = {name.strip().lower() for name in again.headers["access-control-expose-headers"].split(",")}
    assert {"x-request-id", "idempotent-replayed", "retry-after"} <= exposed
    assert again.headers["access-control-allow-origin"] == ALLOWED
    error = browser.get("/api/v1/companies", headers={"Origin": ALLOWED})
    assert error.status_code == 401 and error.headers["access-control-allow-origin"] == ALLOWED


def test_an_origin_not_allowed_gets_no_cors_header_and_its_preflight_is_refused(browser) -> None:
    response = browser.get("/api/v1/companies", headers={**TOKEN, "Origin": "https://evil.example"})
    assert response.status_code == 200
    assert not [name for name in response.headers if name.startswith("access-control-")]
    refused = browser.options("/api/v1/companies", headers={**PREFLIGHT, "Origin": "http://localhost.evil:3000"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "FORBIDDEN" and "--cors-origins" in refused.json()["error"]["message"]
    assert not [name for name in refused.headers if name.startswith("access-control-")]


def test_no_origin_no_cors_and_a_bare_options_is_still_405(browser) -> None:
    plain = browser.get("/api/health")
    assert not [name for name in plain.headers if name.startswith("access-control-")]
    assert browser.options("/api/v1/companies").status_code == 405


def test_configured_origins_replace_the_defaults_and_bad_ones_are_refused() -> None:
    app = create_app(webhook_hosts=LOOPBACK_HOSTS, cors_origins=parse_origins("https://app.example.com"))
    with TestClient(app, base_url="http://127.0.0.1:8080") as client:
        granted = client.options("/api/v1/companies", headers={**PREFLIGHT, "Origin": "https://app.example.com"})
        assert granted.status_code == 204 and granted.headers["access-control-allow-methods"] == "GET"
        assert client.options("/api/v1/companies", headers=PREFLIGHT).status_code == 403
    anyone = create_app(webhook_hosts=LOOPBACK_HOSTS, cors_origins=parse_origins("*"))
    with TestClient(anyone, base_url="http://127.0.0.1:8080") as client:
        response = client.get("/api/health", headers={"Origin": "https://anywhere.example"})
        assert response.headers["access-control-allow-origin"] == "*"
        assert "access-control-allow-credentials" not in response.headers
    for bad in ("", "localhost:3000", "http://localhost:3000/path", "ftp://x"):
        with pytest.raises(ValueError):
            parse_origins(bad)


def test_the_command_lines_default_origins_are_the_apps() -> None:
    from mock_server import cli
    from mock_server.middleware.cors import DEFAULT_ORIGINS
    assert parse_origins(cli.parse_args(["serve"]).cors_origins) == DEFAULT_ORIGINS == cli.DEFAULT_CORS_ORIGINS


def test_refusals_made_before_routing_carry_cors_headers_too(browser) -> None:
    """A browser reads no answer without CORS headers: the trailing-slash 404 and the 413 for a declared or a
    streamed body past the cap are made before routing, and must still be readable."""
    slash = browser.get("/api/v1/companies/", headers={"Origin": ALLOWED})
    assert slash.status_code == 404 and "trailing" in slash.json()["error"]["message"]
    declared = browser.post(f"{COMPANY_PATH}/purchases", content=b"{}",
                            headers={**posting_headers(), "Origin": ALLOWED, "Content-Length": str(2 * 1024 * 1024)})
    assert declared.status_code == 413, declared.text

    def chunks():
        for _ in range(20):
            yield b" " * (100 * 1024)
    streamed = browser.post(f"{COMPANY_PATH}/purchases", content=chunks(),
                            headers={**posting_headers(), "Origin": ALLOWED, "Content-Type": "application/json"})
    assert streamed.status_code == 413, streamed.text
    for answer in (slash, declared, streamed):
        assert answer.headers["access-control-allow-origin"] == ALLOWED
        assert answer.headers["x-request-id"] == answer.json()["error"]["requestId"]
