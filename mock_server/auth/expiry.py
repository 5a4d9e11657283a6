"""Expiry times from plain data: unix seconds, an aware datetime, an ISO 8601 string, or None
(never expires)."""
from __future__ import annotations

import datetime as dt


def unix_s(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"expiry {value!r} is not a time")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
        return aware.timestamp()
    raise ValueError(f"expiry {value!r} is not a time")
