"""The outermost layer: a request id on every response, a body-size cap, and JSON always.

Nothing below this layer can make the sandbox answer HTML or a stack trace: an exception
that escapes every handler becomes a structured 500 `INTERNAL_ERROR` here.
"""

from __future__ import annotations

import logging
import random

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_server import context, errors
from mock_server.middleware.tracked_send import TrackedSend

BODY_BYTES_MAX = 1024 * 1024
logger = logging.getLogger("ledgerhq.sandbox")


_request_ids = random.Random()     # seeded from os.urandom: ids unique, not secrets


def new_request_id() -> str:
    """`req_` + 24 hex digits. Not a secret (it is in every answer and log line), so it
    comes from a seeded generator, not a system call per request."""
    return f"req_{_request_ids.getrandbits(96):024x}"


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, service: object) -> None:
        self.app = app
        self.service = service          # the SandboxService the app serves (for its owner)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request_id = new_request_id()
        headers = {name.decode("latin-1").lower(): value.decode("latin-1")
                   for name, value in scope["headers"]}
        context.bind(context.RequestContext(request_id, headers, path=scope["path"]))
        # Bodies (chunked ones too) are read whole, with a deadline, in middleware/body_limits.
        started = False
        request_id_header = (b"x-request-id", request_id.encode())

        async def send_with_request_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                raw = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"]
                raw.append(request_id_header)
                message["headers"] = raw
            await send(message)

        try:
            await self.app(scope, _capped(receive, request_id), send_with_request_id)
        except BodyTooLarge:
            if started:
                raise
            await _too_large(request_id)(scope, receive, send)
        except Exception:  # the last line of defence: log it, answer JSON
            logger.exception("unhandled error in %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            response = errors.error_response(errors.INTERNAL_ERROR, errors.INTERNAL_ERROR_MESSAGE, request_id)
            await response(scope, receive, send)


class BodyTooLarge(Exception):
    """A body grew past BODY_BYTES_MAX."""


class EarlyRefusals:
    """Refusals made before routing, answered inside CORS so that a browser reads them too: a
    path ending in '/' (no route does, R9), a declared or received body past BODY_BYTES_MAX."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = context.current()
        if len(scope["path"]) > 1 and scope["path"].endswith("/"):
            response = errors.error_response(
                errors.NOT_FOUND, "No such route: drop the trailing '/' from the path.", request.request_id)
            return await response(scope, receive, send)
        if _declared_length(request.headers) > BODY_BYTES_MAX:
            return await _too_large(request.request_id)(scope, receive, send)
        tracked = TrackedSend(send)
        try:
            await self.app(scope, receive, tracked)
        except BodyTooLarge:
            if tracked.started:
                raise
            await _too_large(request.request_id)(scope, receive, send)


def _declared_length(headers: dict[str, str]) -> int:
    try:
        return int(headers.get("content-length", "0"))
    except ValueError:
        return 0


def _too_large(request_id: str):
    return errors.error_response(
        errors.PAYLOAD_TOO_LARGE, f"Request bodies are limited to {BODY_BYTES_MAX} bytes.", request_id)


def _capped(receive: Receive, request_id: str) -> Receive:
    received = 0

    async def receive_capped() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > BODY_BYTES_MAX:
                raise BodyTooLarge(request_id)
        return message

    return receive_capped
