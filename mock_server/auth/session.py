"""Browser sessions (cookie `ledgerhq_session=sess_...`): a signed-in user with a set of
organizations; `x-organization-id` may be omitted when there is exactly one (R5)."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping

from mock_server.auth.caller import Caller
from mock_server.auth.expiry import unix_s

if TYPE_CHECKING:
    from mock_server.auth.credentials import CredentialStore

SESSION_COOKIE = "ledgerhq_session"    # the contract's `sessionCookie` scheme
PREFIX = "sess_"


@dataclass(frozen=True, slots=True)
class User:
    id: str
    organization_ids: frozenset[str]
    firm_id: str | None = None          # set for a firm's staff; the first one owns the firm


@dataclass(frozen=True, slots=True)
class Session:
    id: str
    user_id: str
    expires_at_s: float | None = None   # unix seconds; None: never expires

    def expired(self, now_s: float) -> bool:
        return self.expires_at_s is not None and now_s >= self.expires_at_s


def new_session_id() -> str:
    return PREFIX + secrets.token_hex(24)


def user_from_row(row: Mapping[str, Any]) -> User:
    """`{"id": "user_...", "organizationIds": ["org_..."], "firmId"?: "firm_..."}`."""
    firm_id = row.get("firmId")
    return User(
        id=str(row["id"]),
        organization_ids=frozenset(str(org) for org in row.get("organizationIds", ())),
        firm_id=None if firm_id is None else str(firm_id),
    )


def from_row(row: Mapping[str, Any]) -> Session:
    """`{"id": "sess_...", "userId": "user_...", "expiresAt"?: time | None}`."""
    session_id = str(row["id"])
    if not session_id.startswith(PREFIX):
        raise ValueError(f"session {session_id!r} must start with {PREFIX!r}")
    return Session(session_id, str(row["userId"]), unix_s(row.get("expiresAt")))


def resolve(store: CredentialStore, session_id: str, now_s: float) -> Caller | None:
    found = store.sessions.get(session_id)
    if found is None or found.expired(now_s):
        return None
    user = store.users.get(found.user_id)
    if user is None:
        return None
    return Caller("session", user.firm_id, user.organization_ids, user.id)
