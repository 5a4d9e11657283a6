"""Who is calling: the result of resolving a credential."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

CallerKind = Literal["oauth", "api_key", "session", "admin"]   # admin: sandbox controls only


@dataclass(frozen=True, slots=True)
class Caller:
    kind: CallerKind
    firm_id: str | None                   # oauth: the token's firm; session: the user's, if any
    organization_ids: frozenset[str]      # oauth: the firm's orgs at resolve time; api_key: one
    user_id: str | None                   # session and oauth (the approving user), else None
