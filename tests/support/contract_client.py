"""An in-process client for the sandbox that checks every response against openapi.json.

Each response the tests receive is validated with openapi-core (status declared, body
schema, headers): a response that drifts from the contract fails the test that got it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from starlette.datastructures import Headers, ImmutableMultiDict
from starlette.testclient import TestClient

from mock_server.contract import load_contract


@lru_cache(maxsize=1)
def contract_validator() -> OpenAPI:
    return OpenAPI.from_dict(load_contract())


@dataclass
class _Request:
    host_url: str
    path: str
    method: str
    parameters: RequestParameters
    body: bytes | None
    content_type: str


@dataclass
class _Response:
    data: bytes
    status_code: int
    content_type: str
    headers: Headers


class ContractDrift(AssertionError):
    """A response the contract does not describe."""


def validate_exchange(response) -> None:
    request = response.request
    url = urlsplit(str(request.url))
    parameters = RequestParameters(
        query=ImmutableMultiDict(request.url.params.multi_items()),
        header=Headers(raw=list(request.headers.raw)),
        cookie=ImmutableMultiDict(),
    )
    openapi_request = _Request(
        host_url=f"{url.scheme}://{url.netloc}", path=url.path, method=request.method.lower(),
        parameters=parameters, body=request.content or None,
        content_type=request.headers.get("content-type", ""))
    openapi_response = _Response(
        data=response.content, status_code=response.status_code,
        content_type=response.headers.get("content-type", ""), headers=Headers(raw=list(response.headers.raw)))
    try:
        contract_validator().validate_response(openapi_request, openapi_response)
    except Exception as error:  # openapi-core raises a family of validation errors
        details = "; ".join(str(e) for e in getattr(error, "schema_errors", []) or [])
        raise ContractDrift(
            f"{request.method} {url.path} -> {response.status_code}: {error!r} {details}\n"
            f"body: {response.text[:800]}") from error


class ContractClient(TestClient):
    """TestClient whose every response is validated against the contract."""

    def request(self, method, url, *args, **kwargs):
        response = super().request(method, url, *args, **kwargs)
        validate_exchange(response)
        return response
