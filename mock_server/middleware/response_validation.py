"""The sandbox checks itself: every response validated against the contract before it leaves.

`--validate-responses off|warn|strict` (create_app's `validate_responses`):
- off: this layer is not in the stack at all (the default for `serve`);
- warn: a response that drifts from the contract (an undeclared status, a body or a header
  its schema refuses) is sent as it is, and the drift is logged with the request id;
- strict: it is replaced by a 500 `INTERNAL_ERROR` whose `details` name the drift.
The contract is compiled once, when the app is built (openapi-core, of the `conformance` extra).
A path or method the contract lacks is not an operation's response: it is passed on as it is.
The layer sits just inside the request context, so the request id is known and every other
layer's answer, errors included, is checked.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import Headers, ImmutableMultiDict, QueryParams
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_server import context, errors

MODES = ("off", "warn", "strict")
DRIFTS_SHOWN_MAX = 5
ISSUE_CHARS_MAX = 300
logger = logging.getLogger("ledgerhq.sandbox.contract")


@dataclass
class _Request:          # the shape openapi-core reads (openapi_core.protocols.Request)
    host_url: str
    path: str
    method: str
    parameters: Any
    body: bytes | None
    content_type: str


@dataclass
class _Response:         # openapi_core.protocols.Response
    data: bytes
    status_code: int
    content_type: str
    headers: Headers


COMPILED_KEPT_MAX = 8
_compiled: dict[int, tuple[dict, Any]] = {}       # id(spec) -> (spec, validator): apps of one contract share it


def compile_contract(spec: dict):
    """The contract as openapi-core validates it; built once per contract (the loader hands out one dict per
    file), so that apps built again and again, as the tests build them, do not compile it each time."""
    kept = _compiled.get(id(spec))
    if kept is not None and kept[0] is spec:
        return kept[1]
    if len(_compiled) >= COMPILED_KEPT_MAX:
        _compiled.clear()
    _compiled[id(spec)] = (spec, build_validator(spec))
    return _compiled[id(spec)][1]


def build_validator(spec: dict):
    try:
        from openapi_core import OpenAPI
    except ImportError as error:       # the lean install: serving without it is the default
        raise SystemExit("--validate-responses warn|strict needs openapi-core: "
                         "pip install 'ledgerhq-sandbox[conformance]'") from error
    return OpenAPI.from_dict({**spec, "servers": [{"url": "/"}]})     # whatever host the sandbox serves on


def drift_of(validator, scope: Scope, request_body: bytes, status: int, headers: list, body: bytes) -> list[str]:
    """What in this response the contract does not describe; [] when it does (or has no such operation)."""
    from openapi_core.datatypes import RequestParameters
    from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound
    request_headers = Headers(scope=scope)
    response_headers = Headers(raw=headers)
    parameters = RequestParameters(query=ImmutableMultiDict(QueryParams(scope.get("query_string", b"")).multi_items()),
                                   header=request_headers, cookie=ImmutableMultiDict())
    request = _Request("http://sandbox", scope["path"], scope["method"].lower(), parameters, request_body or None,
                       request_headers.get("content-type", ""))
    response = _Response(body, status, response_headers.get("content-type", ""), response_headers)
    try:
        validator.validate_response(request, response)
    except (PathNotFound, OperationNotFound):
        return []
    except Exception as error:        # openapi-core raises a family of validation errors
        inner = [str(e) for e in getattr(error, "schema_errors", None) or []]
        return [f"{type(error).__name__}: {error}"] + inner
    return []


class ResponseValidationMiddleware:
    def __init__(self, app: ASGIApp, spec: dict, mode: str) -> None:
        assert mode in ("warn", "strict"), mode
        self.app = app
        self.mode = mode
        self.validator = compile_contract(spec)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        received: list[bytes] = []
        start: Message = {}
        parts: list[bytes] = []

        async def recording_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                received.append(message.get("body", b""))
            return message

        async def buffering_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                parts.append(message.get("body", b""))

        await self.app(scope, recording_receive, buffering_send)
        body = b"".join(parts)
        await self.answer(scope, receive, send, start, body, b"".join(received))

    async def answer(self, scope: Scope, receive: Receive, send: Send, start: Message, body: bytes,
                     request_body: bytes) -> None:
        request_id = context.current_request_id()
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"x-request-id"]
        headers.append((b"x-request-id", request_id.encode()))
        drift = drift_of(self.validator, scope, request_body, start.get("status", 500), headers, body)
        if drift:
            logger.warning("response drift %s %s -> %s (request %s): %s", scope["method"], scope["path"],
                           start.get("status"), request_id, " | ".join(drift[:DRIFTS_SHOWN_MAX]))
        if drift and self.mode == "strict":
            response = errors.error_response(
                errors.INTERNAL_ERROR, "The sandbox's response drifted from the contract.", request_id,
                [("response", issue[:ISSUE_CHARS_MAX]) for issue in drift[:DRIFTS_SHOWN_MAX]])
            return await response(scope, receive, send)
        await send({**start, "type": "http.response.start"})
        await send({"type": "http.response.body", "body": body})


def with_response_validation(app: ASGIApp, spec: dict, mode: str) -> ASGIApp:
    """`app` behind the validation layer, or `app` itself when `mode` is off."""
    if mode not in MODES:
        raise ValueError(f"validate_responses is one of {', '.join(MODES)}, not {mode!r}")
    return app if mode == "off" else ResponseValidationMiddleware(app, spec, mode)
