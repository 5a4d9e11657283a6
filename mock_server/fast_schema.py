"""A fast yes for request validation, through jsonschema-rs (the one module that imports it).

The Python validator stays the authority: a value jsonschema-rs accepts is accepted at once, and
only a value it refuses goes through the Python validator, whose error is the one answered (and
which may still accept it: OpenAPI's `nullable`, Python's `$` before a trailing newline). So
jsonschema-rs is used only where it accepts no more than Python's Draft 4 validator with its
format checker: formats that checker checks are left to Python (jsonschema-rs allows a leap second
Python refuses), and jsonschema-rs checks no format itself. tests/test_fast_schema.py pins that.
"""

from __future__ import annotations

from typing import Callable

import jsonschema_rs
from jsonschema import Draft4Validator

from ledgerhq_contract import resolve_ref

PYTHON_CHECKED_FORMATS = frozenset(Draft4Validator.FORMAT_CHECKER.checkers)
SCHEMA_DEPTH_MAX = 64


def python_checks_a_format(schema: dict) -> bool:
    """Whether a schema Python would apply to a value (`schema` and what it reaches, its local `$ref`s
    followed; Connexion hands the document's `components` along for them) has a `format` Python's
    format checker checks. Too deep or a reference it cannot follow: True (left to Python)."""
    followed: set[str] = set()

    def reaches(node: object, depth: int) -> bool:
        if depth > SCHEMA_DEPTH_MAX:
            return True
        if isinstance(node, list):
            return any(reaches(item, depth + 1) for item in node)
        if not isinstance(node, dict):
            return False
        if node.get("format") in PYTHON_CHECKED_FORMATS:
            return True
        ref = node.get("$ref")
        if isinstance(ref, str) and ref not in followed:
            followed.add(ref)
            target = pointed(schema, ref)
            if target is None or reaches(target, depth + 1):
                return True
        return any(reaches(value, depth + 1) for key, value in node.items()
                   if not (node is schema and key == "components") and key != "$ref")
    return reaches(schema, 0)


def pointed(root: dict, ref: str) -> object | None:
    """The node a local `$ref` names in `root` (the contract package's resolver); None: it names none."""
    try:
        return resolve_ref(root, {"$ref": ref})
    except (KeyError, TypeError, ValueError):
        return None


def fast_acceptor(schema: dict) -> Callable[[object], bool] | None:
    """`is_valid` of a compiled jsonschema-rs Draft 4 validator, or None where it may not be used."""
    if python_checks_a_format(schema):
        return None
    try:
        return jsonschema_rs.Draft4Validator(schema, validate_formats=False).is_valid
    except (ValueError, TypeError):     # a schema it cannot compile (an unresolved $ref): Python only
        return None


class FastThenPython:
    """`validate(value)`: nothing when jsonschema-rs accepts `value`, else Python's `validate`."""

    __slots__ = ("accepts", "python")

    def __init__(self, schema: dict, python_validator) -> None:
        self.accepts = fast_acceptor(schema)
        self.python = python_validator

    def validate(self, value: object) -> None:
        if self.accepts is not None and self.accepts(value):
            return
        self.python.validate(value)
