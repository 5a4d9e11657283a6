"""CORS for browser apps: allowed origins get their grant, preflights are answered here.

Sits inside the request-context layer (so every answer has its request id and is JSON) and in
front of the MCP path router, so `/api/mcp` is covered too. A request without an `Origin`
header costs one dict lookup. An origin that is not allowed gets no CORS header at all (the
browser then refuses to let the page read the answer); its preflight is a 403 FORBIDDEN
naming the flag to pass. Methods granted by a preflight are the contract's methods for the
path; the headers granted and exposed are the contract's request and response headers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_server import context, errors
from mock_server.contract import HTTP_METHODS, PathMethods, allowed_methods, path_methods

DEFAULT_ORIGINS = ("http://localhost:*", "http://127.0.0.1:*")
PREFLIGHT_MAX_AGE_S = 600
ALLOWED_HEADERS_ALWAYS = ("Authorization", "Content-Type", "Idempotency-Key", "x-organization-id",
                          "X-Admin-Key", "Prefer", "Mcp-Session-Id", "Mcp-Protocol-Version", "Last-Event-ID")
EXPOSED_HEADERS_ALWAYS = ("X-Request-Id", "Idempotent-Replayed", "Retry-After", "WWW-Authenticate",
                          "Location", "Allow", "Mcp-Session-Id")
NOT_EXPOSABLE = frozenset({"set-cookie"})           # the Fetch standard never exposes it
MCP_PATHS = {"/api/mcp": ("GET", "POST", "DELETE"),
             "/.well-known/oauth-protected-resource/api/mcp": ("GET",)}
ORIGIN_PATTERN = re.compile(r"^(https?)://([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}|\*))?$")


def parse_origins(text: str) -> tuple[str, ...]:
    """`--cors-origins`: comma-separated origins (`scheme://host[:port]`, `:*` for any port),
    or `*` for every origin; ValueError names the first one that is not an origin."""
    origins = tuple(part.strip().rstrip("/") for part in text.split(",") if part.strip())
    if not origins:
        raise ValueError("--cors-origins needs at least one origin, such as http://localhost:3000")
    for origin in origins:
        if origin != "*" and not ORIGIN_PATTERN.match(origin):
            raise ValueError(f"--cors-origins: {origin!r} is not an origin such as http://localhost:3000 "
                             "or http://localhost:* (any port)")
    return origins


def origin_matcher(origins: tuple[str, ...]) -> re.Pattern | None:
    """One regex for every allowed origin (None: any origin)."""
    if "*" in origins:
        return None
    alternatives = []
    for origin in origins:
        scheme, host, port = ORIGIN_PATTERN.match(origin).groups()
        head = re.escape(f"{scheme}://{host}".lower())
        alternatives.append(head + (r"(?::\d{1,5})?" if port == "*" else re.escape(f":{port}" if port else "")))
    return re.compile("^(?:" + "|".join(alternatives) + ")$")


@dataclass(frozen=True, slots=True)
class CorsPolicy:
    origins: tuple[str, ...]
    matcher: re.Pattern | None          # None: any origin, answered `*` without credentials
    paths: tuple[PathMethods, ...]
    allowed_headers: str
    exposed_headers: str

    def grants(self, origin: str) -> bool:
        return self.matcher is None or self.matcher.match(origin.lower()) is not None

    def methods_for(self, path: str) -> tuple[str, ...] | None:
        return MCP_PATHS.get(path) or allowed_methods(self.paths, path)

    def origin_headers(self, origin: str) -> list[tuple[bytes, bytes]]:
        if self.matcher is None:
            return [(b"access-control-allow-origin", b"*")]
        return [(b"access-control-allow-origin", origin.encode("latin-1")),
                (b"access-control-allow-credentials", b"true"), (b"vary", b"Origin")]


def cors_policy(spec: dict, origins: tuple[str, ...] = DEFAULT_ORIGINS) -> CorsPolicy:
    requested, answered = list(ALLOWED_HEADERS_ALWAYS), list(EXPOSED_HEADERS_ALWAYS)
    for scheme in spec.get("components", {}).get("securitySchemes", {}).values():
        if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
            requested.append(scheme["name"])
    for parameter in spec.get("components", {}).get("parameters", {}).values():
        if parameter.get("in") == "header":
            requested.append(parameter["name"])
    for path_item in spec["paths"].values():
        for method in HTTP_METHODS:
            for response in path_item.get(method, {}).get("responses", {}).values():
                answered.extend(response.get("headers", {}))
    for response in spec.get("components", {}).get("responses", {}).values():
        answered.extend(response.get("headers", {}))
    return CorsPolicy(origins, origin_matcher(origins), path_methods(spec), _header_list(requested),
                      _header_list(name for name in answered if name.lower() not in NOT_EXPOSABLE))


def _header_list(names) -> str:
    unique = {name.lower(): name for name in names}
    return ", ".join(sorted(unique.values(), key=str.lower))


class CorsMiddleware:
    def __init__(self, app: ASGIApp, policy: CorsPolicy) -> None:
        self.app = app
        self.policy = policy
        self.exposed = (b"access-control-expose-headers", policy.exposed_headers.encode("latin-1"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = context.current().headers
        origin = headers.get("origin")
        if origin is None:
            return await self.app(scope, receive, send)
        granted = self.policy.grants(origin)
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            return await self.preflight(origin, granted, scope, receive, send)
        if not granted:
            return await self.app(scope, receive, send)
        added = self.policy.origin_headers(origin) + [self.exposed]

        async def send_granted(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *added]
            await send(message)

        await self.app(scope, receive, send_granted)

    async def preflight(self, origin: str, granted: bool, scope: Scope, receive: Receive, send: Send) -> None:
        methods = self.policy.methods_for(scope["path"])
        if granted and methods is not None:
            return await send_preflight(send, self.policy, origin, methods)
        if granted:
            kind, message = errors.NOT_FOUND, "No such route: check the path against the contract."
        else:
            kind, message = errors.FORBIDDEN, (f"Origin {origin} is not allowed: start the sandbox with "
                                               "--cors-origins naming it (comma-separated; "
                                               "http://localhost:* allows every port).")
        await errors.error_response(kind, message, context.current_request_id())(scope, receive, send)


async def send_preflight(send: Send, policy: CorsPolicy, origin: str, methods: tuple[str, ...]) -> None:
    """204 with the grant: the path's methods, the contract's headers, a max age."""
    headers = [*policy.origin_headers(origin),
               (b"access-control-allow-methods", ", ".join(methods).encode()),
               (b"access-control-allow-headers", policy.allowed_headers.encode("latin-1")),
               (b"access-control-max-age", str(PREFLIGHT_MAX_AGE_S).encode())]
    await send({"type": "http.response.start", "status": 204, "headers": headers})
    await send({"type": "http.response.body", "body": b""})
