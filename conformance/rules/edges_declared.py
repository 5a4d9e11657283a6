"""R9 edges in every answer the run has seen: only the statuses the contract declares for the operation, and
only its declared headers beyond transport and CORS headers. Runs last in the rule: it reads the run's
exchanges so far (every rule's, when the whole suite runs), each check first asking every operation once."""
from __future__ import annotations

import re
from typing import Iterable

from conformance.contract_map import Contract, Operation
from conformance.failures import ContractBreach
from conformance.http import Exchange
from conformance.registry import rule_check
from conformance.rules.auth import send
from conformance.suite import Suite

# Headers of HTTP itself, of proxies and of CORS, which no contract declares per response.
TRANSPORT_HEADERS = frozenset({"date", "server", "vary", "content-length", "content-type", "connection",
                               "keep-alive", "transfer-encoding", "content-encoding", "cache-control", "etag",
                               "strict-transport-security", "via", "age", "expires", "pragma", "alt-svc"})
TRANSPORT_PREFIXES = ("access-control-",)
SHOWN_MAX = 5


def operation_matchers(contract: Contract) -> list[tuple[re.Pattern, Operation]]:
    found = []
    for op in contract.operations:
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(op.path))
        found.append((re.compile(f"^{pattern}$"), op))
    return sorted(found, key=lambda pair: pair[1].path.count("{"))     # literal segments win


def operation_of(matchers: list[tuple[re.Pattern, Operation]], exchange: Exchange) -> Operation | None:
    return next((op for pattern, op in matchers if op.method == exchange.method and pattern.match(exchange.path)),
                None)


def declared_headers(contract: Contract, op: Operation, status: int) -> frozenset[str] | None:
    """Names (lower case) the response for `status` declares; None when the status is not declared."""
    responses = op.raw.get("responses", {})
    response = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or responses.get("default")
    if response is None:
        return None
    return frozenset(name.lower() for name in contract.resolve(response).get("headers", {}))


def is_transport(name: str) -> bool:
    return name in TRANSPORT_HEADERS or name.startswith(TRANSPORT_PREFIXES)


def seen_exchanges(suite: Suite) -> list[Exchange]:
    return list(suite.api.history) + (list(suite.other_api.history) if suite.other_api else [])


def breaches(suite: Suite, exchanges: Iterable[Exchange], statuses: bool) -> list[tuple[str, Exchange]]:
    matchers, found = operation_matchers(suite.contract), {}
    for exchange in exchanges:
        op = operation_of(matchers, exchange)
        if op is None:
            continue              # a path no operation has (the impossible-id probes): not an operation's answer
        declared = declared_headers(suite.contract, op, exchange.status)
        if statuses and declared is None:
            found.setdefault((op.label, exchange.status), exchange)
        elif not statuses and declared is not None:
            for name in {name.lower() for name in exchange.headers} - declared:
                if not is_transport(name):
                    found.setdefault((op.label, name), exchange)
    return [(f"{label}: {what}", exchange) for (label, what), exchange in found.items()]


def ask_every_operation(suite: Suite) -> None:
    """One plain request per partner operation, so that each has been answered at least once."""
    for op in suite.contract.partner_operations():
        if op.method == "GET" or (op.method == "POST" and set(op.path_params) - {"companyId"}):
            send(suite, op, suite.config.token)


def raise_breaches(found: list[tuple[str, Exchange]], what: str, seen: int) -> None:
    if found:
        shown = "; ".join(text for text, _ in found[:SHOWN_MAX])
        raise ContractBreach(f"{len(found)} {what} in {seen} answers: {shown}", found[0][1])


@rule_check()
def check_only_declared_statuses(suite: Suite) -> None:
    ask_every_operation(suite)
    seen = seen_exchanges(suite)
    raise_breaches(breaches(suite, seen, statuses=True), "statuses the contract does not declare", len(seen))


@rule_check()
def check_only_declared_headers(suite: Suite) -> None:
    ask_every_operation(suite)
    seen = seen_exchanges(suite)
    raise_breaches(breaches(suite, seen, statuses=False), "headers the contract does not declare", len(seen))
