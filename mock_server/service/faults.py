"""Forced faults (sandbox controls): what a request or the whole sandbox is asked to fail with.

The middleware decodes a request's `Prefer` header into a `Fault` and asks the service for
the sandbox-wide one; the service also knows, from the contract, which operations post
(their forced delay is spent while the Idempotency-Key is held) and which statuses each
operation declares (a forced status never leaves the contract).
"""

from __future__ import annotations

from dataclasses import dataclass

from ledgerhq_contract import operations, resolve_ref

DELAY_MS_MAX = 10_000


@dataclass(frozen=True, slots=True)
class Fault:
    status: int | None = None
    delay_ms: int = 0
    idempotency_in_use: bool = False


@dataclass(slots=True)
class SandboxFault:
    """A fault set for the whole sandbox: `remaining` requests (None: until cleared)."""

    fault: Fault
    remaining: int | None = None


def posting_operation_ids(spec: dict) -> frozenset[str]:
    """Posting routes are the operations that take an Idempotency-Key header (R2)."""
    found = set()
    for _, _, operation in operations(spec):
        for parameter in operation.get("parameters", []):
            parameter = resolve_ref(spec, parameter)
            if parameter.get("in") == "header" and parameter.get("name", "").lower() == "idempotency-key":
                found.add(operation["operationId"])
    return frozenset(found)


def declared_statuses(spec: dict) -> dict[str, frozenset[int]]:
    """operationId -> the statuses the contract declares for it."""
    return {op["operationId"]: frozenset(int(code) for code in op.get("responses", {}) if code.isdigit())
            for _, _, op in operations(spec)}


class ForcedFaults:
    """The sandbox-wide fault, and the contract's tables the fault middleware consults."""

    __slots__ = ("current", "posting_operations", "statuses_by_operation")

    def __init__(self, spec: dict) -> None:
        self.current: SandboxFault | None = None
        self.posting_operations = posting_operation_ids(spec)
        self.statuses_by_operation = declared_statuses(spec)

    def is_posting_operation(self, operation_id: str | None) -> bool:
        return operation_id in self.posting_operations

    def declared(self, operation_id: str) -> frozenset[int]:
        return self.statuses_by_operation.get(operation_id, frozenset())

    def set(self, fault: Fault, remaining: int | None) -> SandboxFault:
        self.current = SandboxFault(fault, remaining)
        return self.current

    def clear(self) -> None:
        self.current = None

    def take(self) -> Fault | None:
        """The sandbox-wide fault for one request, counting it down."""
        current = self.current
        if current is None:
            return None
        if current.remaining is not None:
            current.remaining -= 1
            if current.remaining <= 0:
                self.current = None
        return current.fault
