"""Sets of acceptable results, and the failures raised when a response falls outside them."""
from __future__ import annotations

from typing import Iterable

from conformance.failures import WrongStatus
from conformance.http import Exchange


def expect_status(exchange: Exchange, statuses: Iterable[int], what: str) -> None:
    allowed = sorted(set(statuses))
    if exchange.status not in allowed:
        raise WrongStatus(f"{what}: expected {' or '.join(map(str, allowed))}, got {exchange.status}", exchange)


def expect_error(exchange: Exchange, status: int, codes: Iterable[str], what: str) -> None:
    """The status and one of the error codes the contract names for this case."""
    wanted = sorted(set(codes))
    if exchange.status != status or exchange.error_code not in wanted:
        raise WrongStatus(
            f"{what}: expected {status} {' or '.join(wanted)}, got {exchange.status} {exchange.error_code}",
            exchange)


def expect_header(exchange: Exchange, name: str, value: str, what: str) -> None:
    from conformance.failures import MissingHeader
    seen = exchange.headers.get(name)
    if seen is None or seen.strip().lower() != value.lower():
        raise MissingHeader(f"{what}: expected header {name}: {value}, got {seen!r}", exchange)


def json_object(exchange: Exchange, what: str) -> dict:
    body = exchange.json
    if not isinstance(body, dict):
        raise WrongStatus(f"{what}: expected a JSON object, got {exchange.text[:80]!r}", exchange)
    return body
