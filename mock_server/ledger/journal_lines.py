"""Every journal line of a company in creation order, as the journal-lines route lists it.

A read-only sequence built once per state of the entries (the books drop it on any entry
write): it keeps the entries and, per line, its seq and where it sits (8 + 8 bytes), and
makes each `CompanyJournalLine` only when it is read, so a page of 50 costs 50 records
however many lines the books hold.
"""
from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence

from mock_server.ledger.records import CompanyJournalLine, JournalEntry

LINE_INDEX_BITS = 16          # an entry holds at most 500 lines (requests.LINES_MAX)


class JournalLinesView(Sequence):
    __slots__ = ("entries", "seqs", "places")

    def __init__(self, entries: Iterable[JournalEntry]) -> None:
        self.entries = list(entries)
        seqs, places = array("q"), array("q")
        for number, entry in enumerate(self.entries):
            for index, seq in enumerate(entry.lines.seqs()):
                seqs.append(seq)
                places.append(number << LINE_INDEX_BITS | index)
        if any(seqs[i] > seqs[i + 1] for i in range(len(seqs) - 1)):
            order = sorted(range(len(seqs)), key=seqs.__getitem__)
            seqs, places = array("q", (seqs[i] for i in order)), array("q", (places[i] for i in order))
        self.seqs, self.places = seqs, places

    def __len__(self) -> int:
        return len(self.seqs)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        place = self.places[index]
        entry = self.entries[place >> LINE_INDEX_BITS]
        line = entry.lines[place & ((1 << LINE_INDEX_BITS) - 1)]
        return CompanyJournalLine(line.id, entry.id, entry.date, line.account_id, line.debit_cents,
                                  line.credit_cents, line.description, entry.status, line.seq)
