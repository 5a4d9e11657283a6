"""Auth and tenancy errors. No HTTP here: `kind` is a code of the error catalog in
docs/architecture.md, and the API's errors module picks the status (R4).

OAuth token-endpoint errors are not here: they use the RFC 6749 form (see oauth.py).
"""
from __future__ import annotations

from mock_server.domain_error import DomainError


class AuthError(DomainError):
    kind = "UNAUTHORIZED"


class Unauthorized(AuthError):
    """Missing, unknown, expired or revoked credential (401 + `WWW-Authenticate: Bearer`)."""

    kind = "UNAUTHORIZED"

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message or "Send a valid credential: `Authorization: Bearer mcp_at_...` or "
            "`Bearer dk_live_...`, or the `ledgerhq_session` cookie."
        )


class NotFound(AuthError):
    """A company or organization outside the caller's reach. Same message whether it exists
    or not, so the answer never reveals existence (R5)."""

    kind = "NOT_FOUND"

    def __init__(self, resource: str, resource_id: str) -> None:
        super().__init__(
            f"No {resource} {resource_id!r} is reachable with this credential. "
            "List your companies (GET /api/v1/companies) to find a valid id."
        )
        self.resource = resource
        self.resource_id = resource_id


class OrganizationHeaderRequired(AuthError):
    """A legacy route was called without `x-organization-id` where one is needed."""

    kind = "VALIDATION_ERROR"

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"Header x-organization-id is required: {reason}. Send the organization id "
            "of the company to act on (GET /api/v1/organizations lists them).",
            [("x-organization-id", "required")],
        )


class CapacityReached(AuthError):
    """A bounded table (codes, tokens, sessions) is full even after dropping expired rows."""

    kind = "SERVICE_UNAVAILABLE"

    def __init__(self, table: str, rows_max: int) -> None:
        super().__init__(f"Too many live {table} (limit {rows_max}). Retry later.")
        self.table = table
