"""The request log: one line per request, through `logging` (logger `ledgerhq.sandbox.requests`).

Each line has the time (UTC), the request id, method, path (no query string), status,
milliseconds and the error code when the answer is an error. Health checks are left out
unless `log_health`. This layer sits outside every other (it sees their final status) and
answers nothing itself. While the logger is off for INFO (the default, until
`configure_request_log` is called, as `ledgerhq-sandbox serve` does) it costs one check.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import datetime, timezone
from typing import TextIO

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOGGER_NAME = "ledgerhq.sandbox.requests"
LOG_FORMATS = ("text", "json")
HEALTH_PATHS = frozenset({"/api/health"})
ERROR_BODY_BYTES_MAX = 4096         # an error body is read this far for its code
logger = logging.getLogger(LOGGER_NAME)


class RequestLogMiddleware:
    def __init__(self, app: ASGIApp, service: object, log_health: bool = False) -> None:
        self.app = app
        self.service = service          # the SandboxService the app serves (`app.service`)
        self.log_health = log_health

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not logger.isEnabledFor(logging.INFO) \
                or (scope["path"] in HEALTH_PATHS and not self.log_health):
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        answer = {"status": 500, "request_id": "", "body": b""}

        async def send_logged(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
                answer["request_id"] = header_of(message, b"x-request-id")
                answer["json"] = b"json" in header_of(message, b"content-type").encode()
            elif message["type"] == "http.response.body" and answer["status"] >= 400 and answer.get("json") \
                    and len(answer["body"]) < ERROR_BODY_BYTES_MAX:
                answer["body"] += message.get("body", b"")
            await send(message)

        try:
            await self.app(scope, receive, send_logged)
        finally:
            request = {"requestId": answer["request_id"], "method": scope["method"], "path": scope["path"],
                       "status": answer["status"],
                       "durationMs": round((time.perf_counter() - started) * 1000, 1),
                       "errorCode": error_code(answer["body"]) if answer["status"] >= 400 else None}
            log_request(request)


def log_request(request: dict) -> None:
    """`logger.info` of the line, less its search of the stack for the caller's source line
    (the record names this module instead): most of the cost of a line."""
    logger.handle(logger.makeRecord(LOGGER_NAME, logging.INFO, __file__, 0, "%(method)s %(path)s %(status)s",
                                    (request,), None, "log_request", {"request": request}))


def header_of(message: Message, name: bytes) -> str:
    for key, value in message.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return ""


def error_code(body: bytes) -> str | None:
    """`error.code` of a structured error, or the RFC 6749 `error` string; None otherwise."""
    try:
        error = json.loads(body[:ERROR_BODY_BYTES_MAX]).get("error")
    except (ValueError, AttributeError):
        return None
    code = error.get("code") if isinstance(error, dict) else error
    return code if isinstance(code, str) else None


_second = [-1, ""]       # the last whole second formatted, and its text


def utc_time(record: logging.LogRecord) -> str:
    second = int(record.created)
    if second != _second[0]:
        _second[:] = second, datetime.fromtimestamp(second, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.")
    return f"{_second[1]}{int(record.created * 1000) % 1000:03d}Z"


class TextFormatter(logging.Formatter):
    """`2026-12-01T21:30:00.123Z req_... GET /api/v1/companies 200 3.1ms [ERROR_CODE]`"""

    def format(self, record: logging.LogRecord) -> str:
        request = getattr(record, "request", None)
        if request is None:
            return f"{utc_time(record)} {record.getMessage()}"
        line = (f"{utc_time(record)} {request['requestId'] or '-'} {request['method']} {request['path']} "
                f"{request['status']} {request['durationMs']}ms")
        return line + (f" {request['errorCode']}" if request["errorCode"] else "")


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, requestId, method, path, status, durationMs, errorCode (or null)."""

    def format(self, record: logging.LogRecord) -> str:
        request = getattr(record, "request", None) or {"message": record.getMessage()}
        return json.dumps({"time": utc_time(record), **request}, separators=(",", ":"))


def configure_request_log(log_format: str = "text", stream: TextIO | None = None) -> logging.Handler:
    """Turn the request log on: INFO lines in `log_format` on `stream` (default stderr)."""
    if log_format not in LOG_FORMATS:
        raise ValueError(f"--log-format must be one of {', '.join(LOG_FORMATS)}")
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    for old in list(logger.handlers):
        logger.removeHandler(old)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return handler
