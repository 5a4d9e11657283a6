"""The credential table (one resolver per kind, chosen by prefix) and the store of every
live credential.

`CredentialStore(...)` takes plain data, as a fixture loader reads it. Times (`expiresAt`)
are unix seconds, aware datetimes or ISO 8601 strings; missing or None: never expires.

    firms:         [{"id": "firm_summit", "organizationIds": ["org_brightpixel", ...]}]
    users:         [{"id": "user_summit_owner", "organizationIds": ["org_brightpixel", ...],
                     "firmId"?: "firm_summit"}]       # first user of a firm is its owner
    access_tokens: [{"token": "mcp_at_...", "firmId": "firm_summit", "clientId"?: "...",
                     "expiresAt"?: ...}]
    api_keys:      [{"key": "dk_live_...", "organizationId": "org_brightpixel"}]
    sessions:      [{"id": "sess_...", "userId": "user_summit_owner", "expiresAt"?: ...}]
    oauth_clients: [{"clientId": "lhq_client_sandbox", "redirectUris": ["http://..."],
                     "firmId"?: "firm_summit", "scopes"?: ["accounting"]}]

Every reference must name a listed firm, organization or user; a bad row raises
ValueError naming it. Extra keys (names, emails) are ignored.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping

from mock_server.auth import api_key, oauth_client, oauth_token, session
from mock_server.auth.bounded import make_room
from mock_server.auth.caller import Caller

Row = Mapping[str, Any]
Resolver = Callable[["CredentialStore", str, float], "Caller | None"]

CREDENTIAL_BY_PREFIX: dict[str, Resolver] = {
    oauth_token.PREFIX: oauth_token.resolve,
    api_key.PREFIX: api_key.resolve,
}
CREDENTIAL_LENGTH_MAX = 512
ACCESS_TOKENS_MAX = 10_000
SESSIONS_MAX = 10_000


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header (scheme case-insensitive)."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


class CredentialStore:
    """Live credentials. Mutated only by `add_*` / `revoke_grant` (the OAuth server and the
    sandbox's session login); every table is bounded: a full one drops its oldest issued
    rows, never the fixtures' own tokens and sessions (pinned)."""

    def __init__(
        self,
        firms: Iterable[Row] = (),
        users: Iterable[Row] = (),
        access_tokens: Iterable[Row] = (),
        api_keys: Iterable[Row] = (),
        sessions: Iterable[Row] = (),
        oauth_clients: Iterable[Row] = (),
    ) -> None:
        self.firm_organizations: dict[str, frozenset[str]] = {
            str(firm["id"]): frozenset(map(str, firm.get("organizationIds", ()))) for firm in firms
        }
        self.users = {row.id: row for row in map(session.user_from_row, users)}
        self.access_tokens = {row.token: row for row in map(oauth_token.from_row, access_tokens)}
        self.api_keys = {row.key: row for row in map(api_key.from_row, api_keys)}
        self.sessions = {row.id: row for row in map(session.from_row, sessions)}
        self.clients = {row.client_id: row for row in map(oauth_client.from_row, oauth_clients)}
        self.pinned = frozenset(self.access_tokens) | frozenset(self.sessions)
        self.access_tokens_max = ACCESS_TOKENS_MAX
        self.sessions_max = SESSIONS_MAX
        self.firm_owners: dict[str, str] = {}
        for user in self.users.values():
            if user.firm_id is not None:
                self.firm_owners.setdefault(user.firm_id, user.id)
        self._check_references()

    @classmethod
    def from_data(cls, data: Mapping[str, Iterable[Row]]) -> CredentialStore:
        """The same, from one dict with the keys of the constructor (missing keys: empty)."""
        names = ("firms", "users", "access_tokens", "api_keys", "sessions", "oauth_clients")
        return cls(**{name: data.get(name, ()) for name in names})

    def _check_references(self) -> None:
        firms = [(f"access token {t.token!r}", t.firm_id) for t in self.access_tokens.values()]
        firms += [(f"OAuth client {c.client_id!r}", c.firm_id) for c in self.clients.values()]
        firms += [(f"user {u.id!r}", u.firm_id) for u in self.users.values()]
        for what, firm_id in firms:
            if firm_id is not None and firm_id not in self.firm_organizations:
                raise ValueError(f"{what} names unknown firm {firm_id!r}")
        organizations = frozenset().union(*self.firm_organizations.values())
        for key in self.api_keys.values():
            if key.organization_id not in organizations:
                raise ValueError(f"API key {key.key!r} names unknown organization "
                                 f"{key.organization_id!r}")
        for found in self.sessions.values():
            if found.user_id not in self.users:
                raise ValueError(f"session {found.id!r} names unknown user {found.user_id!r}")

    def approver(self, client: oauth_client.OAuthClient) -> tuple[str, str | None] | None:
        """(firm_id, user_id) that approves the client's authorization requests at once:
        the owner of the client's firm, else the first firm owner listed."""
        if client.firm_id is not None:
            return client.firm_id, self.firm_owners.get(client.firm_id)
        return next(iter(self.firm_owners.items()), None)

    def firm_of_credential(self, value: str) -> str | None:
        """The firm of an access token or of a session's user (whose sandbox clock says
        whether it has expired); None when it has none, or is unknown."""
        access = self.access_tokens.get(value)
        if access is not None:
            return access.firm_id
        found = self.sessions.get(value)
        user = self.users.get(found.user_id) if found is not None else None
        return user.firm_id if user is not None else None

    def resolve_bearer(self, token: str, now_s: float) -> Caller | None:
        """The caller behind a bearer token at `now_s` (the sandbox clock of its firm, see
        `firm_of_credential`); None -> 401 UNAUTHORIZED."""
        if not isinstance(token, str) or len(token) > CREDENTIAL_LENGTH_MAX:
            return None
        for prefix, resolve in CREDENTIAL_BY_PREFIX.items():
            if token.startswith(prefix):
                return resolve(self, token, now_s)
        return None

    def resolve_cookie(self, value: str, now_s: float) -> Caller | None:
        """The caller behind the value of the `ledgerhq_session` cookie; None -> 401."""
        if not isinstance(value, str) or len(value) > CREDENTIAL_LENGTH_MAX:
            return None
        if not value.startswith(session.PREFIX):
            return None
        return session.resolve(self, value, now_s)

    def add_access_token(self, access: oauth_token.AccessToken, now_s: float) -> None:
        """Store an issued token; a full table drops its oldest issued tokens first."""
        if access.token not in self.access_tokens:
            make_room(self.access_tokens, self.access_tokens_max, "access tokens", self.pinned)
        self.access_tokens[access.token] = access

    def revoke_grant(self, grant_id: str) -> int:
        """Remove every access token a grant issued; returns how many."""
        doomed = [t for t, access in self.access_tokens.items() if access.grant_id == grant_id]
        for token in doomed:
            del self.access_tokens[token]
        return len(doomed)

    def add_session(self, user_id: str, now_s: float, ttl_s: float | None = None
                    ) -> session.Session:
        """A new browser session for a known user (the sandbox's login control sets its id
        as the cookie)."""
        if user_id not in self.users:
            raise ValueError(f"unknown user {user_id!r}")
        make_room(self.sessions, self.sessions_max, "sessions", self.pinned)
        created = session.Session(session.new_session_id(), user_id,
                                  None if ttl_s is None else now_s + ttl_s)
        self.sessions[created.id] = created
        return created
