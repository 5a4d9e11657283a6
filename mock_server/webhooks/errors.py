"""Webhook errors. No HTTP here: `kind` is an `ErrorKind` of the catalog
(mock_server/error_kinds.py), and mock_server/errors.py renders it (R4)."""
from __future__ import annotations

from mock_server.domain_error import DomainError
from mock_server.error_kinds import ErrorKind


class WebhookError(DomainError):
    kind = ErrorKind.VALIDATION_ERROR


class InvalidField(WebhookError):
    """A subscription field is malformed (400 VALIDATION_ERROR)."""

    kind = ErrorKind.VALIDATION_ERROR

    def __init__(self, field: str, issue: str) -> None:
        super().__init__(f"Field {field!r} {issue}.", [(field, issue)])
        self.field = field


class NotFound(WebhookError):
    kind = ErrorKind.NOT_FOUND

    def __init__(self, webhook_id: str) -> None:
        super().__init__(
            f"No webhook {webhook_id!r} in this company. List the company's webhooks "
            "(GET /api/v1/webhooks) to find a valid id."
        )
        self.webhook_id = webhook_id


class LimitReached(WebhookError):
    """The company already has the most subscriptions allowed (422 UNPROCESSABLE)."""

    kind = ErrorKind.UNPROCESSABLE

    def __init__(self, webhooks_max: int) -> None:
        super().__init__(
            f"A company may have at most {webhooks_max} webhooks. Delete or reuse one."
        )
