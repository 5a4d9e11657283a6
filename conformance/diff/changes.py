"""A change between two contracts, and the catalog of rule ids, each classed breaking for partners or not."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterable, Iterator

# Narrowed: the new contract accepts (or promises) less than the old one; widened: more. A request narrowed
# refuses what partners send today; a response widened sends what their code does not expect.
ASPECTS = ("type", "format", "enum", "bound", "nullable", "additional-properties", "alternatives")
ASPECT_IDS = {f"{direction}-{aspect}-{way}": (direction, way) == ("request", "narrowed")
              or (direction, way) == ("response", "widened")
              for direction in ("request", "response") for aspect in ASPECTS for way in ("narrowed", "widened")}

BREAKING_BY_RULE = {
    "operation-removed": True, "operation-added": False, "operation-deprecated": False,
    "parameter-removed": True, "parameter-added": False, "parameter-required-added": True,
    "parameter-made-required": True, "parameter-made-optional": False,
    "idempotency-key-removed": True, "idempotency-key-made-optional": True,
    "security-requirement-added": True, "security-requirement-relaxed": False, "security-scheme-changed": True,
    "request-body-removed": True, "request-body-added": False, "request-body-required-added": True,
    "request-body-made-required": True, "request-body-made-optional": False,
    "request-media-type-removed": True, "request-media-type-added": False,
    "request-property-removed": True, "request-property-added": False, "request-property-required-added": True,
    "request-property-made-required": True, "request-property-made-optional": False,
    "response-status-removed": True, "response-status-added": False,
    "response-media-type-removed": True, "response-media-type-added": False,
    "response-header-removed": True, "response-header-added": False,
    "response-property-removed": True, "response-optional-property-removed": False,
    "response-property-made-optional": True, "response-property-added": False,
    "default-changed": True, "default-added": False,
    "money-not-integer-cents": True,
    **ASPECT_IDS,
}
RULE_IDS = tuple(BREAKING_BY_RULE)


@dataclass(frozen=True, slots=True)
class Change:
    rule_id: str
    breaking: bool
    pointer: str                      # JSON pointer in the new contract (where a removed thing was, for removals)
    message: str                      # one sentence for a reviewer
    operations: tuple[str, ...] = ()  # "GET /api/v1/accounts", the operations it reaches


def change(rule_id: str, pointer: str, message: str) -> Change:
    """A change of a catalogued rule; the catalog says whether it breaks partners."""
    return Change(rule_id, BREAKING_BY_RULE[rule_id], pointer, message)


def classed(direction: str, aspect: str, narrowed: bool, widened: bool) -> str | None:
    """The rule id of an aspect that changed: the breaking way when the change goes both ways."""
    breaking_way, other_way = ("narrowed", "widened") if direction == "request" else ("widened", "narrowed")
    ways = {"narrowed": narrowed, "widened": widened}
    way = breaking_way if ways[breaking_way] else other_way if ways[other_way] else None
    return f"{direction}-{aspect}-{way}" if way else None


def diff_rule(*rule_ids: str) -> Callable:
    """Mark a rule function with the rule ids it can report (each in the catalog)."""
    unknown = [rule_id for rule_id in rule_ids if rule_id not in BREAKING_BY_RULE]
    if unknown:
        raise ValueError(f"rule ids not in the catalog: {unknown}")

    def mark(function: Callable) -> Callable:
        function.rule_ids = rule_ids
        return function
    return mark


def collapse(changes: Iterable[Change]) -> list[Change]:
    """One row per change, with every operation it reaches: a shared schema changed once is one row."""
    rows: dict[tuple, Change] = {}
    for found in changes:
        key = (found.rule_id, found.pointer, found.message)
        seen = rows.get(key)
        operations = (seen.operations if seen else ()) + tuple(o for o in found.operations
                                                                if not seen or o not in seen.operations)
        rows[key] = replace(found, operations=operations)
    return sorted(rows.values(), key=lambda row: (not row.breaking, row.pointer, row.rule_id, row.message))


def with_operation(changes: Iterable[Change], operation: str) -> Iterator[Change]:
    for found in changes:
        yield replace(found, operations=(operation,))
