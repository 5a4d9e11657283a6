"""The API docs in the browser: the page of `GET /api/docs` (the contract's getApiDocs) and the
files it loads from `/api/docs/assets/`, all served by the sandbox itself (no CDN, no other host).

The assets are Swagger UI's own files (the `swagger-ui-bundle` package) and `docs-init.js`
beside this module, each read once per process on its first request. They are served beside
the contract, as `/api/mcp` is, rather than declared in it: they are not operations of the
partner API, and declaring them would put a bundle's file names into what partners code
against, into generated clients and into the conformance suite's coverage. The page itself
carries the sandbox's fixture access token, so "Try it out" is pre-authorized.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from string import Template
from urllib.parse import urlsplit

from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from mock_server import context, errors

PAGE_PATH = "/api/docs"
ASSETS_PATH = "/api/docs/assets/"
CONTRACT_URL_PATH = "/api/openapi.json"
ASSET_CACHE_S = 3600
ASSET_METHODS = ("GET", "HEAD")
JS_TYPE = "text/javascript; charset=utf-8"
SWAGGER_UI_FILES = {"swagger-ui-bundle.js": JS_TYPE, "swagger-ui.css": "text/css; charset=utf-8",
                    "favicon-32x32.png": "image/png"}
OWN_FILES = {"docs-init.js": JS_TYPE}


@dataclass(frozen=True, slots=True)
class Asset:
    body: bytes
    media_type: str


@lru_cache(maxsize=len(SWAGGER_UI_FILES) + len(OWN_FILES))
def asset(name: str) -> Asset:
    """The named asset (a key of OWN_FILES or SWAGGER_UI_FILES), read on its first request."""
    if name in OWN_FILES:
        return Asset(resources.files(__name__).joinpath(name).read_bytes(), OWN_FILES[name])
    from swagger_ui_bundle import swagger_ui_path
    return Asset((swagger_ui_path / name).read_bytes(), SWAGGER_UI_FILES[name])


def asset_response(method: str, name: str) -> Response:
    if method not in ASSET_METHODS:
        kind, message, headers = errors.unrouted(method, ASSET_METHODS)
        return errors.error_response(kind, message, context.current_request_id(), headers=headers)
    if name not in OWN_FILES and name not in SWAGGER_UI_FILES:      # checked first: the cache holds known names only
        return errors.error_response(errors.NOT_FOUND, f"No such docs asset; the docs page is {PAGE_PATH}.",
                                     context.current_request_id())
    found = asset(name)
    return Response(found.body, media_type=found.media_type,
                    headers={"Cache-Control": f"public, max-age={ASSET_CACHE_S}",
                             "X-Content-Type-Options": "nosniff"})


class DocsAssets:
    """Serves ASSETS_PATH in front of `app`; every other request passes through untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(ASSETS_PATH):
            return await self.app(scope, receive, send)
        response = asset_response(scope["method"], scope["path"][len(ASSETS_PATH):])
        await response(scope, receive, send)


def content_security_policy(public_url: str) -> str:
    """Scripts, styles and images from this origin only (Swagger UI sets inline styles and
    data: images); requests to this origin and the public URL's (the contract's `servers`)."""
    parts = urlsplit(public_url)
    return ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data:; connect-src 'self' {parts.scheme}://{parts.netloc}; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


@lru_cache(maxsize=8)
def page(access_token: str, public_url: str) -> tuple[bytes, dict[str, str]]:
    """The docs page with `access_token` pre-authorized (cached per token and public URL)."""
    template = Template(resources.files(__name__).joinpath("page.html").read_text(encoding="utf-8"))
    body = template.substitute(access_token=html.escape(access_token, quote=True), assets=ASSETS_PATH,
                               contract_url=CONTRACT_URL_PATH).encode()
    return body, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store",
                  "Content-Security-Policy": content_security_policy(public_url),
                  "X-Content-Type-Options": "nosniff"}
