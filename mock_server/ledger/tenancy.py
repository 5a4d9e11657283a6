"""Tenancy and credential records loaded from fixtures, as plain data for the auth layer."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Firm:
    id: str
    name: str
    seq: int = 0


@dataclass(frozen=True, slots=True)
class AccessToken:
    """OAuth access token (`mcp_at_...`) anchored to a firm: sees the firm's companies."""

    token: str
    firm_id: str
    client_id: str | None = None
    expires_at: dt.datetime | None = None      # None: never expires (sandbox fixtures)


@dataclass(frozen=True, slots=True)
class Organization:
    id: str
    name: str
    company_id: str
    firm_id: str
    seq: int = 0


@dataclass(frozen=True, slots=True)
class ApiKey:
    """API key (`dk_live_...`) of one organization."""

    key: str
    organization_id: str
    name: str = "Sandbox key"


@dataclass(frozen=True, slots=True)
class User:
    id: str
    email: str
    name: str
    organization_ids: tuple[str, ...]
    firm_id: str | None = None


@dataclass(frozen=True, slots=True)
class Session:
    """Browser session (cookie `ledgerhq_session=<id>`)."""

    id: str
    user_id: str
    expires_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class OAuthClient:
    client_id: str
    name: str
    redirect_uris: tuple[str, ...]
