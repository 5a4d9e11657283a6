"""OAuth access tokens (`Authorization: Bearer mcp_at_...`): a token anchors to a firm and
sees the companies that firm manages (R5). Fixture tokens may never expire; tokens issued by
the authorization server (oauth.py) expire and belong to a grant that can be revoked."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping
from urllib.parse import urlsplit

from mock_server.auth.caller import Caller
from mock_server.auth.expiry import unix_s

if TYPE_CHECKING:
    from mock_server.auth.credentials import CredentialStore

PREFIX = "mcp_at_"
REST_RESOURCE_PATH = "/api/v1"      # the sandbox's two RFC 8707 resources: {public-url}/api/v1
MCP_RESOURCE_PATH = "/api/mcp"      # and {public-url}/api/mcp


@dataclass(frozen=True, slots=True)
class AccessToken:
    token: str
    firm_id: str
    expires_at_s: float | None = None   # unix seconds; None: never expires
    grant_id: str | None = None         # the OAuth grant that issued it; None for fixture tokens
    user_id: str | None = None          # the user who approved the grant, if known
    client_id: str | None = None
    resource: str | None = None         # RFC 8707 audience; None: both of the sandbox's resources

    def expired(self, now_s: float) -> bool:
        return self.expires_at_s is not None and now_s >= self.expires_at_s


def new_token() -> str:
    return PREFIX + secrets.token_hex(24)


def from_row(row: Mapping[str, Any]) -> AccessToken:
    """`{"token": "mcp_at_...", "firmId": "firm_...", "clientId"?: "...",
    "expiresAt"?: time | None}`."""
    token = str(row["token"])
    if not token.startswith(PREFIX):
        raise ValueError(f"access token {token!r} must start with {PREFIX!r}")
    return AccessToken(
        token=token,
        firm_id=str(row["firmId"]),
        expires_at_s=unix_s(row.get("expiresAt")),
        client_id=row.get("clientId"),
    )


def audience_includes(access: AccessToken, resource_path: str) -> bool:
    """A token issued without `resource` serves both resources; a bound one only its own (the
    authorization server only binds to `{public-url}/api/v1` or `{public-url}/api/mcp`)."""
    return access.resource is None or urlsplit(access.resource).path == resource_path


def resolve(store: CredentialStore, token: str, now_s: float,
            resource_path: str = REST_RESOURCE_PATH) -> Caller | None:
    access = store.access_tokens.get(token)
    if access is None or access.expired(now_s) or not audience_includes(access, resource_path):
        return None
    organization_ids = store.firm_organizations.get(access.firm_id)
    if organization_ids is None:
        return None
    return Caller("oauth", access.firm_id, organization_ids, access.user_id)
