"""The sandbox behind a middleware that deletes one field from every JSON response, at any depth: a release that
dropped a field its old contract returned. `python -m tests.support.dropped_field_server --port N --field F`,
served on 127.0.0.1; `with DroppedFieldServer("legalName") as server:` runs it on a free port."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from conformance.sandbox import HOST, ServerProcess


def without(value: Any, field: str) -> Any:
    if isinstance(value, dict):
        return {key: without(item, field) for key, item in value.items() if key != field}
    if isinstance(value, list):
        return [without(item, field) for item in value]
    return value


class DropField:
    """Buffers JSON responses only (anything else streams through untouched) and rewrites them."""

    def __init__(self, app, field: str) -> None:
        self.app, self.field = app, field

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start: dict = {}
        chunks: list[bytes] = []

        async def rewrite(message: dict) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                if b"json" not in dict(message.get("headers", [])).get(b"content-type", b""):
                    start["passthrough"] = True
                    await send(message)
                return
            if start.get("passthrough") or message["type"] != "http.response.body":
                return await send(message)
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                await self.send_rewritten(send, start, b"".join(chunks))

        await self.app(scope, receive, rewrite)

    async def send_rewritten(self, send, start: dict, body: bytes) -> None:
        try:
            body = json.dumps(without(json.loads(body), self.field)).encode()
        except ValueError:
            pass
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        await send({"type": "http.response.start", "status": start["status"],
                    "headers": headers + [(b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--field", required=True)
    args = parser.parse_args(argv)
    import uvicorn
    from mock_server.app import create_app
    uvicorn.run(DropField(create_app(), args.field), host=HOST, port=args.port, log_level="warning",
                access_log=False)


class DroppedFieldServer(ServerProcess):
    def __init__(self, field: str) -> None:
        super().__init__()
        self.field = field

    def __enter__(self) -> "DroppedFieldServer":
        self.start([sys.executable, "-m", "tests.support.dropped_field_server", "--port", str(self.port),
                    "--field", self.field])
        return self


if __name__ == "__main__":
    main()
