"""Where the bytes of a large ledger go: a `sys.getsizeof` walk of one company's books,
each object counted once, in the first part that reaches it.

Parts: the entry records, their id, description and reference strings, their lines (the
packed line blocks and what they hold), the entries table (the dict), the balance index,
shared values (dates, sources), the JSON cache and the idempotency records of the service.
"""
from __future__ import annotations

import sys
from collections.abc import Iterable

PLAIN_LEAVES = (str, bytes, int, float, bool, type(None))


class Walk:
    def __init__(self) -> None:
        self.seen: set[int] = set()

    def size(self, roots: Iterable[object], depth_max: int = 6) -> int:
        total, stack = 0, [(root, 0) for root in roots]
        while stack:
            value, depth = stack.pop()
            if id(value) in self.seen or value is None:
                continue
            self.seen.add(id(value))
            total += sys.getsizeof(value)
            if isinstance(value, PLAIN_LEAVES) or depth >= depth_max:
                continue
            stack.extend((child, depth + 1) for child in _children(value))
        return total


def _children(value: object) -> list[object]:
    if isinstance(value, dict):
        return [*value.keys(), *value.values()]
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    if hasattr(value, "__slots__"):
        names = [n for cls in type(value).__mro__ for n in getattr(cls, "__slots__", ())]
        return [getattr(value, n, None) for n in names]
    return list(getattr(value, "__dict__", {}).values())


def books_breakdown(books, service=None) -> dict[str, int]:
    """Bytes per part (each object in the first part listed that reaches it)."""
    walk, entries = Walk(), list(books.entries.values())
    walk.seen.update(id(e) for e in entries)
    parts = {
        "shared dates and sources": walk.size([books.values_shared]),
        "account ids (interned)": walk.size(books.accounts.keys()),
        "entry records": sum(sys.getsizeof(e) for e in entries) + walk.size(
            [v for e in entries for v in (e.seq, e.created_at, e.posted_at, e.status)], 0),
        "entry ids": walk.size([e.id for e in entries], 0),
        "entry descriptions and references": walk.size(
            [v for e in entries for v in (e.description, e.reference)], 0),
        "line blocks (ids, numbers)": walk.size(
            [v for e in entries for v in (e.lines, e.lines.packed, e.lines.ids, e.lines.accounts)], 0),
        "line descriptions": walk.size([e.lines.descriptions for e in entries], 2),
        "entries table (dict)": sys.getsizeof(books.entries),
        "balance index": walk.size([books.balances], 8),
    }
    if service is not None:
        parts["cached JSON"] = walk.size([service.shapes.cache], 8)
        parts["idempotency records"] = walk.size([service.idempotency], 8)
    return parts
