"""The contract, read once: operations, their paths and methods."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CONTRACT_PATH = Path(__file__).resolve().parent.parent / "openapi.json"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@lru_cache(maxsize=4)
def load_contract(path: Path = CONTRACT_PATH) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


@dataclass(frozen=True, slots=True)
class PathMethods:
    template: str
    pattern: re.Pattern
    methods: tuple[str, ...]


def path_methods(spec: dict) -> tuple[PathMethods, ...]:
    """Every path template with the methods the contract gives it (for 405 `Allow`)."""
    found = []
    for template, path_item in spec["paths"].items():
        regex = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        methods = tuple(m.upper() for m in HTTP_METHODS if m in path_item)
        found.append(PathMethods(template, re.compile(regex), methods))
    return tuple(found)


def allowed_methods(table: tuple[PathMethods, ...], path: str) -> tuple[str, ...] | None:
    for entry in table:
        if entry.pattern.match(path):
            return entry.methods
    return None


REFERENCE_DEPTH_MAX = 8


def resolve_ref(spec: dict, node: dict) -> dict:
    """`node` with its `$ref` chain followed (local references only)."""
    for _ in range(REFERENCE_DEPTH_MAX):
        if "$ref" not in node:
            return node
        target = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    raise ValueError("reference chain too deep")


def operations(spec: dict):
    """(method, path, operation) for every operation of the contract."""
    for template, path_item in spec["paths"].items():
        for method in HTTP_METHODS:
            if method in path_item:
                yield method, template, path_item[method]
