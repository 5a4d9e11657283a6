"""Who is calling (R5): runs after routing, before request validation.

Which operations are public comes from the contract (`security: []`); every other
operation needs a credential the sandbox knows, or it is answered 401 with
`WWW-Authenticate: Bearer`, before its body is even read.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from mock_server import context, errors
from mock_server.connexion_adapter import ROUTING_KEY
from mock_server.control_scope import ADMIN_HEADER


def public_operation_ids(spec: dict) -> frozenset[str]:
    """operationIds whose security requirement list is empty."""
    public = set()
    default_security = spec.get("security", [])
    for path_item in spec["paths"].values():
        for method, operation in path_item.items():
            if method == "parameters" or not isinstance(operation, dict):
                continue
            if operation.get("security", default_security) == []:
                public.add(operation["operationId"])
    return frozenset(public)


def admin_operation_ids(spec: dict) -> frozenset[str]:
    """operationIds that accept the sandbox's admin key (security scheme `adminKey`)."""
    return frozenset(
        operation["operationId"] for path_item in spec["paths"].values()
        for method, operation in path_item.items()
        if method != "parameters" and isinstance(operation, dict)
        and any("adminKey" in requirement for requirement in operation.get("security", ())))


class AuthenticationMiddleware:
    def __init__(self, app: ASGIApp, public_operations: frozenset[str], service,
                 admin_operations: frozenset[str] = frozenset()) -> None:
        self.app = app
        self.public_operations = public_operations
        self.service = service
        self.admin_operations = admin_operations

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        operation_id = scope.get("extensions", {}).get(ROUTING_KEY, {}).get("operation_id")
        if operation_id is None or operation_id in self.public_operations:
            return await self.app(scope, receive, send)
        request = context.current()
        admin_key = request.header(ADMIN_HEADER) if operation_id in self.admin_operations else None
        caller = (self.service.admin_caller(admin_key) if admin_key is not None else
                  self.service.authenticate(request.header("authorization"), request.header("cookie")))
        if caller is None:
            message = errors.UNAUTHORIZED_MESSAGE if admin_key is None else errors.ADMIN_KEY_REFUSED_MESSAGE
            response = errors.error_response(errors.UNAUTHORIZED, message, request.request_id)
            return await response(scope, receive, send)
        request.caller = caller
        await self.app(scope, receive, send)
