"""Registered OAuth clients (public clients: PKCE, no secret). In the sandbox the owner of
the client's firm approves its authorization requests at once; a client without a firm is
approved by the first firm owner listed (see CredentialStore.approver)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

DEFAULT_SCOPES = ("accounting",)      # the contract's one scope (oauth2 security scheme)


@dataclass(frozen=True, slots=True)
class OAuthClient:
    client_id: str
    redirect_uris: tuple[str, ...]      # exact-match comparison, never prefix
    scopes: tuple[str, ...] = DEFAULT_SCOPES
    firm_id: str | None = None


def from_row(row: Mapping[str, Any]) -> OAuthClient:
    """`{"clientId": "...", "redirectUris": ["http://..."], "firmId"?: "firm_...",
    "scopes"?: ["accounting", ...]}`."""
    redirect_uris = tuple(str(uri) for uri in row["redirectUris"])
    if not redirect_uris:
        raise ValueError(f"OAuth client {row['clientId']!r} needs at least one redirect URI")
    scopes = row.get("scopes")
    return OAuthClient(
        client_id=str(row["clientId"]),
        redirect_uris=redirect_uris,
        scopes=DEFAULT_SCOPES if scopes is None else tuple(str(scope) for scope in scopes),
        firm_id=None if row.get("firmId") is None else str(row["firmId"]),
    )
