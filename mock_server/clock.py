"""The sandbox's one source of time, and its one RFC 3339 formatter.

Every moment the sandbox reads comes from a `Clock` (the service owns one); every moment
it writes (records, webhook events, health, sessions) goes through `rfc3339`: UTC, whole
seconds, `Z`, as the contract's examples show (`2026-06-08T15:04:05Z`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

UTC = dt.timezone.utc
FIRM_SHIFT_MAX = dt.timedelta(days=3660)     # a firm's sandbox time stays within ten years


def wall_clock() -> dt.datetime:
    return dt.datetime.now(UTC)


class Clock:
    """`now(firm_id)`: the time as one firm's sandbox sees it. Every firm reads the same
    source, shifted by that firm's offset (none unless `shift` set one), so a sandbox clock
    can be moved for one firm while the others keep the wall clock."""

    __slots__ = ("source", "shifts")

    def __init__(self, source: Callable[[], dt.datetime] = wall_clock) -> None:
        self.source = source
        self.shifts: dict[str, dt.timedelta] = {}

    def now(self, firm_id: str | None = None) -> dt.datetime:
        moment = self.source()
        if firm_id is None or not self.shifts:
            return moment
        return moment + self.shifts.get(firm_id, dt.timedelta(0))

    def unix_s(self, firm_id: str | None = None) -> float:
        return self.now(firm_id).timestamp()

    def shift(self, firm_id: str, offset: dt.timedelta) -> None:
        """Move one firm's time by `offset` from the source (zero: back to the source)."""
        if abs(offset) > FIRM_SHIFT_MAX:
            raise ValueError(f"a firm's clock moves at most {FIRM_SHIFT_MAX.days} days")
        if offset:
            self.shifts[firm_id] = offset
        else:
            self.shifts.pop(firm_id, None)


def rfc3339(moment: dt.datetime) -> str:
    """UTC, whole seconds, `Z`: 2026-06-08T15:04:05Z (a naive datetime is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
