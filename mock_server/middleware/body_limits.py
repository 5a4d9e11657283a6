"""Body limits (R9): the body of every operation that takes one is read here, whole, before
Connexion validates it, and refused with the structured error unless it is sound.

- It must arrive within `body_wait_s` (default BODY_WAIT_S) and in full: a stalled body is
  answered 400 and its connection closed; a client that leaves before sending its declared
  `Content-Length` gets nothing, and nothing is processed. A chunked body is buffered (capped
  at BODY_BYTES_MAX) and passed on with its length.
- JSON bodies: nested at most JSON_DEPTH_MAX deep, integers of at most INTEGER_DIGITS_MAX
  digits (Python's int-string limit), strings of valid Unicode (no lone surrogate, escaped as
  `"\\ud800"`, anywhere, keys included). Each is checked in linear time.
- `Idempotency-Key` sent more than once, on an operation that takes it: 400, whatever the values.

Runs after routing and authentication (an anonymous caller never gets its body read).
"""

from __future__ import annotations

import asyncio
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ledgerhq_contract import operations, resolve_ref
from mock_server import context, errors
from mock_server.json_limits import lone_surrogate_at, may_hold_surrogate, nests_deeper_than
from mock_server.connexion_adapter import routed_operation_id
from mock_server.middleware.request_context import BODY_BYTES_MAX, BodyTooLarge

JSON_DEPTH_MAX = 64
INTEGER_DIGITS_MAX = 4300
BODY_WAIT_S = 10.0
BODY_MESSAGES_MAX = 100_000
IDEMPOTENCY_HEADER = b"idempotency-key"



class BodyRefused(Exception):
    """A body that is not passed on: (message, field, issue)."""

    def __init__(self, message: str, field: str, issue: str) -> None:
        super().__init__(message)
        self.message, self.field, self.issue = message, field, issue


class ClientGone(Exception):
    """The client left before its body arrived in full: nothing to answer, nothing to do."""


def check_json(raw: bytes) -> None:
    """Raise BodyRefused unless `raw` keeps the limits; malformed JSON is left to validation."""
    if nests_deeper_than(raw, JSON_DEPTH_MAX):
        raise BodyRefused(f"JSON bodies may nest at most {JSON_DEPTH_MAX} arrays or objects deep.",
                          "body", f"nested deeper than {JSON_DEPTH_MAX}")
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        return
    except UnicodeDecodeError:
        return
    except ValueError:      # the int-string limit: json raises it as a plain ValueError
        raise BodyRefused(f"JSON integers may have at most {INTEGER_DIGITS_MAX} digits.",
                          "body", f"integer longer than {INTEGER_DIGITS_MAX} digits") from None
    if may_hold_surrogate(raw):
        where = lone_surrogate_at(value)
        if where is not None:
            raise BodyRefused("Strings must be valid Unicode: a lone surrogate escape (such as "
                              "\\ud800) has no character; send a pair or the character itself.",
                              where, "lone surrogate")


class BodyLimitsMiddleware:
    def __init__(self, app: ASGIApp, body_operations: frozenset[str],
                 keyed_operations: frozenset[str], body_wait_s: float = BODY_WAIT_S) -> None:
        assert body_wait_s > 0
        self.app = app
        self.body_operations = body_operations      # operationIds with a requestBody
        self.keyed_operations = keyed_operations    # operationIds taking Idempotency-Key
        self.body_wait_s = body_wait_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        operation_id = routed_operation_id(scope)
        if scope["type"] != "http" or operation_id is None:
            return await self.app(scope, receive, send)
        try:
            if operation_id in self.keyed_operations:
                _check_single_key(scope)
            if operation_id not in self.body_operations:
                return await self.app(scope, receive, send)
            body = await self._read(scope, receive)
            if _is_json(scope):
                check_json(body)
        except ClientGone:
            return None
        except BodyTooLarge:
            response = errors.error_response(
                errors.PAYLOAD_TOO_LARGE, f"Request bodies are limited to {BODY_BYTES_MAX} bytes.",
                context.current_request_id(), headers={"Connection": "close"})
            return await response(scope, receive, send)
        except BodyRefused as refused:
            response = errors.error_response(
                errors.VALIDATION_ERROR, refused.message, context.current_request_id(),
                details=[(refused.field, refused.issue)], headers=_closing(refused))
            return await response(scope, receive, send)
        await self.app(_with_length(scope, len(body)), _replay(body, receive), send)

    async def _read(self, scope: Scope, receive: Receive) -> bytes:
        try:
            async with asyncio.timeout(self.body_wait_s):
                body = await _read_all(receive)
        except TimeoutError:
            raise _Stalled(f"The request body did not arrive within {self.body_wait_s:g} s; "
                           "send it whole, promptly.", "body", "timed out") from None
        declared = _declared_length(scope)
        if declared is not None and declared != len(body):
            raise _Stalled(f"The body had {len(body)} bytes, not the {declared} its Content-Length "
                           "declares; nothing was processed.",
                           "Content-Length", "does not match the body")
        return body


class _Stalled(BodyRefused):
    """A body refused mid-stream: its connection is closed after the answer."""


def _closing(refused: BodyRefused) -> dict[str, str] | None:
    return {"Connection": "close"} if isinstance(refused, _Stalled) else None


async def _read_all(receive: Receive) -> bytes:
    chunks = []
    for _ in range(BODY_MESSAGES_MAX):
        message = await receive()
        if message["type"] != "http.request":
            raise ClientGone()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)
    raise ClientGone()


def _check_single_key(scope: Scope) -> None:
    if sum(1 for name, _ in scope["headers"] if name.lower() == IDEMPOTENCY_HEADER) > 1:
        raise BodyRefused("Send one Idempotency-Key header: it was sent more than once.",
                          "Idempotency-Key", "sent more than once")


def _is_json(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name.lower() == b"content-type":
            media_type = value.split(b";", 1)[0].strip().lower()
            return media_type == b"application/json" or media_type.endswith(b"+json")
    return False


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name.lower() == b"content-length":
            return int(value) if value.isdigit() else None
    return None


def _with_length(scope: Scope, length: int) -> Scope:
    framing = (b"transfer-encoding", b"content-length")
    headers = [(k, v) for k, v in scope["headers"] if k.lower() not in framing]
    return {**scope, "headers": [*headers, (b"content-length", str(length).encode())]}


def _replay(body: bytes, receive: Receive) -> Receive:
    replayed = False

    async def receive_replayed() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive_replayed


def limits_for(spec: dict, body_wait_s: float = BODY_WAIT_S) -> dict:
    """The middleware's options from the contract: which operations take a body, and which
    take an Idempotency-Key header."""
    body, keyed = set(), set()
    for _, _, operation in operations(spec):
        if "requestBody" in operation:
            body.add(operation["operationId"])
        for parameter in operation.get("parameters", []):
            parameter = resolve_ref(spec, parameter)
            if parameter.get("in") == "header" and parameter.get("name", "").lower() == "idempotency-key":
                keyed.add(operation["operationId"])
    return {"body_operations": frozenset(body), "keyed_operations": frozenset(keyed),
            "body_wait_s": body_wait_s}
