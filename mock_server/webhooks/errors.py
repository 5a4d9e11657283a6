"""Webhook errors. No HTTP here: `kind` is a code of the error catalog in
docs/architecture.md, and the API's errors module picks the status (R4)."""
from __future__ import annotations

Detail = tuple[str, str]


class WebhookError(Exception):
    kind = "VALIDATION_ERROR"

    def __init__(self, message: str, details: list[Detail] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: list[Detail] = list(details or [])

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, details={self.details!r})"


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
