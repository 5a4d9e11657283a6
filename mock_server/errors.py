"""The one place that shapes errors (R4).

Every error the sandbox sends leaves through `error_response`: the structured body
`{"error": {"code", "message", "retryable", "requestId", "details"?}}`, JSON, with the
request id that the response's `X-Request-Id` header carries. The catalog of kinds (code,
status, retryable) is web-free, in error_kinds.py: domain errors carry their kind, and this
module renders it.
"""

from __future__ import annotations

import json
import logging

from starlette.responses import Response

from mock_server.auth.session import SESSION_COOKIE
from mock_server.domain_error import DomainError
from mock_server.error_kinds import ErrorKind

VALIDATION_ERROR = ErrorKind.VALIDATION_ERROR
IDEMPOTENCY_KEY_REQUIRED = ErrorKind.IDEMPOTENCY_KEY_REQUIRED
UNAUTHORIZED = ErrorKind.UNAUTHORIZED
FORBIDDEN = ErrorKind.FORBIDDEN
NOT_FOUND = ErrorKind.NOT_FOUND
METHOD_NOT_ALLOWED = ErrorKind.METHOD_NOT_ALLOWED
INVALID_STATE = ErrorKind.INVALID_STATE
IDEMPOTENCY_KEY_IN_USE = ErrorKind.IDEMPOTENCY_KEY_IN_USE
PAYLOAD_TOO_LARGE = ErrorKind.PAYLOAD_TOO_LARGE
UNSUPPORTED_MEDIA_TYPE = ErrorKind.UNSUPPORTED_MEDIA_TYPE
UNPROCESSABLE = ErrorKind.UNPROCESSABLE
RATE_LIMITED = ErrorKind.RATE_LIMITED
INTERNAL_ERROR = ErrorKind.INTERNAL_ERROR
SERVICE_UNAVAILABLE = ErrorKind.SERVICE_UNAVAILABLE

# A forced fault names only a status: the code that goes with it.
KIND_BY_STATUS: dict[int, ErrorKind] = {
    400: VALIDATION_ERROR, 401: UNAUTHORIZED, 403: FORBIDDEN, 404: NOT_FOUND,
    409: INVALID_STATE, 413: PAYLOAD_TOO_LARGE, 415: UNSUPPORTED_MEDIA_TYPE,
    422: UNPROCESSABLE, 429: RATE_LIMITED, 500: INTERNAL_ERROR, 503: SERVICE_UNAVAILABLE,
}

logger = logging.getLogger("ledgerhq.sandbox")

UNAUTHORIZED_HEADERS = {"WWW-Authenticate": 'Bearer realm="ledgerhq"'}
RETRY_AFTER_S = 1
UNAUTHORIZED_MESSAGE = (
    "Send a valid credential: 'Authorization: Bearer mcp_at_...' (an OAuth access token), "
    "'Authorization: Bearer dk_live_...' (an API key, with x-organization-id), or the "
    f"'{SESSION_COOKIE}' cookie of a signed-in session.")
ADMIN_KEY_REFUSED_MESSAGE = (
    "The X-Admin-Key header does not match this sandbox's admin key: send the key the sandbox printed "
    "at start-up (or set with --admin-key / LEDGERHQ_SANDBOX_ADMIN_KEY), or drop the header and send a firm's "
    "'Authorization: Bearer mcp_at_...' access token to act on that firm only.")
INTERNAL_ERROR_MESSAGE = "The sandbox failed to handle this request; it is safe to retry."
DETAILS_MAX = 50
MESSAGE_CHARS_MAX = 500


def kind_headers(kind: ErrorKind) -> dict[str, str]:
    """Headers every answer of this kind carries: `WWW-Authenticate` on 401, `Retry-After`
    on 429 and 503 (forced ones too)."""
    if kind is UNAUTHORIZED:
        return dict(UNAUTHORIZED_HEADERS)
    if kind is RATE_LIMITED or kind is SERVICE_UNAVAILABLE:
        return {"Retry-After": str(RETRY_AFTER_S)}
    return {}


def kind_for_status(status: int) -> ErrorKind:
    if status in KIND_BY_STATUS:
        return KIND_BY_STATUS[status]
    return INTERNAL_ERROR if status >= 500 else VALIDATION_ERROR


def unrouted(method: str, allowed: tuple[str, ...] | None) -> tuple[ErrorKind, str, dict[str, str]]:
    """(kind, message, headers) for a request no operation of the contract took; `allowed`
    holds the methods of the path template the path has the shape of, if any (R9)."""
    if allowed and method not in allowed:
        return (METHOD_NOT_ALLOWED, f"This path takes {', '.join(allowed)}.",
                {"Allow": ", ".join(allowed)})
    if allowed:     # the path's shape matches, but an id in it cannot exist
        return NOT_FOUND, "No such resource: an id in this path cannot exist.", {}
    return NOT_FOUND, "No such route: check the method and path against the contract.", {}


def error_payload(kind: ErrorKind, message: str, request_id: str,
                  details: list[tuple[str, str]] | None = None) -> dict:
    error: dict = {
        "code": kind.code,
        "message": message[:MESSAGE_CHARS_MAX],
        "retryable": kind.retryable,
        "requestId": request_id,
    }
    if details:
        error["details"] = [{"field": field, "issue": issue} for field, issue in details[:DETAILS_MAX]]
    return {"error": error}


def error_response(kind: ErrorKind, message: str, request_id: str,
                   details: list[tuple[str, str]] | None = None,
                   headers: dict[str, str] | None = None, status: int | None = None) -> Response:
    """The JSON error response; `status` overrides the kind's only for forced faults."""
    body = json.dumps(error_payload(kind, message, request_id, details), separators=(",", ":"))
    all_headers = {"X-Request-Id": request_id, **kind_headers(kind)}
    if headers:
        all_headers.update(headers)
    return Response(body, status_code=status or kind.status, headers=all_headers,
                    media_type="application/json")


def exception_response(error: Exception, request_id: str) -> Response:
    """A domain error as its kind says; anything else, a kind outside the catalog included,
    is our bug: logged, and answered 500 INTERNAL_ERROR."""
    if isinstance(error, DomainError) and isinstance(error.kind, ErrorKind):
        return error_response(error.kind, error.message, request_id, error.details)
    logger.error("unhandled error", exc_info=error)
    return error_response(INTERNAL_ERROR, INTERNAL_ERROR_MESSAGE, request_id)
