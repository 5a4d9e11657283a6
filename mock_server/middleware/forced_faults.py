"""Forced faults, so partners can test their retry logic (sandbox controls).

Asked for per request with a `Prefer` header (`Prefer: code=503`, `Prefer: delay=250`,
`Prefer: idempotency=in_use`, comma-separated) or for the whole sandbox through
`PUT /api/v1/sandbox/faults`. Sandbox-control and public routes are never faulted, so a
fault can always be cleared.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Receive, Scope, Send

from mock_server import context, errors
from mock_server.middleware.authentication import ROUTING_KEY
from mock_server.service.faults import DELAY_MS_MAX, Fault

NEVER_FAULTED_PREFIXES = ("/api/v1/sandbox", "/api/health", "/api/oauth", "/.well-known")


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
    def __init__(self, app: ASGIApp, service) -> None:
        self.app = app
        self.faults = service.faults        # mock_server.service.faults.ForcedFaults
        self.request_firm = service.request_firm

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        operation_id = scope.get("extensions", {}).get(ROUTING_KEY, {}).get("operation_id")
        if (scope["type"] != "http" or operation_id is None
                or scope["path"].startswith(NEVER_FAULTED_PREFIXES)):
            return await self.app(scope, receive, send)
        request = context.current()
        fault = parse_prefer(request.header("prefer")) or self.faults.take(self.request_firm(request.caller))
        if fault is None:
            return await self.app(scope, receive, send)
        response = self._refusal(fault, operation_id, request.request_id)
        if response is not None:
            return await response(scope, receive, send)
        if self.faults.is_posting_operation(operation_id):
            request.delay_ms = fault.delay_ms      # spent by the write path while it holds the key
        elif fault.delay_ms:
            await asyncio.sleep(fault.delay_ms / 1000)
        await self.app(scope, receive, send)

    def _refusal(self, fault: Fault, operation_id: str, request_id: str):
        """The error response the fault asks for, or None to serve the request (delayed)."""
        declared = self.faults.declared(operation_id)
        if fault.status is not None and fault.status not in declared:     # never leave the contract (R9)
            return errors.error_response(
                errors.VALIDATION_ERROR,
                f"Forced fault: {operation_id} does not declare {fault.status}; ask for one of "
                f"{', '.join(str(code) for code in sorted(declared) if code >= 400)}.",
                request_id, details=[("Prefer", "undeclared status")])
        if fault.idempotency_in_use and self.faults.is_posting_operation(operation_id):
            return errors.error_response(
                errors.IDEMPOTENCY_KEY_IN_USE,
                "A request with this Idempotency-Key is still in flight; retry after it completes.",
                request_id)
        if fault.status is not None:
            return errors.error_response(
                errors.kind_for_status(fault.status),
                f"Forced fault: the sandbox was asked to answer {fault.status}.",
                request_id, status=fault.status)
        return None
