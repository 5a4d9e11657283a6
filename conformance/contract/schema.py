"""The Schemathesis view of the contract, and Schemathesis results turned into the suite's failures."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import httpx

from conformance.contract import schemathesis_adapter as adapter
from conformance.contract_map import Operation
from conformance.failures import ContractBreach
from conformance.http import Exchange
from conformance.suite import Suite

# A well-formed request may still name accounts, bills or entries that do not exist (422) or clash (409).
POSITIVE_ACCEPTED_STATUSES = ("2xx", "401", "403", "404", "409", "422", "429")
LOOPBACK_HOOK_URL = "http://127.0.0.1:9/conformance-hook"
# Headers that frame the message: the HTTP client sets them. Schemathesis adds undeclared headers to its cases
# and may name one of these (a drawn `content-length: N,`, `transfer-encoding: E`): the server's HTTP layer then
# refuses the request (400 text/plain, no X-Request-Id) before the API sees it, which no contract rule is about.
FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding", "host", "connection", "te", "trailer", "upgrade"})


def drop_framing_headers(case) -> None:
    for name in [name for name in (case.headers or {}) if name.lower() in FRAMING_HEADERS]:
        del case.headers[name]


def load_schema(suite: Suite):
    if suite.cache.schemathesis_schema is None:
        suite.cache.schemathesis_schema = adapter.load_schema(suite.config.contract_path, suite.config.base_url,
                                                              POSITIVE_ACCEPTED_STATUSES)
    return suite.cache.schemathesis_schema


def schemathesis_operation(suite: Suite, op: Operation):
    return load_schema(suite)[op.path][op.method]


def fixed_headers(suite: Suite, op: Operation) -> dict[str, str]:
    """Headers fixed at generation time, so a negated case stays negated: the tenant of a legacy route."""
    from conformance.world import needs_organization
    return {"x-organization-id": suite.world.organization_id} if needs_organization(suite.contract, op) else {}


def call_headers(suite: Suite, case) -> dict[str, str]:
    """The credential, sent on every call unless this case is about a missing Authorization header."""
    if adapter.coverage_parameter(case) == "authorization":
        return {}
    return {"Authorization": f"Bearer {suite.config.token}"}


def fixed_query(suite: Suite, op: Operation) -> dict[str, str]:
    """Date windows that are valid together (start after end is a 400 no schema can express)."""
    names = suite.contract.query_params(op)
    day = suite.world.day
    if {"startDate", "endDate"} <= set(names):
        return {"startDate": (day - timedelta(days=30)).isoformat(), "endDate": day.isoformat()}
    return {}


def exchange_of(suite: Suite, response) -> Exchange:
    request = response.request
    body = request.body or b""
    headers = httpx.Headers([(k, v) for k, values in response.headers.items() for v in values])
    return Exchange(method=request.method, url=request.url, path=urlsplit(request.url).path,
                    request_headers=dict(request.headers), request_body=body if isinstance(body, bytes)
                    else str(body).encode(), status=response.status_code, headers=headers,
                    text=response.content.decode("utf-8", "replace"), secrets=suite.api.secrets)


def breach(suite: Suite, op: Operation, title: str, message: str, response) -> ContractBreach:
    exchange = exchange_of(suite, response) if response is not None else None
    return ContractBreach(f"{title}: {message.strip()[:400]}", exchange, operation=op.label)
