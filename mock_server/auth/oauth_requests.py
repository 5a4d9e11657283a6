"""Parsing /authorize and /token requests (RFC 6749, RFC 7636)."""
from __future__ import annotations

from typing import Any, Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from mock_server.auth.oauth_grants import S256_CHALLENGE_PATTERN, TokenError

PARAMETER_LENGTH_MAX = 2048

Form = Mapping[str, Any]   # str values; a list (as from parse_qs) must hold exactly one


def redirect_to(redirect_uri: str, params: dict[str, str | None]) -> str:
    """`redirect_uri` with `params` added to its query (its own query is kept)."""
    parts = urlsplit(redirect_uri)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += [(name, value) for name, value in params.items() if value is not None]
    return urlunsplit(parts._replace(query=urlencode(query)))


def form_value(form: Form, name: str) -> str | None:
    """One form parameter; repeated parameters are refused (RFC 6749 3.2)."""
    value = form.get(name)
    if isinstance(value, (list, tuple)):
        if len(value) != 1:
            raise TokenError("invalid_request", f"Send {name} exactly once.")
        value = value[0]
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > PARAMETER_LENGTH_MAX:
        raise TokenError("invalid_request", f"{name} must be a string of at most "
                         f"{PARAMETER_LENGTH_MAX} characters.")
    return value


def authorize_request_error(response_type: str | None, code_challenge: str | None,
                            code_challenge_method: str | None,
                            state: str | None) -> tuple[str, str] | None:
    """The first error of an /authorize request that may redirect, or None."""
    if state is not None and len(state) > PARAMETER_LENGTH_MAX:
        return "invalid_request", f"state must be at most {PARAMETER_LENGTH_MAX} characters."
    if response_type != "code":
        return "unsupported_response_type", "response_type must be code."
    if code_challenge is None:
        return "invalid_request", "code_challenge is required (PKCE)."
    if code_challenge_method != "S256":
        return "invalid_request", "code_challenge_method must be S256; plain is not supported."
    if not S256_CHALLENGE_PATTERN.fullmatch(code_challenge):
        return "invalid_request", "code_challenge must be BASE64URL(SHA256(verifier)), 43 chars."
    return None


def expect_grant_type(form: Form, grant_type: str) -> None:
    sent = form_value(form, "grant_type")
    if sent is None:
        raise TokenError("invalid_request", "grant_type is required.")
    if sent != grant_type:
        raise TokenError("unsupported_grant_type", f"grant_type must be {grant_type}.")
