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
    """The forced faults set with PUT /api/v1/sandbox/faults, one per firm (a firm's credential
    faults its own firm's requests only) and one for every firm (the admin key: firm None);
    and the contract's tables the fault middleware consults."""

    __slots__ = ("by_firm", "posting_operations", "statuses_by_operation")

    def __init__(self, spec: dict) -> None:
        self.by_firm: dict[str | None, SandboxFault] = {}
        self.posting_operations = posting_operation_ids(spec)
        self.statuses_by_operation = declared_statuses(spec)

    def is_posting_operation(self, operation_id: str | None) -> bool:
        return operation_id in self.posting_operations

    def declared(self, operation_id: str) -> frozenset[int]:
        return self.statuses_by_operation.get(operation_id, frozenset())

    def current(self, firm_id: str | None = None) -> SandboxFault | None:
        return self.by_firm.get(firm_id)

    def set(self, fault: Fault, remaining: int | None, firm_id: str | None = None) -> SandboxFault:
        self.by_firm[firm_id] = SandboxFault(fault, remaining)
        return self.by_firm[firm_id]

    def clear(self, firm_id: str | None = None) -> None:
        """Clear the firm's fault; None (the admin key, a reset of everyone): every fault."""
        if firm_id is None:
            self.by_firm.clear()
        else:
            self.by_firm.pop(firm_id, None)

    def take(self, firm_id: str | None = None) -> Fault | None:
        """The fault for one request of this firm (its own, else every firm's), counting it down."""
        owner = firm_id if firm_id in self.by_firm else None
        current = self.by_firm.get(owner)
        if current is None:
            return None
        if current.remaining is not None:
            current.remaining -= 1
            if current.remaining <= 0:
                del self.by_firm[owner]
        return current.fault
