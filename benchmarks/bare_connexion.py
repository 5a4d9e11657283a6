"""Connexion's own floor: a Connexion 3 AsyncApp with one GET operation, no parameters, no security,
whose handler returns a fixed JSON body, served by the sandbox's serving code (mock_server/serving.py).
Every sandbox route is routed and validated by Connexion, so no route can be faster than this one;
the bench shows it beside the bare-ASGI ceiling. `python -m benchmarks.bare_connexion PORT`."""

from __future__ import annotations

import sys

from connexion import AsyncApp
from connexion.resolver import Resolver

from mock_server.serving import serve_app

BODY = {"status": "ok", "time": "2026-12-01T00:00:00Z"}
SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "floor", "version": "1"},
    "paths": {"/": {"get": {
        "operationId": "fixed_body",
        "responses": {"200": {"description": "a fixed body", "content": {"application/json": {"schema": {
            "type": "object", "properties": {"status": {"type": "string"}, "time": {"type": "string"}}}}}}},
    }}},
}


async def fixed_body():
    return BODY, 200


def build_app() -> AsyncApp:
    app = AsyncApp(__name__)
    app.add_api(SPEC, resolver=Resolver(lambda operation_id: fixed_body), swagger_ui_options=None)
    return app


if __name__ == "__main__":
    serve_app(build_app(), "127.0.0.1", int(sys.argv[1]), "warning", lambda: None)
