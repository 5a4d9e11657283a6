"""A dict's records kept as a list in creation order (ledger/creation_order.py): new ones last, replaced ones
in their place, anything else refused loudly."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from mock_server.ledger.creation_order import CreationOrder


@dataclass(frozen=True)
class Record:
    id: str
    seq: int
    note: str = ""


def test_new_records_come_last_and_replaced_ones_keep_their_place():
    order = CreationOrder([Record("a", 1), Record("b", 4)])
    order.put(Record("c", 9), replacing=False)
    order.put(Record("b", 4, "voided"), replacing=True)
    assert [(r.id, r.note) for r in order.view()] == [("a", ""), ("b", "voided"), ("c", "")]


def test_a_record_out_of_order_or_out_of_place_is_refused_loudly():
    order = CreationOrder([Record("a", 1), Record("b", 4)])
    with pytest.raises(AssertionError):
        order.put(Record("z", 2), replacing=False)        # older than the last: not creation order
    with pytest.raises(AssertionError):
        order.put(Record("x", 4), replacing=True)         # another record's place
    with pytest.raises(AssertionError):
        CreationOrder([Record("b", 4), Record("a", 1)])
