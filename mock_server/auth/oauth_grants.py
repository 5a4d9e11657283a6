"""Records and errors of the OAuth authorization server, and the PKCE check (RFC 7636)."""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

REFRESH_PREFIX = "mcp_rt_"
CODE_PREFIX = "lhq_code_"
GRANT_PREFIX = "grant_"
VERIFIER_PATTERN = re.compile(r"[A-Za-z0-9\-._~]{43,128}")   # RFC 7636 4.1
S256_CHALLENGE_PATTERN = re.compile(r"[A-Za-z0-9_\-]{43}")     # BASE64URL(SHA256), no padding


@dataclass(frozen=True, slots=True)
class AuthorizationCode:
    code: str
    client_id: str
    redirect_uri: str | None    # as sent to /authorize; the token request must repeat it
    code_challenge: str
    scope: str
    firm_id: str
    user_id: str | None
    expires_at_s: float
    forget_at_s: float          # kept after use until then, to spot reuse (RFC 6749 4.1.2)
    grant_id: str | None = None  # set when exchanged: the tokens it issued
    resource: str | None = None  # RFC 8707 resource asked for at /authorize, if any


@dataclass(frozen=True, slots=True)
class RefreshToken:
    token: str
    grant_id: str
    client_id: str
    firm_id: str
    user_id: str | None
    scope: str
    expires_at_s: float
    rotated: bool = False       # used once already: a second use revokes the whole grant
    resource: str | None = None  # the grant's RFC 8707 resource, if bound to one


class AuthorizeRefused(Exception):
    """An /authorize request that must NOT redirect (unknown client, bad redirect URI;
    RFC 6749 4.1.2.1): answer 400 to the user agent with `error` and `description`."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description


class TokenError(Exception):
    """A token-endpoint error in the RFC 6749 5.2 form. `status` is 400, or 401 for
    `invalid_client` (answer with `WWW-Authenticate` then), or 503 when a table is full."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = {"invalid_client": 401, "temporarily_unavailable": 503}.get(error, 400)

    def body(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}


def s256(code_verifier: str) -> str:
    """BASE64URL(SHA256(ASCII(code_verifier))) without padding."""
    digest = hashlib.sha256(code_verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def verifier_matches(code_verifier: str, code_challenge: str) -> bool:
    return hmac.compare_digest(s256(code_verifier), code_challenge)


def new_code() -> str:
    return CODE_PREFIX + secrets.token_urlsafe(32)


def new_refresh_token() -> str:
    return REFRESH_PREFIX + secrets.token_hex(24)


def new_grant_id() -> str:
    return GRANT_PREFIX + secrets.token_hex(12)
