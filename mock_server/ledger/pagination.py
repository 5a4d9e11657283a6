"""Cursor pagination over creation order (R6).

The cursor is opaque: urlsafe base64 of the `seq` of the last item returned and an
HMAC-SHA256 tag over (list, company, seq), keyed by the caller's secret (the sandbox's own,
kept with its durable state, so a cursor outlives a restart; CURSOR_SECRET, per process, by
default). The next page starts after that number, so items added meanwhile (always with a larger seq) are seen once and nothing
is seen twice. A cursor is good only for the list and company it was issued for: a forged
one, or one of another list or company, is 400 VALIDATION_ERROR naming `cursor`.
"""
from __future__ import annotations

import base64
import binascii
import bisect
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from typing import Protocol, TypeVar

from mock_server.ledger.errors import InvalidField

PAGE_LIMIT_MIN, PAGE_LIMIT_MAX, PAGE_LIMIT_DEFAULT = 1, 200, 50
CURSOR_CHARS_MAX = 64
SEQ_BYTES = 8
TAG_BYTES = 16
CURSOR_SECRET = secrets.token_bytes(32)      # the default: per process
SECRET_BYTES_MIN = 16
NOT_ISSUED = "is not a cursor this API issued for this list and company"
Scope = tuple[str, str]                      # (list name, company id; "" for lists above companies)


class Sequenced(Protocol):
    @property
    def seq(self) -> int: ...


T = TypeVar("T", bound=Sequenced)


def _tag(scope: Scope, seq: int, secret: bytes) -> bytes:
    assert type(secret) is bytes and len(secret) >= SECRET_BYTES_MIN, "a cursor secret of 16 bytes at least"
    message = "\n".join((scope[0], scope[1], str(seq))).encode()
    return hmac.new(secret, message, hashlib.sha256).digest()[:TAG_BYTES]


def encode_cursor(seq: int, scope: Scope, secret: bytes = CURSOR_SECRET) -> str:
    raw = seq.to_bytes(SEQ_BYTES, "big") + _tag(scope, seq, secret)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, scope: Scope, secret: bytes = CURSOR_SECRET) -> int:
    """The seq a cursor of this list and company stands for; InvalidField otherwise."""
    if type(cursor) is not str or not 0 < len(cursor) <= CURSOR_CHARS_MAX:
        raise InvalidField("cursor", NOT_ISSUED)
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except (binascii.Error, ValueError):
        raise InvalidField("cursor", NOT_ISSUED) from None
    seq = int.from_bytes(raw[:SEQ_BYTES], "big")
    if len(raw) != SEQ_BYTES + TAG_BYTES or not hmac.compare_digest(raw[SEQ_BYTES:], _tag(scope, seq, secret)):
        raise InvalidField("cursor", NOT_ISSUED)
    return seq


def check_limit(limit: object) -> int:
    if type(limit) is not int or not PAGE_LIMIT_MIN <= limit <= PAGE_LIMIT_MAX:
        raise InvalidField("limit", f"must be an integer in {PAGE_LIMIT_MIN}..{PAGE_LIMIT_MAX}")
    return limit


def page(items: Sequence[T], limit: int = PAGE_LIMIT_DEFAULT, cursor: str | None = None,
         scope: Scope = ("", ""), secret: bytes = CURSOR_SECRET) -> tuple[list[T], str | None]:
    """One page of `items` (sorted by `seq`, as the books list them) after `cursor`; the
    cursors read and made are bound to `scope`, (list name, company id), and signed with `secret`."""
    check_limit(limit)
    start = 0
    if cursor is not None:
        after = decode_cursor(cursor, scope, secret)
        start = bisect.bisect_right(items, after, key=lambda item: item.seq)
    chunk = list(items[start:start + limit])
    has_more = start + limit < len(items)
    return chunk, (encode_cursor(chunk[-1].seq, scope, secret) if has_more and chunk else None)
