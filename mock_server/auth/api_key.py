"""API keys (`Authorization: Bearer dk_live_...`): a key belongs to one organization, and
`x-organization-id` must name it (R5; enforced in tenancy.py)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping

from mock_server.auth.caller import Caller

if TYPE_CHECKING:
    from mock_server.auth.credentials import CredentialStore

PREFIX = "dk_live_"


@dataclass(frozen=True, slots=True)
class ApiKey:
    key: str
    organization_id: str


def from_row(row: Mapping[str, Any]) -> ApiKey:
    """`{"key": "dk_live_...", "organizationId": "org_..."}`."""
    key = str(row["key"])
    if not key.startswith(PREFIX):
        raise ValueError(f"API key {key!r} must start with {PREFIX!r}")
    return ApiKey(key=key, organization_id=str(row["organizationId"]))


def resolve(store: CredentialStore, key: str, now_s: float) -> Caller | None:
    api_key = store.api_keys.get(key)
    if api_key is None:
        return None
    return Caller("api_key", None, frozenset({api_key.organization_id}), None)
