import pytest

from mock_server.auth.bounded import make_room
from mock_server.auth.errors import CapacityReached


def test_a_full_table_drops_its_oldest_unpinned_rows() -> None:
    table = {"fixture": 0, "a": 1, "b": 2, "c": 3}
    assert make_room(table, 3, "rows", pinned={"fixture"}) == 2
    assert list(table) == ["fixture", "c"]
    assert make_room(table, 3, "rows", pinned={"fixture"}) == 0


def test_a_table_of_pinned_rows_only_is_full() -> None:
    with pytest.raises(CapacityReached):
        make_room({"fixture": 0}, 1, "rows", pinned={"fixture"})
