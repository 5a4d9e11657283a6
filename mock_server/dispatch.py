"""The innermost ASGI app: calls the handler of the operation Connexion routed to.

Connexion's middlewares (routing, request validation) have already matched the request to
an operation of the contract and validated it. This dispatcher only turns the request into
the handler's keyword arguments (path, query with the contract's defaults, body) and the
handler's `(body, status[, headers])` into a JSON response. Every table is built once from
the contract, so serving a request inspects nothing.
"""

from __future__ import annotations

import json

import orjson
from dataclasses import dataclass
from typing import Callable
from urllib.parse import parse_qsl

from connexion.exceptions import BadRequestProblem
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from mock_server import context, errors
from ledgerhq_contract import operations, resolve_ref, snake_case
from mock_server.contract import PathMethods, allowed_methods
from mock_server.middleware.authentication import ROUTING_KEY

JSON_TYPE = "application/json"
JSON_CONTENT_TYPE = (b"content-type", JSON_TYPE.encode())
FRAMING_NAMES = frozenset({"content-type", "content-length"})     # a handler's own: Starlette's way
FORM_TYPE = "application/x-www-form-urlencoded"
BODY_CHUNKS_MAX = 10_000


@dataclass(frozen=True, slots=True)
class QueryParameter:
    name: str
    argument: str
    kind: str               # the schema type: string | integer | boolean
    default: object


@dataclass(frozen=True, slots=True)
class Operation:
    handler: Callable
    path_arguments: tuple[tuple[str, str], ...]     # (path name, argument)
    query: tuple[QueryParameter, ...]
    takes_body: bool
    body_required: bool


def build_operations(spec: dict, handler_for: Callable[[str], Callable]) -> dict[str, Operation]:
    table = {}
    for _, _, operation in operations(spec):
        parameters = [resolve_ref(spec, p) for p in operation.get("parameters", [])]
        path = tuple((p["name"], snake_case(p["name"])) for p in parameters if p["in"] == "path")
        query = tuple(
            QueryParameter(p["name"], snake_case(p["name"]), resolve_ref(spec, p["schema"]).get("type", "string"),
                           resolve_ref(spec, p["schema"]).get("default"))
            for p in parameters if p["in"] == "query")
        operation_id = operation["operationId"]
        body = operation.get("requestBody")
        table[operation_id] = Operation(handler_for(operation_id), path, query, body is not None,
                                        bool(body and body.get("required")))
    return table


class Dispatcher:
    def __init__(self, operations_by_id: dict[str, Operation], path_table: tuple[PathMethods, ...],
                 service) -> None:
        self.operations = operations_by_id
        self.path_table = path_table
        self.service = service          # handed to every handler as its first argument

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        operation_id = scope.get("extensions", {}).get(ROUTING_KEY, {}).get("operation_id")
        operation = self.operations.get(operation_id) if operation_id else None
        if operation is None:
            return await self.unrouted(scope, receive, send)
        arguments = {argument: scope["path_params"][name] for name, argument in operation.path_arguments}
        if operation.query:
            arguments.update(query_arguments(scope["query_string"], operation.query))
        if operation.takes_body:
            body = await read_body(scope, receive)
            if body is not None:
                arguments["body"] = body
            elif operation.body_required:
                raise BadRequestProblem(detail="This operation needs a JSON request body.")
        result = await operation.handler(self.service, **arguments)
        await reply(result)(scope, receive, send)

    async def unrouted(self, scope: Scope, receive: Receive, send: Send) -> None:
        allowed = allowed_methods(self.path_table, scope["path"])
        kind, message, headers = errors.unrouted(scope["method"], allowed)
        response = errors.error_response(kind, message, context.current_request_id(), headers=headers)
        await response(scope, receive, send)


def query_arguments(query_string: bytes, parameters: tuple[QueryParameter, ...]) -> dict:
    given = dict(parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)) if query_string else {}
    arguments = {}
    for parameter in parameters:
        raw = given.get(parameter.name)
        if raw is None:
            if parameter.default is not None:
                arguments[parameter.argument] = parameter.default
            continue
        if parameter.kind == "integer":
            arguments[parameter.argument] = int(raw)          # validated by the contract already
        elif parameter.kind == "boolean":
            arguments[parameter.argument] = raw.lower() == "true"
        else:
            arguments[parameter.argument] = raw
    return arguments


async def read_body(scope: Scope, receive: Receive):
    chunks = []
    for _ in range(BODY_CHUNKS_MAX):
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    raw = b"".join(chunks)
    if not raw:
        return None
    content_type = _header(scope, b"content-type")
    try:
        if content_type.startswith(FORM_TYPE):     # as parse_qsl treats bad %-escapes; the
            text = raw.decode("utf-8", errors="replace")   # token route answers RFC 6749 errors
            return form_fields(text)
        if "yaml" in content_type:
            return raw.decode("utf-8")
        return json.loads(raw)      # JSON, validated upstream (or the contract's default body)
    except (UnicodeDecodeError, ValueError):
        raise BadRequestProblem(detail="The request body is not UTF-8 text of its Content-Type.") from None


def form_fields(text: str) -> dict[str, str | list[str]]:
    """A form body; a field sent more than once keeps every value, so the handler can refuse
    it (RFC 6749 3.2) instead of silently taking the last one."""
    fields: dict[str, str | list[str]] = {}
    for name, value in parse_qsl(text, keep_blank_values=True):
        if name in fields:
            earlier = fields[name]
            fields[name] = [*earlier, value] if isinstance(earlier, list) else [earlier, value]
        else:
            fields[name] = value
    return fields


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope["headers"]:
        if key.lower() == name:
            return value.decode("latin-1").lower()
    return ""


def reply(result) -> Response:
    body, status, headers = (tuple(result) + (None,))[:3] if isinstance(result, tuple) else (result, 200, None)
    if body is None:
        return Response(status_code=status, headers=headers)
    if isinstance(body, (bytes, str)):
        return Response(body, status_code=status, headers=headers,
                        media_type=(headers or {}).get("Content-Type", "text/html"))
    try:
        encoded = orjson.dumps(body)
    except orjson.JSONEncodeError:      # integers past 64 bits: exact, just slower
        encoded = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    if status < 200 or status in (204, 304) or (headers and not FRAMING_NAMES.isdisjoint(
            name.lower() for name in headers)):
        return Response(encoded, status_code=status, headers=headers, media_type=JSON_TYPE)
    return JsonReply(status, encoded, headers)


class JsonReply:
    """A JSON answer sent as two ASGI messages, with the headers Starlette's Response would
    send (the handler's, then content-length and content-type), pre-encoded where constant."""

    __slots__ = ("status", "body", "headers")

    def __init__(self, status: int, body: bytes, headers: dict[str, str] | None) -> None:
        self.status, self.body, self.headers = status, body, headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw = [(name.lower().encode("latin-1"), value.encode("latin-1"))
               for name, value in self.headers.items()] if self.headers else []
        raw.append((b"content-length", b"%d" % len(self.body)))
        raw.append(JSON_CONTENT_TYPE)
        await send({"type": "http.response.start", "status": self.status, "headers": raw})
        await send({"type": "http.response.body", "body": self.body})
