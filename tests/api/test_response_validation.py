"""--validate-responses: the sandbox checks each response against the contract (warn logs, strict answers 500)."""
from __future__ import annotations

import json
import logging

import pytest
from starlette.testclient import TestClient

from mock_server.contract import load_contract
from mock_server.middleware.request_context import RequestContextMiddleware
from mock_server.middleware.response_validation import ResponseValidationMiddleware, with_response_validation

HEALTHY = {"status": "ok", "version": "0.1.0", "time": "2026-07-01T12:00:00Z"}


def answering(status: int, body: object):
    """An ASGI app that answers every request with `status` and `body` as JSON."""
    async def app(scope, receive, send):
        payload = json.dumps(body).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]})
        await send({"type": "http.response.body", "body": payload})
    return app


def client_for(inner, mode: str) -> TestClient:
    app = RequestContextMiddleware(with_response_validation(inner, load_contract(), mode), service=None)
    return TestClient(app, base_url="http://127.0.0.1:8080", raise_server_exceptions=False)


def test_off_leaves_the_app_as_it_is():
    inner = answering(200, HEALTHY)
    assert with_response_validation(inner, load_contract(), "off") is inner
    with pytest.raises(ValueError):
        with_response_validation(inner, load_contract(), "loud")


@pytest.mark.parametrize("mode", ["warn", "strict"])
def test_a_response_the_contract_describes_passes_untouched(mode: str):
    answer = client_for(answering(200, HEALTHY), mode).get("/api/health")
    assert answer.status_code == 200 and answer.json() == HEALTHY
    assert answer.headers["x-request-id"].startswith("req_")


@pytest.mark.parametrize("status, body, named", [
    (200, {"status": 5, "version": "0.1.0", "time": "2026-07-01T12:00:00Z"}, "status"),
    (418, HEALTHY, "418"),
])
def test_strict_answers_drift_as_internal_error_naming_it(status: int, body: dict, named: str):
    answer = client_for(answering(status, body), "strict").get("/api/health")
    assert answer.status_code == 500
    error = answer.json()["error"]
    assert error["code"] == "INTERNAL_ERROR" and error["requestId"] == answer.headers["x-request-id"]
    assert any(named in detail["issue"] for detail in error["details"]), error["details"]


def test_warn_sends_the_drift_and_logs_it_with_the_request_id(caplog):
    with caplog.at_level(logging.WARNING, logger="ledgerhq.sandbox.contract"):
        answer = client_for(answering(418, HEALTHY), "warn").get("/api/health")
    assert answer.status_code == 418
    assert any(answer.headers["x-request-id"] in record.getMessage() for record in caplog.records)


def test_a_path_the_contract_lacks_is_not_checked():
    answer = client_for(answering(404, {"error": "nothing here"}), "strict").get("/api/nowhere")
    assert answer.status_code == 404


def test_the_real_sandbox_passes_strict(client):
    for path in ("/api/health", "/api/v1/companies", "/api/v1/entries/je_missing"):
        answer = client.get(path, headers={"Authorization": "Bearer mcp_at_unknown"})
        assert answer.status_code != 500, answer.text


def test_the_contract_is_compiled_once_per_app():
    layer = ResponseValidationMiddleware(answering(200, HEALTHY), load_contract(), "strict")
    first = layer.validator
    client = TestClient(RequestContextMiddleware(layer, service=None), base_url="http://127.0.0.1:8080")
    client.get("/api/health")
    assert layer.validator is first
    again = ResponseValidationMiddleware(answering(200, HEALTHY), load_contract(), "warn")
    assert again.validator is first          # apps of one contract share the compiled contract
