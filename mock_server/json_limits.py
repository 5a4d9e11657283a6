"""Limits of JSON text that cost linear time to check, for request bodies and uploaded
fixture files: nesting depth (before a recursive parser sees it) and lone surrogates."""

from __future__ import annotations

import itertools
import re

_STRING = re.compile(rb'"[^"\\]*+(?:\\.[^"\\]*+)*+"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_BRACKETS_AS_STEPS = bytes.maketrans(b"[]{}", b"\x01\x00\x01\x00")
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def may_hold_surrogate(raw: bytes) -> bool:
    """False when `raw` has no surrogate escape at all (then no parsed string can hold a lone
    surrogate); True means: walk the parsed value with lone_surrogate_at."""
    return _SURROGATE_ESCAPE.search(raw) is not None


def nests_deeper_than(raw: bytes, depth_max: int) -> bool:
    """Whether arrays and objects in `raw` nest deeper than `depth_max` (brackets inside
    strings not counted). Linear: strings are cut out by one regex, then brackets counted."""
    if raw.count(b"[") + raw.count(b"{") <= depth_max:
        return False
    steps = _STRING.sub(b"", raw).translate(None, _NOT_BRACKETS).translate(_BRACKETS_AS_STEPS)
    return max(itertools.accumulate(1 if step else -1 for step in steps), default=0) > depth_max


def lone_surrogate_at(value: object, path: str = "") -> str | None:
    """The path ('lines.0.description', or 'body') of a string or key holding a lone
    surrogate; None when every string (and key) is valid Unicode. Iterative: any depth."""
    stack = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if not _encodes(item):
                return where or "body"
        elif isinstance(item, dict):
            for key, child in item.items():
                child_path = f"{where}.{key}" if where else str(key)
                if not _encodes(key):
                    return where or "body"
                stack.append((child, child_path))
        elif isinstance(item, list):
            stack.extend((child, f"{where}.{n}" if where else str(n)) for n, child in enumerate(item))
    return None


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
