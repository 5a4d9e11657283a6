"""Tag `health`: the public deployment health check, the contract it serves and its docs page."""

from __future__ import annotations

import json
from functools import lru_cache

from ledgerhq_contract import CONTRACT_PATH
from mock_server import docs, fixture_credentials
from mock_server.clock import rfc3339

JSON_HEADERS = {"Content-Type": "application/json"}


async def get_health(service):
    return {"status": "ok", "time": rfc3339(service.now())}, 200


@lru_cache(maxsize=4)
def contract_bytes(public_url: str) -> bytes:
    """The contract with `servers` naming this sandbox's own origin only (`--public-url`), so
    a client or docs page reading it calls this sandbox, never production."""
    spec = json.loads(CONTRACT_PATH.read_bytes())
    spec["servers"] = [{"url": public_url, "description": "this sandbox"}]
    return json.dumps(spec, ensure_ascii=False, separators=(",", ":")).encode()


async def get_openapi_document(service):
    return contract_bytes(service.public_url), 200, JSON_HEADERS


def default_access_token(service) -> str:
    """The fixtures' first access token (the one the README and the banner name), or ""."""
    try:
        return fixture_credentials.well_known_credentials(service.data)["accessToken"]
    except (ValueError, KeyError, StopIteration):      # fixtures without two firms: the page asks for a token
        return ""


async def get_api_docs(service):
    body, headers = docs.page(default_access_token(service), service.public_url)
    return body, 200, headers
