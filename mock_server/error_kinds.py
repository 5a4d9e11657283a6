"""The error catalog (R4): every error code with its HTTP status and `retryable`. No web here,
so the pure ledger, auth and webhooks can name the kind of each of their errors; only
mock_server/errors.py turns a kind into a response.

Each member is its code (`ErrorKind.NOT_FOUND == "NOT_FOUND"`), so a typo in a domain error
is an AttributeError at import, never a silent 500. The contract's `ErrorCode` schema
(`x-error-codes`) states the same table; tests/test_error_kinds.py holds the two equal.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorKind(StrEnum):
    status: int
    retryable: bool

    def __new__(cls, code: str, status: int, retryable: bool) -> ErrorKind:
        kind = str.__new__(cls, code)
        kind._value_ = code
        kind.status = status
        kind.retryable = retryable
        return kind

    @property
    def code(self) -> str:
        return self.value

    VALIDATION_ERROR = "VALIDATION_ERROR", 400, False
    IDEMPOTENCY_KEY_REQUIRED = "IDEMPOTENCY_KEY_REQUIRED", 400, False
    UNAUTHORIZED = "UNAUTHORIZED", 401, False
    FORBIDDEN = "FORBIDDEN", 403, False
    NOT_FOUND = "NOT_FOUND", 404, False
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED", 405, False
    INVALID_STATE = "INVALID_STATE", 409, False
    ACCOUNT_IN_USE = "ACCOUNT_IN_USE", 409, False
    IDEMPOTENCY_KEY_IN_USE = "IDEMPOTENCY_KEY_IN_USE", 409, True
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE", 413, False
    UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE", 415, False
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED", 422, False
    UNBALANCED_ENTRY = "UNBALANCED_ENTRY", 422, False
    UNPROCESSABLE = "UNPROCESSABLE", 422, False
    RATE_LIMITED = "RATE_LIMITED", 429, True
    INTERNAL_ERROR = "INTERNAL_ERROR", 500, True
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE", 503, True
