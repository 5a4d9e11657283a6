"""The sandbox's one source of time, and its one RFC 3339 formatter.

Every moment the sandbox reads comes from a `Clock` (the service owns one); every moment
it writes (records, webhook events, health, sessions) goes through `rfc3339`: UTC, whole
seconds, `Z`, as the contract's examples show (`2026-06-08T15:04:05Z`).

Each firm has its own sandbox clock (the sandbox clock control, like Stripe's test clocks):
real time by default, else shifted from the source by an offset, or frozen at an instant.
It moves forward only; `real_time` puts it back on the source (a sandbox reset).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from mock_server.domain_error import DomainError
from mock_server.error_kinds import ErrorKind

UTC = dt.timezone.utc
FIRM_SHIFT_MAX = dt.timedelta(days=3660)     # a firm's sandbox time stays within ten years
ADVANCE_S_MAX = 366 * 24 * 3600              # one PUT moves a clock at most a year (leap)


def wall_clock() -> dt.datetime:
    return dt.datetime.now(UTC)


class ClockRefused(DomainError):
    """A clock change that would move the firm's time back, or too far (409 INVALID_STATE)."""

    kind = ErrorKind.INVALID_STATE

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message, [(field, "refused")])


class Clock:
    """`now(firm_id)`: the time as one firm's sandbox sees it. Every firm reads the same
    source, shifted by that firm's offset (none unless `shift` set one), or the instant it
    is frozen at, so a sandbox clock can be moved for one firm while the others keep the
    wall clock."""

    __slots__ = ("source", "shifts", "frozen")

    def __init__(self, source: Callable[[], dt.datetime] = wall_clock) -> None:
        self.source = source
        self.shifts: dict[str, dt.timedelta] = {}
        self.frozen: dict[str, dt.datetime] = {}

    def now(self, firm_id: str | None = None) -> dt.datetime:
        if firm_id is not None and firm_id in self.frozen:
            return self.frozen[firm_id]
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

    def offset(self, firm_id: str) -> dt.timedelta:
        """How far the firm's time stands from the source's (frozen: at this moment)."""
        return self.now(firm_id) - self.source()

    def freeze(self, firm_id: str, at: dt.datetime | None = None) -> None:
        """Stop the firm's time at `at` (default: its now). Refuses an instant in its past,
        or past the ten-year bound, with ClockRefused; nothing changes then."""
        now = self.now(firm_id)
        at = now if at is None else at.astimezone(UTC)
        if at < now:
            raise ClockRefused(f"The sandbox clock moves forward only: it stands at {rfc3339(now)}, "
                               f"so freeze it at that instant or later.", "frozenAt")
        if at - self.source() > FIRM_SHIFT_MAX:
            raise ClockRefused(f"The sandbox clock stays within {FIRM_SHIFT_MAX.days} days of real "
                               "time: pick an earlier instant.", "frozenAt")
        self.frozen[firm_id] = at
        self.shifts.pop(firm_id, None)

    def advance(self, firm_id: str, seconds: int) -> None:
        """Move the firm's time forward `seconds` (1..ADVANCE_S_MAX); a frozen clock stays
        frozen, at the later instant."""
        assert type(seconds) is int and 0 < seconds <= ADVANCE_S_MAX, seconds
        later = self.now(firm_id) + dt.timedelta(seconds=seconds)
        if later - self.source() > FIRM_SHIFT_MAX:
            raise ClockRefused(f"The sandbox clock stays within {FIRM_SHIFT_MAX.days} days of real "
                               "time: advance it less, or reset the sandbox.", "advanceSeconds")
        if firm_id in self.frozen:
            self.frozen[firm_id] = later
        else:
            self.shift(firm_id, later - self.source())

    def resume(self, firm_id: str) -> None:
        """Let a frozen clock run again from the instant it stands at."""
        at = self.frozen.pop(firm_id, None)
        if at is not None:
            self.shifts[firm_id] = at - self.source()

    def real_time(self, firm_id: str | None = None) -> None:
        """Back to the source: one firm's clock, or (None) every firm's."""
        if firm_id is None:
            self.shifts.clear()
            self.frozen.clear()
            return
        self.shifts.pop(firm_id, None)
        self.frozen.pop(firm_id, None)


def rfc3339(moment: dt.datetime) -> str:
    """UTC, whole seconds, `Z`: 2026-06-08T15:04:05Z (a naive datetime is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
