"""Rules over one schema of the old contract and the same schema of the new one, in a request or a response.

Each function looks at one aspect and yields the changes it finds; `changes.classed` names them narrowed or
widened, and which way breaks depends on the direction (see conformance.diff.changes)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterator

from conformance.diff.changes import BREAKING_BY_RULE, Change, change, classed, diff_rule
from conformance.diff.schema_view import Schema, join
from conformance.diff.string_lengths import string_lengths

MISSING = object()
FORMAT_INCLUDES = {("int64", "int32"), ("double", "float"), ("number", "integer")}
LOWER_BOUNDS = ("minimum", "minLength", "minItems", "minProperties")
UPPER_BOUNDS = ("maximum", "maxLength", "maxItems", "maxProperties")
FLAG_BOUNDS = ("exclusiveMinimum", "exclusiveMaximum", "uniqueItems")
LENGTH_BOUNDS = ("minLength", "maxLength")
OPAQUE_BOUNDS = ("pattern", "multipleOf", "not")     # added narrows, dropped widens, changed goes both ways
MONEY_SUFFIX = "Cents"
SHOWN_CHARS_MAX = 40


@dataclass(frozen=True, slots=True)
class SchemaPair:
    old: Schema
    new: Schema
    direction: str      # "request" or "response"
    name: str = ""      # the property, parameter or header the schema describes; "" for a whole body

    @property
    def label(self) -> str:
        return f"`{self.name}`" if self.name else f"the {self.direction} body"


def includes(outer: Any, inner: Any) -> bool:
    """Whether a type (or format) `outer` takes every value of `inner`; None takes anything."""
    return outer is None or outer == inner or (outer, inner) in FORMAT_INCLUDES


def shown(value: Any) -> str:
    """A keyword's value for a sentence: JSON, cut short; `none` when absent."""
    text = "none" if value is None else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= SHOWN_CHARS_MAX else text[:SHOWN_CHARS_MAX - 3] + "..."


def aspect_change(pair: SchemaPair, aspect: str, narrowed: bool, widened: bool, pointer: str,
                  message: str) -> Iterator[Change]:
    rule_id = classed(pair.direction, aspect, narrowed, widened)
    if rule_id is None:
        return
    if not BREAKING_BY_RULE[rule_id]:
        consequence = "nothing a partner does today stops working"
    elif pair.direction == "request":
        consequence = "partners may be refused what they send today"
    else:
        consequence = "partners may get values their code does not expect"
    yield change(rule_id, pointer, f"{message}: {consequence}.")


def is_money_lost(pair: SchemaPair) -> bool:
    return pair.name.endswith(MONEY_SUFFIX) and pair.old.get("type") == "integer" and pair.new.get("type") != "integer"


@diff_rule("money-not-integer-cents")
def money_field_lost(pair: SchemaPair) -> Iterator[Change]:
    if is_money_lost(pair):
        yield change("money-not-integer-cents", pair.new.where("type"),
                     f"Money field {pair.label} is no longer an integer count of cents (type "
                     f"{pair.new.get('type') or 'any'}): every amount partners send or read changes meaning.")


@diff_rule(*(f"{d}-type-{w}" for d in ("request", "response") for w in ("narrowed", "widened")))
def type_changed(pair: SchemaPair) -> Iterator[Change]:
    old, new = pair.old.get("type"), pair.new.get("type")
    if old == new or is_money_lost(pair):
        return
    yield from aspect_change(pair, "type", not includes(new, old), not includes(old, new), pair.new.where("type"),
                             f"{pair.label} changed type from {old or 'any'} to {new or 'any'}")


@diff_rule(*(f"{d}-format-{w}" for d in ("request", "response") for w in ("narrowed", "widened")))
def format_changed(pair: SchemaPair) -> Iterator[Change]:
    old, new = pair.old.get("format"), pair.new.get("format")
    if old == new:
        return
    yield from aspect_change(pair, "format", not includes(new, old), not includes(old, new),
                             pair.new.where("format"),
                             f"{pair.label} changed format from {old or 'none'} to {new or 'none'}")


