"""An ASGI middleware that buffers a request and its response so a fault can rewrite either."""
from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field, replace
from typing import Any, Awaitable, Callable
from urllib.parse import parse_qs, urlencode


@dataclass(frozen=True)
class Request:
    scope: dict
    body: bytes

    @property
    def method(self) -> str:
        return self.scope["method"]

    @property
    def path(self) -> str:
        return self.scope["path"]

    @property
    def query(self) -> dict[str, str]:
        parsed = parse_qs(self.scope.get("query_string", b"").decode())
        return {key: values[-1] for key, values in parsed.items()}

    def header(self, name: str) -> str | None:
        wanted = name.lower().encode()
        return next((v.decode("latin-1") for k, v in self.scope["headers"] if k.lower() == wanted), None)

    def with_header(self, name: str, value: str | None) -> "Request":
        headers = [(k, v) for k, v in self.scope["headers"] if k.lower() != name.lower().encode()]
        if value is not None:
            headers.append((name.lower().encode(), value.encode("latin-1")))
        return replace(self, scope={**self.scope, "headers": headers})

    def with_query(self, query: dict[str, str]) -> "Request":
        return replace(self, scope={**self.scope, "query_string": urlencode(query).encode()})

    def with_body(self, body: bytes) -> "Request":
        request = replace(self, body=body)
        return request.with_header("content-length", str(len(body)))

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            return None


@dataclass
class Response:
    status: int
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        wanted = name.lower().encode()
        return next((v.decode("latin-1") for k, v in self.headers if k.lower() == wanted), None)

    def set_header(self, name: str, value: str | None) -> None:
        self.headers = [(k, v) for k, v in self.headers if k.lower() != name.lower().encode()]
        if value is not None:
            self.headers.append((name.lower().encode(), value.encode("latin-1")))

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def set_json(self, body: Any) -> None:
        self.body = json.dumps(body).encode()
        self.set_header("content-length", str(len(self.body)))


Forward = Callable[[Request], Awaitable[Response]]
Transform = Callable[[Request, Forward], Awaitable[Response]]


async def get_json(request: Request, forward: Forward, path: str, query: str = "") -> tuple[int, Any]:
    """A GET of another path with the same credential and tenant headers, answered by the app itself."""
    scope = {**request.scope, "method": "GET", "path": path, "raw_path": path.encode(),
             "query_string": query.encode()}
    response = await forward(Request(scope, b"").with_body(b""))
    return response.status, response.json()


async def read_body(receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


class FaultMiddleware:
    def __init__(self, app, transform: Transform | None) -> None:
        self.app = app
        self.transform = transform

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or self.transform is None:
            return await self.app(scope, receive, send)
        response = await self.transform(Request(scope, await read_body(receive)), self.forward)
        await send({"type": "http.response.start", "status": response.status, "headers": [
            (k, v) for k, v in response.headers if k.lower() != b"content-length"]
            + [(b"content-length", str(len(response.body)).encode())]})
        await send({"type": "http.response.body", "body": response.body})

    async def forward(self, request: Request) -> Response:
        sent = [False]
        never = asyncio.Event()

        async def receive() -> dict:
            if not sent[0]:
                sent[0] = True
                return {"type": "http.request", "body": request.body, "more_body": False}
            await never.wait()
            return {"type": "http.disconnect"}

        response = Response(500)
        parts: list[bytes] = []

        async def capture(message: dict) -> None:
            if message["type"] == "http.response.start":
                response.status, response.headers = message["status"], list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                parts.append(message.get("body", b""))

        await self.app(request.scope, receive, capture)
        response.body = b"".join(parts)
        return response
