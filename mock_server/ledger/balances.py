"""Per-account running balances over posted lines (R3 reports).

Each account keeps its distinct posting days in order, the day totals of debits and
credits in two Fenwick trees (prefix sums), and the posted lines by day. A balance as
of a date, or the activity over a date range, costs O(log days); adding a line on an
existing or a new last day is O(log days); a new day in the middle rebuilds that
account's trees (O(days), never O(lines)). Reports never rescan lines.
"""
from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from mock_server.ledger.records import JournalEntry, JournalLine


class Fenwick:
    """Prefix sums over a list that grows at the end."""

    __slots__ = ("tree",)

    def __init__(self, values: list[int] | None = None) -> None:
        self.tree = [0] * (len(values or []) + 1)
        for index, value in enumerate(values or [], start=1):  # O(n) build
            self.tree[index] += value
            parent = index + (index & -index)
            if parent < len(self.tree):
                self.tree[parent] += self.tree[index]

    def append(self, value: int) -> None:
        index = len(self.tree)
        self.tree.append(value + self.prefix(index - 1) - self.prefix(index - (index & -index)))

    def add(self, position: int, delta: int) -> None:
        index = position + 1
        while index < len(self.tree):
            self.tree[index] += delta
            index += index & -index

    def prefix(self, count: int) -> int:
        """Sum of the first `count` values."""
        total = 0
        while count > 0:
            total += self.tree[count]
            count -= count & -count
        return total


@dataclass(frozen=True, slots=True)
class PostedLine:
    entry_id: str
    date: dt.date
    entry_description: str
    line: JournalLine


class AccountActivity:
    __slots__ = ("days", "debit_by_day", "credit_by_day", "debits", "credits", "lines_by_day")

    def __init__(self) -> None:
        self.days: list[int] = []
        self.debit_by_day: dict[int, int] = {}
        self.credit_by_day: dict[int, int] = {}
        self.debits = Fenwick()
        self.credits = Fenwick()
        self.lines_by_day: dict[int, list[PostedLine]] = {}

    def add(self, day: int, posted: PostedLine, sign: int) -> None:
        if day not in self.debit_by_day:
            self._add_day(day)
        position = bisect.bisect_left(self.days, day)
        debit, credit = posted.line.debit_cents * sign, posted.line.credit_cents * sign
        self.debit_by_day[day] += debit
        self.credit_by_day[day] += credit
        self.debits.add(position, debit)
        self.credits.add(position, credit)
        if sign > 0:
            self.lines_by_day[day].append(posted)
        else:
            self.lines_by_day[day].remove(posted)

    def _add_day(self, day: int) -> None:
        self.debit_by_day[day] = self.credit_by_day[day] = 0
        self.lines_by_day[day] = []
        if not self.days or day > self.days[-1]:
            self.days.append(day)
            self.debits.append(0)
            self.credits.append(0)
            return
        bisect.insort(self.days, day)
        self.debits = Fenwick([self.debit_by_day[d] for d in self.days])
        self.credits = Fenwick([self.credit_by_day[d] for d in self.days])

    def totals_through(self, day: int) -> tuple[int, int]:
        """(debits, credits) of lines dated on or before `day`."""
        count = bisect.bisect_right(self.days, day)
        return self.debits.prefix(count), self.credits.prefix(count)

    def lines_between(self, first: int, last: int) -> Iterator[PostedLine]:
        start, stop = bisect.bisect_left(self.days, first), bisect.bisect_right(self.days, last)
        for day in self.days[start:stop]:
            yield from self.lines_by_day[day]


class BalanceIndex:
    """Posted lines of one company by account. Updated on post, void and line replacement."""

    def __init__(self) -> None:
        self.activity: dict[str, AccountActivity] = {}

    def add_entry(self, entry: JournalEntry) -> None:
        self._apply(entry, entry.lines, +1)

    def remove_entry(self, entry: JournalEntry) -> None:
        self._apply(entry, entry.lines, -1)

    def _apply(self, entry: JournalEntry, lines: tuple[JournalLine, ...], sign: int) -> None:
        day = entry.date.toordinal()
        for line in lines:
            activity = self.activity.setdefault(line.account_id, AccountActivity())
            activity.add(day, PostedLine(entry.id, entry.date, entry.description, line), sign)

    def totals_through(self, account_id: str, as_of: dt.date) -> tuple[int, int]:
        activity = self.activity.get(account_id)
        return activity.totals_through(as_of.toordinal()) if activity else (0, 0)

    def totals_between(self, account_id: str, start: dt.date, end: dt.date) -> tuple[int, int]:
        """(debits, credits) of lines dated start..end, both inclusive."""
        debit_end, credit_end = self.totals_through(account_id, end)
        if start == dt.date.min:
            return debit_end, credit_end
        debit_before, credit_before = self.totals_through(account_id, start - dt.timedelta(1))
        return debit_end - debit_before, credit_end - credit_before

    def net_debit_through(self, account_id: str, as_of: dt.date) -> int:
        debits, credits = self.totals_through(account_id, as_of)
        return debits - credits

    def net_debit_total(self, account_id: str) -> int:
        return self.net_debit_through(account_id, dt.date.max)

    def lines_between(self, account_id: str, start: dt.date, end: dt.date) -> Iterator[PostedLine]:
        activity = self.activity.get(account_id)
        if activity is not None:
            yield from activity.lines_between(start.toordinal(), end.toordinal())