def enum_values(schema: Schema) -> set[str] | None:
    values = schema.get("enum")
    return None if values is None else {json.dumps(value, sort_keys=True) for value in values}


@diff_rule(*(f"{d}-enum-{w}" for d in ("request", "response") for w in ("narrowed", "widened")))
def enum_changed(pair: SchemaPair) -> Iterator[Change]:
    old, new = enum_values(pair.old), enum_values(pair.new)
    if old == new:
        return
    removed = sorted(old - new) if old is not None and new is not None else []
    added = sorted(new - old) if old is not None and new is not None else []
    narrowed = bool(removed) or (old is None and new is not None)
    widened = bool(added) or (old is not None and new is None)
    what = ", ".join(filter(None, [f"values removed {shown(', '.join(removed))}" if removed else "",
                                   f"values added {shown(', '.join(added))}" if added else "",
                                   "an enum now limits it" if old is None else "",
                                   "its enum is gone" if new is None else ""]))
    yield from aspect_change(pair, "enum", narrowed, widened, pair.new.where("enum"), f"{pair.label}: {what}")


def bound_ways(keyword: str, old: Any, new: Any) -> tuple[bool, bool]:
    """(narrowed, widened) for one bound keyword."""
    if keyword in LOWER_BOUNDS:
        return new is not None and (old is None or new > old), old is not None and (new is None or new < old)
    if keyword in UPPER_BOUNDS:
        return new is not None and (old is None or new < old), old is not None and (new is None or new > old)
    if keyword in FLAG_BOUNDS:
        return bool(new) and not old, bool(old) and not new
    return new is not None, old is not None      # pattern, multipleOf, not: a change goes both ways


def effective_bound(schema: Schema, keyword: str) -> Any:
    """A length bound as the schema applies it (its format and pattern included); any other bound as written."""
    if keyword not in LENGTH_BOUNDS:
        return schema.get(keyword)
    shortest, longest = string_lengths(schema.keywords)
    return (shortest or None) if keyword == "minLength" else longest


@diff_rule(*(f"{d}-bound-{w}" for d in ("request", "response") for w in ("narrowed", "widened")))
def bounds_changed(pair: SchemaPair) -> Iterator[Change]:
    for keyword in LOWER_BOUNDS + UPPER_BOUNDS + FLAG_BOUNDS + OPAQUE_BOUNDS:
        old, new = pair.old.get(keyword), pair.new.get(keyword)
        if old == new:
            continue
        narrowed, widened = bound_ways(keyword, effective_bound(pair.old, keyword), effective_bound(pair.new, keyword))
        yield from aspect_change(pair, "bound", narrowed, widened, pair.new.where(keyword),
                                 f"{pair.label}: {keyword} {shown(old)} -> {shown(new)}")


@diff_rule(*(f"{d}-nullable-{w}" for d in ("request", "response") for w in ("narrowed", "widened")))
def nullable_changed(pair: SchemaPair) -> Iterator[Change]:
    old, new = bool(pair.old.get("nullable")), bool(pair.new.get("nullable"))
    if old != new:
        yield from aspect_change(pair, "nullable", old, new, pair.new.where("nullable"),
                                 f"{pair.label} is {'now' if new else 'no longer'} nullable")


@diff_rule(*(f"{d}-additional-properties-{w}" for d in ("request", "response") for w in ("narrowed", "widened")))
def additional_properties_changed(pair: SchemaPair) -> Iterator[Change]:
    old = pair.old.get("additionalProperties", True) is not False
    new = pair.new.get("additionalProperties", True) is not False
    if old != new:
        yield from aspect_change(pair, "additional-properties", old, new, pair.new.where("additionalProperties"),
                                 f"{pair.label} {'now takes' if new else 'now refuses'} fields it does not list")


def alternative_key(node: Any) -> str | None:
    return node.get("$ref") if isinstance(node, dict) else None


