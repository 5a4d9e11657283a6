"""The base of every domain error (ledger, auth, webhooks). No HTTP here: `kind` is an
`ErrorKind` of the catalog (error_kinds.py), which holds its status; mock_server/errors.py
renders it (R4).

Every error carries a message telling the caller how to fix the request, and `details`,
(field, issue) pairs naming request fields as the contract spells them.
"""

from __future__ import annotations

from mock_server.error_kinds import ErrorKind

Detail = tuple[str, str]


class DomainError(Exception):
    kind: ErrorKind = ErrorKind.VALIDATION_ERROR

    def __init__(self, message: str, details: list[Detail] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: list[Detail] = list(details or [])

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, details={self.details!r})"
