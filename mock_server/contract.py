"""The contract, read once: operations, their paths and methods."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ledgerhq_contract import CONTRACT_PATH, HTTP_METHODS, load_contract, operations, resolve_ref

__all__ = ["CONTRACT_PATH", "HTTP_METHODS", "PathMethods", "allowed_methods", "load_contract",
           "operations", "path_methods", "resolve_ref"]


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
