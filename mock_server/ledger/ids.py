"""Ids made at run time: prefix + "_" + 24 lowercase hex characters.

`RandomIds` is the default. `SeededIds` gives the same ids on every load of the same
fixture (used while a fixture loads, so its derived rows keep stable ids).
"""
from __future__ import annotations

import hashlib
import itertools
import re
import secrets
from typing import Protocol

ID_PATTERN = re.compile(r"^[a-z]+_[A-Za-z0-9_]{1,64}$")
ID_HEX_CHARS = 24


class IdMaker(Protocol):
    def __call__(self, prefix: str) -> str: ...


class RandomIds:
    def __call__(self, prefix: str) -> str:
        return f"{prefix}_{secrets.token_hex(ID_HEX_CHARS // 2)}"


class SeededIds:
    def __init__(self, seed: str) -> None:
        self.seed = seed
        self.counter = itertools.count(1)

    def __call__(self, prefix: str) -> str:
        digest = hashlib.sha256(f"{self.seed}:{next(self.counter)}".encode()).hexdigest()
        return f"{prefix}_{digest[:ID_HEX_CHARS]}"


def is_valid_id(value: object) -> bool:
    return type(value) is str and ID_PATTERN.match(value) is not None
