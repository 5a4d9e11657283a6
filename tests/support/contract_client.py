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
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound
from openapi_schema_validator import OAS30Validator
from starlette.datastructures import Headers, ImmutableMultiDict
from starlette.testclient import TestClient

from mock_server.contract import load_contract, path_methods, resolve_ref
from tests.support.undeclared_fields import undeclared_fields


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


OFF_CONTRACT_STATUSES = frozenset({404, 405, 413})   # a route or method the contract lacks


def validate_exchange(response) -> None:
    request = response.request
    request.read()
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
    except (PathNotFound, OperationNotFound) as error:
        _validate_off_contract(response, error)
    except Exception as error:  # openapi-core raises a family of validation errors
        details = "; ".join(str(e) for e in getattr(error, "schema_errors", []) or [])
        raise ContractDrift(
            f"{request.method} {url.path} -> {response.status_code}: {error!r} {details}\n"
            f"body: {response.text[:800]}") from error
    else:
        extra = undeclared_response_fields(request.method, url.path, response)
        if extra:
            raise ContractDrift(f"{request.method} {url.path} -> {response.status_code} sends "
                                f"fields the contract does not declare: {extra[:10]}")


def _validate_off_contract(response, error: Exception) -> None:
    """A path or method the contract lacks: a structured JSON 404/405 (405 with `Allow`)."""
    where = f"{response.request.method} {response.request.url.path} -> {response.status_code}"
    if response.status_code not in OFF_CONTRACT_STATUSES:
        raise ContractDrift(f"{where}: {error!r}\nbody: {response.text[:800]}") from error
    if not response.headers.get("content-type", "").startswith("application/json"):
        raise ContractDrift(f"{where}: not JSON: {response.text[:200]}") from error
    schemas = load_contract()["components"]["schemas"]
    errors = list(OAS30Validator({**schemas["Error"], "components": {"schemas": schemas}}).iter_errors(
        _json_or_none(response)))
    if errors:
        raise ContractDrift(f"{where}: body is not an Error: {errors[0].message}") from error
    if response.json()["error"]["requestId"] != response.headers.get("x-request-id"):
        raise ContractDrift(f"{where}: requestId differs from X-Request-Id") from error
    if response.status_code == 405 and not response.headers.get("allow"):
        raise ContractDrift(f"{where}: 405 without an Allow header") from error


def _json_or_none(response):
    try:
        return response.json()
    except ValueError:
        return None


class ContractClient(TestClient):
    """TestClient whose every response is validated against the contract, redirects included."""

    def request(self, method, url, *args, **kwargs):
        response = super().request(method, url, *args, **kwargs)
        for earlier in response.history:
            validate_exchange(earlier)
        validate_exchange(response)
        return response


def undeclared_response_fields(method: str, path: str, response) -> list[str]:
    if "json" not in response.headers.get("content-type", "") or not response.content:
        return []
    spec = load_contract()
    template = _template_of(path)
    operation = spec["paths"].get(template, {}).get(method.lower()) if template else None
    if operation is None:
        return []
    declared = resolve_ref(spec, operation["responses"].get(str(response.status_code), {}))
    schema = declared.get("content", {}).get("application/json", {}).get("schema")
    return undeclared_fields(spec, schema, response.json()) if schema else []


@lru_cache(maxsize=1)
def _path_table():
    return path_methods(load_contract())


def _template_of(path: str) -> str | None:
    for entry in _path_table():
        if entry.pattern.match(path):
            return entry.template
    return None
