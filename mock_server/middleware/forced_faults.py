"""Forced faults, so partners can test their retry logic (sandbox controls).

Asked for per request with a `Prefer` header (`Prefer: code=503`, `Prefer: delay=250`,
`Prefer: idempotency=in_use`, comma-separated) or for the whole sandbox through
`PUT /api/v1/sandbox/faults`. Sandbox-control and public routes are never faulted, so a
fault can always be cleared.
"""

from __future__ import annotations

import asyncio

from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

from mock_server import context, errors
from mock_server.contract import operations
from mock_server.middleware.authentication import ROUTING_KEY

DELAY_MS_MAX = 10_000
NEVER_FAULTED_PREFIXES = ("/api/v1/sandbox", "/api/health", "/api/oauth", "/.well-known")


@dataclass(frozen=True, slots=True)
class Fault:
    status: int | None = None
    delay_ms: int = 0
    idempotency_in_use: bool = False


def parse_prefer(value: str | None) -> Fault | None:
    """`code=503, delay=250, idempotency=in_use` -> Fault; unknown or bad parts are ignored."""
    if not value:
        return None
    status, delay_ms, in_use = None, 0, False
    for part in value.split(","):
        name, _, raw = part.strip().partition("=")
        if name == "code" and raw.isdigit() and 400 <= int(raw) <= 599:
            status = int(raw)
        elif name == "delay" and raw.isdigit():
            delay_ms = min(int(raw), DELAY_MS_MAX)
        elif name == "idempotency" and raw == "in_use":
            in_use = True
    if status is None and not delay_ms and not in_use:
        return None
    return Fault(status, delay_ms, in_use)


class ForcedFaultMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._declared: tuple[int, dict[str, frozenset[int]]] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        operation_id = scope.get("extensions", {}).get(ROUTING_KEY, {}).get("operation_id")
        if (scope["type"] != "http" or operation_id is None
                or scope["path"].startswith(NEVER_FAULTED_PREFIXES)):
            return await self.app(scope, receive, send)
        request = context.current()
        fault = parse_prefer(request.header("prefer")) or request.state.take_sandbox_fault()
        if fault is None:
            return await self.app(scope, receive, send)
        declared = self._declared_statuses(request.state.spec).get(operation_id, frozenset())
        if fault.status is not None and fault.status not in declared:     # never leave the contract (R9)
            response = errors.error_response(
                errors.VALIDATION_ERROR,
                f"Forced fault: {operation_id} does not declare {fault.status}; ask for one of "
                f"{', '.join(str(code) for code in sorted(declared) if code >= 400)}.",
                request.request_id, details=[("Prefer", "undeclared status")])
            return await response(scope, receive, send)
        if fault.idempotency_in_use and request.state.is_posting_operation(operation_id):
            response = errors.error_response(
                errors.IDEMPOTENCY_KEY_IN_USE,
                "A request with this Idempotency-Key is still in flight; retry after it completes.",
                request.request_id)
            return await response(scope, receive, send)
        if fault.status is not None:
            kind = errors.kind_for_status(fault.status)
            response = errors.error_response(
                kind, f"Forced fault: the sandbox was asked to answer {fault.status}.",
                request.request_id, status=fault.status)
            return await response(scope, receive, send)
        if request.state.is_posting_operation(operation_id):
            request.delay_ms = fault.delay_ms      # spent by the handler while it holds the key
        elif fault.delay_ms:
            await asyncio.sleep(fault.delay_ms / 1000)
        await self.app(scope, receive, send)

    def _declared_statuses(self, spec: dict) -> dict[str, frozenset[int]]:
        """operationId -> the statuses the contract declares for it (built once per contract)."""
        if self._declared is None or self._declared[0] != id(spec):
            table = {op["operationId"]: frozenset(int(code) for code in op.get("responses", {}) if code.isdigit())
                     for _, _, op in operations(spec)}
            self._declared = (id(spec), table)
        return self._declared[1]
