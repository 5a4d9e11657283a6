"""Auth and tenancy errors. No HTTP here: `kind` is an `ErrorKind` of the catalog
(mock_server/error_kinds.py), and mock_server/errors.py renders it (R4). A missing or unknown
credential is not an exception: the resolvers answer None and the edge answers 401.

OAuth token-endpoint errors are not here: they use the RFC 6749 form (see oauth.py).
"""
from __future__ import annotations

from mock_server.domain_error import DomainError
from mock_server.error_kinds import ErrorKind


class AuthError(DomainError):
    kind = ErrorKind.UNAUTHORIZED


class NotFound(AuthError):
    """A company or organization outside the caller's reach. Same message whether it exists
    or not, so the answer never reveals existence (R5)."""

    kind = ErrorKind.NOT_FOUND

    def __init__(self, resource: str, resource_id: str) -> None:
        super().__init__(
            f"No {resource} {resource_id!r} is reachable with this credential. "
            "List your companies (GET /api/v1/companies) to find a valid id."
        )
        self.resource = resource
        self.resource_id = resource_id


class OrganizationHeaderRequired(AuthError):
    """A legacy route was called without `x-organization-id` where one is needed."""

    kind = ErrorKind.VALIDATION_ERROR

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"Header x-organization-id is required: {reason}. Send the organization id "
            "of the company to act on (GET /api/v1/organizations lists them).",
            [("x-organization-id", "required")],
        )


class CapacityReached(AuthError):
    """A bounded table (codes, tokens, sessions) is full even after dropping expired rows."""

    kind = ErrorKind.SERVICE_UNAVAILABLE

    def __init__(self, table: str, rows_max: int) -> None:
        super().__init__(f"Too many live {table} (limit {rows_max}). Retry later.")
        self.table = table
