"""The base of every domain error (ledger, auth, webhooks). No HTTP here: `kind` is a code
of the error catalog (docs/architecture.md) and mock_server/errors.py picks the status (R4).

Every error carries a message telling the caller how to fix the request, and `details`,
(field, issue) pairs naming request fields as the contract spells them.
"""

from __future__ import annotations

Detail = tuple[str, str]


class DomainError(Exception):
    kind = "VALIDATION_ERROR"

    def __init__(self, message: str, details: list[Detail] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: list[Detail] = list(details or [])

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, details={self.details!r})"
