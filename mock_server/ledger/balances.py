"""Per-account running balances over posted lines (R3 reports).

Each account keeps its distinct posting days in order (`array` of ordinals), the day
totals of debits and credits in two Fenwick trees (prefix sums over `array('q')`, turned
into plain lists if a sum ever passes 64 bits), and its posted entries in day order with
their days beside them. A balance as of a date, or the activity over a date range, costs
O(log days); adding an entry on an existing or a new last day is O(log days); a new day in
the middle rebuilds that account's trees (O(days), never O(lines)). Reports never rescan
lines. An entry is held once per account it touches (a reference, 8 bytes, plus its day).
"""
from __future__ import annotations

import bisect
import datetime as dt
from array import array
from collections.abc import Iterator

from mock_server.ledger.records import JournalEntry, JournalLine


class Fenwick:
    """Prefix sums over a list that grows at the end."""

    __slots__ = ("tree",)

    def __init__(self, values: list[int] | None = None) -> None:
        self.tree: array | list = array("q", [0])
        for value in values or []:
            self.append(value)

    def _set(self, index: int, value: int) -> None:
        try:
            self.tree[index] = value
        except OverflowError:            # past 64 bits: exact Python ints from here on
            self.tree = list(self.tree)
            self.tree[index] = value

    def append(self, value: int) -> None:
        index = len(self.tree)
        total = value + self.prefix(index - 1) - self.prefix(index - (index & -index))
        try:
            self.tree.append(total)
        except OverflowError:
            self.tree = list(self.tree)
            self.tree.append(total)

    def add(self, position: int, delta: int) -> None:
        index = position + 1
        while index < len(self.tree):
            self._set(index, self.tree[index] + delta)
            index += index & -index

    def prefix(self, count: int) -> int:
        """Sum of the first `count` values."""
        total = 0
        while count > 0:
            total += self.tree[count]
            count -= count & -count
        return total

    def values(self) -> list[int]:
        return [self.prefix(count + 1) - self.prefix(count) for count in range(len(self.tree) - 1)]


class AccountActivity:
    __slots__ = ("days", "debits", "credits", "entries", "entry_days")

    def __init__(self) -> None:
        self.days = array("i")                    # distinct posting days, ascending
        self.debits = Fenwick()                   # day totals, by position in `days`
        self.credits = Fenwick()
        self.entries: list[JournalEntry] = []     # posted entries touching the account, by day
        self.entry_days = array("i")              # the day of each of `entries`

    def add(self, day: int, entry: JournalEntry, debit: int, credit: int) -> None:
        position = bisect.bisect_left(self.days, day)
        if position == len(self.days) or self.days[position] != day:
            self._add_day(position, day)
        self.debits.add(position, debit)
        self.credits.add(position, credit)
        at = bisect.bisect_right(self.entry_days, day)
        self.entries.insert(at, entry)
        self.entry_days.insert(at, day)

    def remove(self, day: int, entry: JournalEntry, debit: int, credit: int) -> None:
        position = bisect.bisect_left(self.days, day)
        assert position < len(self.days) and self.days[position] == day, (entry.id, day)
        self.debits.add(position, -debit)
        self.credits.add(position, -credit)
        first, last = bisect.bisect_left(self.entry_days, day), bisect.bisect_right(self.entry_days, day)
        at = next((i for i in range(first, last) if self.entries[i] is entry), None)
        assert at is not None, f"entry {entry.id} is not in the index"
        del self.entries[at]
        del self.entry_days[at]

    def _add_day(self, position: int, day: int) -> None:
        if position == len(self.days):
            self.days.append(day)
            self.debits.append(0)
            self.credits.append(0)
            return
        debits, credits = self.debits.values(), self.credits.values()
        self.days.insert(position, day)
        debits.insert(position, 0)
        credits.insert(position, 0)
        self.debits, self.credits = Fenwick(debits), Fenwick(credits)

    def totals_through(self, day: int) -> tuple[int, int]:
        """(debits, credits) of lines dated on or before `day`."""
        count = bisect.bisect_right(self.days, day)
        return self.debits.prefix(count), self.credits.prefix(count)

    def entries_between(self, first: int, last: int) -> list[JournalEntry]:
        start = bisect.bisect_left(self.entry_days, first)
        return self.entries[start:bisect.bisect_right(self.entry_days, last)]


class BalanceIndex:
    """Posted lines of one company by account. Updated on post, void and line replacement."""

    def __init__(self) -> None:
        self.activity: dict[str, AccountActivity] = {}

    def add_entry(self, entry: JournalEntry) -> None:
        day = entry.date.toordinal()
        for account_id, (debit, credit) in _totals_by_account(entry).items():
            self.activity.setdefault(account_id, AccountActivity()).add(day, entry, debit, credit)

    def remove_entry(self, entry: JournalEntry) -> None:
        day = entry.date.toordinal()
        for account_id, (debit, credit) in _totals_by_account(entry).items():
            self.activity[account_id].remove(day, entry, debit, credit)

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

    def lines_between(self, account_id: str, start: dt.date,
                      end: dt.date) -> Iterator[tuple[JournalEntry, JournalLine]]:
        """(entry, line) of the account's posted lines dated start..end, in day order."""
        activity = self.activity.get(account_id)
        if activity is None:
            return
        for entry in activity.entries_between(start.toordinal(), end.toordinal()):
            for line in entry.lines:
                if line.account_id == account_id:
                    yield entry, line


def _totals_by_account(entry: JournalEntry) -> dict[str, tuple[int, int]]:
    """(debits, credits) of the entry per account it touches, in line order."""
    totals: dict[str, tuple[int, int]] = {}
    for line in entry.lines:
        debit, credit = totals.get(line.account_id, (0, 0))
        totals[line.account_id] = (debit + line.debit_cents, credit + line.credit_cents)
    return totals
