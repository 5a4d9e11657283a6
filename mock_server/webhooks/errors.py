"""Webhook errors. No HTTP here: `kind` is a code of the error catalog in
docs/architecture.md, and the API's errors module picks the status (R4)."""
from __future__ import annotations

from mock_server.domain_error import DomainError


class WebhookError(DomainError):
    kind = "VALIDATION_ERROR"


class InvalidField(WebhookError):
    """A subscription field is malformed (400 VALIDATION_ERROR)."""

    kind = "VALIDATION_ERROR"

    def __init__(self, field: str, issue: str) -> None:
        super().__init__(f"Field {field!r} {issue}.", [(field, issue)])
        self.field = field


class NotFound(WebhookError):
    kind = "NOT_FOUND"

    def __init__(self, webhook_id: str) -> None:
        super().__init__(
            f"No webhook {webhook_id!r} in this company. List the company's webhooks "
            "(GET /api/v1/webhooks) to find a valid id."
        )
        self.webhook_id = webhook_id


class LimitReached(WebhookError):
    """The company already has the most subscriptions allowed (422 UNPROCESSABLE)."""

    kind = "UNPROCESSABLE"

    def __init__(self, webhooks_max: int) -> None:
        super().__init__(
            f"A company may have at most {webhooks_max} webhooks. Delete or reuse one."
        )
