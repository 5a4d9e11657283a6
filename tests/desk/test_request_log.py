"""The request log (middleware/request_log.py): one line per request, in text or JSON, with
the request id the response carries, the status, milliseconds and the error code; health
checks only when asked for; nothing at all until the log is configured."""
from __future__ import annotations

import io
import json
import logging
import re

import pytest
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.middleware import request_log
from mock_server.webhooks.hosts import LOOPBACK_HOSTS

TOKEN = {"Authorization": "Bearer mcp_at_sandbox_summit_firm_token"}
TEXT_LINE = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (req_[0-9a-f]{24}) ([A-Z]+) (\S+) (\d{3}) "
                       r"(\d+(?:\.\d)?)ms(?: ([A-Za-z_]+))?$")


@pytest.fixture
def logged():
    """Configure the request log on a buffer; the logger is put back as it was afterwards."""
    def configure(log_format: str) -> io.StringIO:
        stream = io.StringIO()
        request_log.configure_request_log(log_format, stream)
        return stream
    yield configure
    logger = logging.getLogger(request_log.LOGGER_NAME)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    logger.setLevel(logging.NOTSET)
    logger.propagate = True


def exchange(log_health: bool = False) -> list:
    with TestClient(create_app(webhook_hosts=LOOPBACK_HOSTS, log_health=log_health),
                    base_url="http://127.0.0.1:8080") as client:
        return [client.get("/api/health"), client.get("/api/v1/companies", headers=TOKEN),
                client.get("/api/v1/companies?limit=0", headers=TOKEN), client.get("/api/v1/companies"),
                client.get("/api/nowhere/")]


def test_text_lines_name_the_request_status_time_and_error_code(logged) -> None:
    stream = logged("text")
    responses = exchange()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 4, lines                       # the health check is left out
    parsed = [TEXT_LINE.match(line) for line in lines]
    assert all(parsed), lines
    assert [m.group(2) for m in parsed] == [r.headers["x-request-id"] for r in responses[1:]]
    assert [(m.group(3), m.group(4), m.group(5), m.group(7)) for m in parsed] == [
        ("GET", "/api/v1/companies", "200", None), ("GET", "/api/v1/companies", "400", "VALIDATION_ERROR"),
        ("GET", "/api/v1/companies", "401", "UNAUTHORIZED"), ("GET", "/api/nowhere/", "404", "NOT_FOUND")]
    assert all(float(m.group(6)) < 10_000 for m in parsed)


def test_json_lines_parse_and_health_checks_come_when_asked(logged) -> None:
    stream = logged("json")
    responses = exchange(log_health=True)
    records = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [(r["path"], r["status"], r["errorCode"]) for r in records] == [
        ("/api/health", 200, None), ("/api/v1/companies", 200, None),
        ("/api/v1/companies", 400, "VALIDATION_ERROR"), ("/api/v1/companies", 401, "UNAUTHORIZED"),
        ("/api/nowhere/", 404, "NOT_FOUND")]
    assert [r["requestId"] for r in records] == [r.headers["x-request-id"] for r in responses]
    for record in records:
        assert set(record) == {"time", "requestId", "method", "path", "status", "durationMs", "errorCode"}
        assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", record["time"])
        assert isinstance(record["durationMs"], float) and record["durationMs"] >= 0


def test_nothing_is_logged_until_the_log_is_configured(caplog) -> None:
    caplog.set_level(logging.WARNING)
    exchange()
    assert not [r for r in caplog.records if r.name == request_log.LOGGER_NAME]


def test_an_oauth_error_names_its_rfc_6749_code() -> None:
    assert request_log.error_code(b'{"error": "invalid_grant", "error_description": "x"}') == "invalid_grant"
    assert request_log.error_code(b'{"error": {"code": "NOT_FOUND"}}') == "NOT_FOUND"
    assert request_log.error_code(b"not json") is None and request_log.error_code(b"[1]") is None
    with pytest.raises(ValueError):
        request_log.configure_request_log("xml")
