"""Operation x status coverage: every status each operation declares, and which ones the run saw."""
from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

from conformance.contract_map import Contract, Operation

if TYPE_CHECKING:
    from conformance.http import Exchange
    from conformance.suite import Suite

PLACEHOLDER = re.compile(r"\{[^}/]+\}")


class Coverage:
    def __init__(self, contract: Contract) -> None:
        self.operations = contract.partner_operations()
        # literal paths before templated ones: /bank-feeds/health is not /bank-feeds/{feedId}
        ordered = sorted(self.operations, key=lambda op: (op.path.count("{"), -len(op.path)))
        self.matchers = [(op, re.compile("^" + PLACEHOLDER.sub("[^/]+", re.escape(op.path).replace(r"\{", "{")
                                                          .replace(r"\}", "}")) + "$")) for op in ordered]
        self.seen: dict[str, set[int]] = defaultdict(set)

    def operation_for(self, method: str, path: str) -> Operation | None:
        for op, pattern in self.matchers:
            if op.method == method and pattern.match(path):
                return op
        return None

    def record(self, op: Operation, status: int | None) -> None:
        if status is not None:
            self.seen[op.label].add(int(status))

    def observe(self, exchange: Exchange) -> None:
        op = self.operation_for(exchange.method, exchange.path)
        if op is not None:
            self.record(op, exchange.status)

    def rows(self) -> list[dict]:
        """One row per operation: declared statuses, those exercised, and undeclared ones seen."""
        rows = []
        for op in self.operations:
            declared = sorted(str(status) for status in op.raw.get("responses", {}) if str(status).isdigit())
            seen = self.seen.get(op.label, set())
            rows.append({"operation": op.label, "operationId": op.operation_id, "declared": declared,
                         "exercised": sorted(str(s) for s in seen if str(s) in declared),
                         "undeclaredSeen": sorted(str(s) for s in seen if str(s) not in declared),
                         "has2xx": any(200 <= s < 300 for s in seen), "has4xx": any(400 <= s < 500 for s in seen)})
        return rows

    def summary(self) -> dict:
        rows = self.rows()
        declared = sum(len(row["declared"]) for row in rows)
        exercised = sum(len(row["exercised"]) for row in rows)
        return {"operations": len(rows), "statusesDeclared": declared, "statusesExercised": exercised,
                "operationsWith2xxAnd4xx": sum(row["has2xx"] and row["has4xx"] for row in rows)}


def coverage_of(suite: Suite) -> Coverage | None:
    return suite.cache.coverage


def record_response(suite: Suite, op: Operation, response) -> None:
    """A response the contract layer got outside the suite's own client (Schemathesis)."""
    coverage = coverage_of(suite)
    request = getattr(response, "request", None)
    sent = str(getattr(request, "method", op.method) or op.method).upper()
    if coverage is not None and response is not None and sent == op.method:   # an undeclared method is not op's
        coverage.record(op, getattr(response, "status_code", None))
