"""The R9 checks that read answers, on crafted exchanges: each passes a conforming answer and fails a breach."""
from __future__ import annotations

from types import SimpleNamespace

import httpx

from conformance.config import DEFAULT_CONTRACT_PATH
from conformance.contract_map import Contract
from faults.transforms_edges import shifted
from conformance.http import Exchange
from conformance.rules.edges_declared import breaches


def exchange(method: str, path: str, status: int, headers: dict[str, str]) -> Exchange:
    return Exchange(method=method, url=f"http://127.0.0.1{path}", path=path, request_headers={}, request_body=b"",
                    status=status, headers=httpx.Headers(headers), text="{}")


SUITE = SimpleNamespace(contract=Contract.load(DEFAULT_CONTRACT_PATH))
PLAIN = {"content-type": "application/json", "content-length": "2", "date": "x", "server": "x",
         "x-request-id": "req_1", "access-control-allow-origin": "*", "vary": "Origin"}


def test_declared_statuses_pass_and_an_undeclared_one_is_named():
    seen = [exchange("GET", "/api/v1/entries/je_1", 200, PLAIN), exchange("GET", "/api/v1/entries/je_1", 404, PLAIN)]
    assert breaches(SUITE, seen, statuses=True) == []
    found = breaches(SUITE, seen + [exchange("GET", "/api/v1/entries/je_1", 410, PLAIN)], statuses=True)
    assert [text for text, _ in found] == ["GET /api/v1/entries/{entryId}: 410"]


def test_transport_cors_and_declared_headers_pass_and_another_is_named():
    replayed = {**PLAIN, "idempotent-replayed": "false"}
    seen = [exchange("GET", "/api/v1/entries/je_1", 200, PLAIN),
            exchange("POST", "/api/v1/journal-entries", 201, replayed)]
    assert breaches(SUITE, seen, statuses=False) == []
    found = breaches(SUITE, [exchange("GET", "/api/v1/entries/je_1", 200, {**PLAIN, "x-ledger-shard": "7"})],
                     statuses=False)
    assert [text for text, _ in found] == ["GET /api/v1/entries/{entryId}: x-ledger-shard"]


def test_a_path_no_operation_has_is_not_judged():
    assert breaches(SUITE, [exchange("GET", "/api/v1/entries/je_1/", 418, {"x-odd": "1"})], statuses=True) == []


def test_the_window_fault_moves_only_the_named_dates():
    assert shifted("startDate=2026-01-01&endDate=2026-01-31", "endDate", -1) == \
        "startDate=2026-01-01&endDate=2026-01-30"
    assert shifted("asOf=bad", "asOf", -1) == "asOf=bad"