def match_alternatives(old: Schema, new: Schema) -> tuple[list[tuple], list, list]:
    """oneOf/anyOf members paired by the `$ref` they name, the rest in order: (pairs, old left, new left)."""
    new_left = list(new.alternatives)
    pairs, old_left = [], []
    for entry in old.alternatives:
        key = alternative_key(entry[0])
        same = next((other for other in new_left if key and alternative_key(other[0]) == key), None)
        if same is None:
            old_left.append(entry)
        else:
            pairs.append((entry, same))
            new_left.remove(same)
    while old_left and new_left:
        pairs.append((old_left.pop(0), new_left.pop(0)))
    return pairs, old_left, new_left


@diff_rule(*(f"{d}-alternatives-{w}" for d in ("request", "response") for w in ("narrowed", "widened")))
def alternatives_changed(pair: SchemaPair) -> Iterator[Change]:
    if not (pair.old.alternatives and pair.new.alternatives):
        return
    _, removed, added = match_alternatives(pair.old, pair.new)
    if removed or added:
        yield from aspect_change(pair, "alternatives", bool(removed), bool(added), pair.new.pointer,
                                 f"{pair.label}: {len(removed)} oneOf/anyOf alternative(s) removed, {len(added)} added")


@diff_rule("default-changed", "default-added")
def default_changed(pair: SchemaPair) -> Iterator[Change]:
    old, new = pair.old.get("default", MISSING), pair.new.get("default", MISSING)
    if pair.direction != "request" or old == new:
        return
    if old is MISSING:
        yield change("default-added", pair.new.where("default"),
                     f"{pair.label} now states its default {shown(new)}.")
    else:
        now = "no default" if new is MISSING else f"default {shown(new)}"
        yield change("default-changed", pair.new.where("default"),
                     f"{pair.label} changed from default {shown(old)} to {now}: a partner who leaves it out "
                     f"gets another behaviour.")


@diff_rule("request-property-removed", "response-property-removed", "response-optional-property-removed")
def properties_removed(pair: SchemaPair) -> Iterator[Change]:
    for name in sorted(pair.old.properties.keys() - pair.new.properties.keys()):
        pointer = join(pair.new.pointer, "properties", name)
        if pair.direction == "request":
            yield change("request-property-removed", pointer,
                         f"Request field `{name}` is gone: a partner who sends it is refused or has it ignored.")
        elif name in pair.old.required:
            yield change("response-property-removed", pointer,
                         f"Response field `{name}` is gone: partners who read it break.")
        else:
            yield change("response-optional-property-removed", pointer,
                         f"Optional response field `{name}` is gone: partners already had to do without it.")


@diff_rule("request-property-added", "request-property-required-added", "response-property-added")
def properties_added(pair: SchemaPair) -> Iterator[Change]:
    for name in sorted(pair.new.properties.keys() - pair.old.properties.keys()):
        pointer = pair.new.properties[name][1]
        if pair.direction == "response":
            yield change("response-property-added", pointer, f"New response field `{name}`.")
        elif name in pair.new.required:
            yield change("request-property-required-added", pointer,
                         f"New required request field `{name}`: requests without it are refused.")
        else:
            yield change("request-property-added", pointer, f"New optional request field `{name}`.")


@diff_rule("request-property-made-required", "request-property-made-optional", "response-property-made-optional")
def required_changed(pair: SchemaPair) -> Iterator[Change]:
    for name in sorted(pair.old.properties.keys() & pair.new.properties.keys()):
        was, now = name in pair.old.required, name in pair.new.required
        pointer = join(pair.new.pointer, "required")
        if pair.direction == "request" and now and not was:
            yield change("request-property-made-required", pointer,
                         f"Request field `{name}` is now required: requests without it are refused.")
        elif pair.direction == "request" and was and not now:
            yield change("request-property-made-optional", pointer, f"Request field `{name}` is now optional.")
        elif pair.direction == "response" and was and not now:
            yield change("response-property-made-optional", pointer,
                         f"Response field `{name}` may now be missing: partners who read it break.")


SCHEMA_RULES = (money_field_lost, type_changed, format_changed, enum_changed, bounds_changed, nullable_changed,
                additional_properties_changed, alternatives_changed, default_changed, properties_removed,
                properties_added, required_changed)
