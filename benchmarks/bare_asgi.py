"""The ceiling: an ASGI app answering every request with one fixed JSON body, served by the
sandbox's own serving code (mock_server/serving.py: the same uvicorn, httptools and uvloop
settings). `python -m benchmarks.bare_asgi PORT`."""

from __future__ import annotations

import sys

from mock_server.serving import serve_app

BODY = b'{"status":"ok","time":"2026-12-01T00:00:00Z"}'
HEADERS = [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]


async def app(scope, receive, send) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            await send({"type": message["type"] + ".complete"})
            if message["type"] == "lifespan.shutdown":
                return
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})


if __name__ == "__main__":
    serve_app(app, "127.0.0.1", int(sys.argv[1]), "warning", lambda: None)
