"""Webhook events: what happened, to which company, as the JSON a receiver gets.

Emit events only for changes that were committed: a refused request (R9) and a replay of
an idempotent request (R2) emit nothing. The ids stay the same across delivery retries,
so receivers can drop duplicates (R8).
"""
from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from mock_server.clock import rfc3339, wall_clock

EVENT_TYPES = (
    "journal_entry.posted",
    "journal_entry.voided",
    "bank_transaction.created",
    "bank_transaction.updated",
    "webhook.test",
)
EVENT_PREFIX = "evt_"


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    id: str                     # evt_ + 24 hex
    type: str                   # one of EVENT_TYPES
    created_at: dt.datetime     # UTC
    company_id: str
    data: dict[str, Any]        # the resource as the contract's JSON (camelCase)

    def to_payload(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "createdAt": rfc3339(self.created_at),
            "companyId": self.company_id,
            "data": self.data,
        }


def new_event_id() -> str:
    return EVENT_PREFIX + secrets.token_hex(12)


def new_event(type: str, company_id: str, data: dict[str, Any],
              created_at: dt.datetime | None = None) -> WebhookEvent:
    assert type in EVENT_TYPES, type
    created_at = created_at or wall_clock()      # the service passes its clock's time
    return WebhookEvent(new_event_id(), type, created_at, company_id, data)
