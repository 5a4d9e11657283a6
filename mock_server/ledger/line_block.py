"""The lines of one journal entry, packed: what `JournalEntry.lines` holds.

A `LineBlock` is an immutable sequence of `JournalLine` records that keeps no record
object: the numbers of every line (debit, credit, seq) and its id (`jl_` + 24 hex
characters, as `ids.py` makes them, as 12 raw bytes) sit in one packed bytes value, the
account ids and line descriptions are references to shared (interned) strings. A line is
made on each read, equal to the one that went in. A two-line entry's lines cost about 230
bytes here, about 500 as records with their own id strings and int objects.
"""
from __future__ import annotations

import struct
import sys
from collections.abc import Iterable, Iterator, Sequence

from mock_server.ledger import records     # records imports this module: names read at call time

NUMBERS = struct.Struct("<qqq")          # debit_cents, credit_cents, seq of one line
ID_PREFIX = "jl_"
ID_BYTES = 12                            # 24 lowercase hex characters
CENTS_PACKED_MAX = 2**63 - 1


def _packed_id(line_id: str) -> bytes | None:
    """The 12 raw bytes of a `jl_<24 hex>` id, or None for any other form."""
    if len(line_id) != len(ID_PREFIX) + 2 * ID_BYTES or not line_id.startswith(ID_PREFIX):
        return None
    try:
        raw = bytes.fromhex(line_id[len(ID_PREFIX):])
    except ValueError:
        return None
    return raw if raw.hex() == line_id[len(ID_PREFIX):] else None


def _checked_numbers(line: records.JournalLine) -> bytes:
    for cents in (line.debit_cents, line.credit_cents):
        assert type(cents) is int and 0 <= cents <= CENTS_PACKED_MAX, (line.id, cents)  # never bool
    assert type(line.seq) is int and line.seq >= 0, (line.id, line.seq)
    return NUMBERS.pack(line.debit_cents, line.credit_cents, line.seq)


def _intern(text: str | None) -> str | None:
    return None if text is None else sys.intern(text)


class LineBlock(Sequence):
    __slots__ = ("packed", "ids", "accounts", "descriptions")

    def __init__(self, lines: Iterable[records.JournalLine] = ()) -> None:
        lines = tuple(lines)
        raw_ids = [_packed_id(line.id) for line in lines]
        numbers = b"".join(_checked_numbers(line) for line in lines)
        if None in raw_ids:                       # ids of another form: kept as strings
            self.packed, self.ids = numbers, tuple(line.id for line in lines)
        else:                                     # numbers, then 12 bytes of id per line
            self.packed, self.ids = numbers + b"".join(raw_ids), None   # type: ignore[arg-type]
        self.accounts = tuple(sys.intern(line.account_id) for line in lines)
        described = any(line.description is not None for line in lines)
        self.descriptions = tuple(_intern(line.description) for line in lines) if described else None

    @classmethod
    def of(cls, lines: Iterable[records.JournalLine]) -> LineBlock:
        return lines if type(lines) is cls else cls(lines)          # type: ignore[return-value]

    def _numbers(self) -> memoryview:
        return memoryview(self.packed)[:NUMBERS.size * len(self.accounts)]

    def _id(self, index: int) -> str:
        if self.ids is not None:
            return self.ids[index]
        start = NUMBERS.size * len(self.accounts) + index * ID_BYTES
        return ID_PREFIX + self.packed[start:start + ID_BYTES].hex()

    def _line(self, index: int, debit: int, credit: int, seq: int) -> records.JournalLine:
        description = None if self.descriptions is None else self.descriptions[index]
        return records.JournalLine(self._id(index), self.accounts[index], debit, credit, description, seq)

    def __len__(self) -> int:
        return len(self.accounts)

    def __iter__(self) -> Iterator[records.JournalLine]:
        for index, numbers in enumerate(NUMBERS.iter_unpack(self._numbers())):
            yield self._line(index, *numbers)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(self)[index]
        count = len(self.accounts)
        if not -count <= index < count:
            raise IndexError("line index out of range")
        index %= count
        return self._line(index, *NUMBERS.unpack_from(self.packed, index * NUMBERS.size))

    def debit_cents_total(self) -> int:
        return sum(numbers[0] for numbers in NUMBERS.iter_unpack(self._numbers()))

    def credit_cents_total(self) -> int:
        return sum(numbers[1] for numbers in NUMBERS.iter_unpack(self._numbers()))

    def seqs(self) -> list[int]:
        return [numbers[2] for numbers in NUMBERS.iter_unpack(self._numbers())]

    def net_debit_by_account(self) -> dict[str, int]:
        """Debits minus credits per account, accounts in line order."""
        net: dict[str, int] = {}
        for account_id, (debit, credit, _) in zip(self.accounts, NUMBERS.iter_unpack(self._numbers())):
            net[account_id] = net.get(account_id, 0) + debit - credit
        return net

    def _key(self) -> tuple:
        return (self.packed, self.ids, self.accounts, self.descriptions)

    def __eq__(self, other: object) -> bool:
        if type(other) is LineBlock:
            return self._key() == other._key()
        if isinstance(other, (tuple, list)):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"LineBlock({tuple(self)!r})"

    def __reduce__(self):
        return _restored, self._key()


def _restored(packed, ids, accounts, descriptions) -> LineBlock:
    block = LineBlock.__new__(LineBlock)
    block.packed, block.ids, block.accounts, block.descriptions = packed, ids, accounts, descriptions
    return block
