"""Tenancy and credential records loaded from fixtures, as plain data for the auth layer.
Access tokens and OAuth clients are the auth layer's own records (auth/oauth_token.py,
auth/oauth_client.py): the fixture loader builds those directly."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Firm:
    id: str
    name: str
    seq: int = 0


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

