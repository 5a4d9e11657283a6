"""Bounded tables of issued credentials: when one is full, the oldest issued rows go.

The sandbox has one fixture user and one OAuth client, so a limit per address or per
client would lock that user out along with a flood; refusing new rows once a table is
full would lock everyone out for as long as the rows live. Instead a full table drops its
oldest issued rows (dicts keep insertion order: issue order), never a pinned one (the
fixture credentials the README prints).
"""
from __future__ import annotations

from collections.abc import Container, MutableMapping

from mock_server.auth.errors import CapacityReached


def make_room(table: MutableMapping, rows_max: int, what: str,
              pinned: Container = frozenset()) -> int:
    """Drop the oldest rows not in `pinned` until one more fits; returns how many went.
    Raises CapacityReached only when every row left is pinned."""
    dropped = 0
    while len(table) >= rows_max:
        victim = next((key for key in table if key not in pinned), None)
        if victim is None:
            raise CapacityReached(what, rows_max)
        del table[victim]
        dropped += 1
    return dropped
