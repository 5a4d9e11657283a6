"""Cursor pagination over creation order (R6).

The cursor is opaque: urlsafe base64 of "seq:<n>", the `seq` of the last item
returned. The next page starts after that number, so items added meanwhile
(always with a larger seq) are seen once and nothing is seen twice.
"""
from __future__ import annotations

import base64
import binascii
import bisect
from collections.abc import Sequence
from typing import Protocol, TypeVar

from mock_server.ledger.errors import InvalidField

PAGE_LIMIT_MIN, PAGE_LIMIT_MAX, PAGE_LIMIT_DEFAULT = 1, 200, 50
CURSOR_CHARS_MAX = 64


class Sequenced(Protocol):
    @property
    def seq(self) -> int: ...


T = TypeVar("T", bound=Sequenced)


def encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"seq:{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    if type(cursor) is not str or not 0 < len(cursor) <= CURSOR_CHARS_MAX:
        raise InvalidField("cursor", "is not a cursor this API returned")
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidField("cursor", "is not a cursor this API returned") from None
    prefix, _, number = text.partition(":")
    if prefix != "seq" or not number.isdigit() or len(number) > 18:
        raise InvalidField("cursor", "is not a cursor this API returned")
    return int(number)


def check_limit(limit: object) -> int:
    if type(limit) is not int or not PAGE_LIMIT_MIN <= limit <= PAGE_LIMIT_MAX:
        raise InvalidField("limit", f"must be an integer in {PAGE_LIMIT_MIN}..{PAGE_LIMIT_MAX}")
    return limit


def page(items: Sequence[T], limit: int = PAGE_LIMIT_DEFAULT,
         cursor: str | None = None) -> tuple[list[T], str | None]:
    """One page of `items` (sorted by `seq`, as the books list them) after `cursor`."""
    check_limit(limit)
    start = 0
    if cursor is not None:
        after = decode_cursor(cursor)
        start = bisect.bisect_right(items, after, key=lambda item: item.seq)
    chunk = list(items[start:start + limit])
    has_more = start + limit < len(items)
    return chunk, (encode_cursor(chunk[-1].seq) if has_more and chunk else None)
