"""A dict's records as a list in creation order, kept in step with each change: a list page then
costs its page, not a copy of every record (a ledger grows; R6 pages are served many times).

Records are added to their dict in creation order (`seq` grows) and replaced in place (a void, a
bank action), never removed; `put` asserts both, and a record out of order is refused loudly.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from typing import Generic, Protocol, TypeVar


class Sequenced(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def seq(self) -> int: ...


R = TypeVar("R", bound=Sequenced)


def _seq(record: Sequenced) -> int:
    return record.seq


class CreationOrder(Generic[R]):
    __slots__ = ("records",)

    def __init__(self, records: Iterable[R]) -> None:
        self.records: list[R] = list(records)
        assert all(a.seq < b.seq for a, b in zip(self.records, self.records[1:])), "records out of creation order"

    def put(self, record: R, replacing: bool) -> None:
        """`record` added (new: it comes last) or put in the place of the one it replaces (same id)."""
        if replacing:
            at = bisect.bisect_left(self.records, record.seq, key=_seq)
            assert at < len(self.records) and self.records[at].id == record.id, f"{record.id} is not in its place"
            self.records[at] = record
        else:
            assert not self.records or self.records[-1].seq < record.seq, f"{record.id} comes before the last record"
            self.records.append(record)

    def view(self) -> Sequence[R]:
        """The records in creation order: read them, never change them (the books own the list)."""
        return self.records
