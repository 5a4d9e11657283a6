"""Nodes of a contract with the place they live: `$ref`s followed (with `ledgerhq_contract.resolve_ref`) and
`allOf` merged, so a schema moved behind a `$ref`, or wrapped in an `allOf` to add a description, reads the same."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ledgerhq_contract import REFERENCE_DEPTH_MAX, inline_refs, resolve_ref

ALTERNATIVE_KEYWORDS = ("oneOf", "anyOf")
CHILD_KEYWORDS = ("items", "additionalProperties")
NEGATION = "not"     # compared whole, `$ref`s inlined: what narrows inside it widens outside


def escape_pointer_part(part: str) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def join(pointer: str, *parts: str) -> str:
    return pointer + "".join("/" + escape_pointer_part(part) for part in parts)


def follow(spec: dict, node: Any, pointer: str) -> tuple[Any, str]:
    """The node a `$ref` names and where it lives (the first target of a chain); anything else as it is."""
    if isinstance(node, dict) and "$ref" in node:
        reference = node["$ref"]
        return resolve_ref(spec, node), reference[1:] if reference.startswith("#/") else pointer
    return node, pointer


@dataclass(slots=True)
class Schema:
    """One schema, `allOf` members merged in: each keyword, property and child remembers where it lives."""
    pointer: str
    keywords: dict[str, Any] = field(default_factory=dict)
    keyword_pointers: dict[str, str] = field(default_factory=dict)
    properties: dict[str, tuple[Any, str]] = field(default_factory=dict)   # name -> (raw node, pointer)
    required: set[str] = field(default_factory=set)
    children: dict[str, tuple[Any, str]] = field(default_factory=dict)     # items, additionalProperties
    alternatives: list[tuple[Any, str]] = field(default_factory=list)      # oneOf / anyOf members

    def get(self, keyword: str, default: Any = None) -> Any:
        return self.keywords.get(keyword, default)

    def where(self, keyword: str) -> str:
        return self.keyword_pointers.get(keyword, self.pointer)


def schema_view(spec: dict, node: Any, pointer: str, depth: int = 0) -> Schema:
    node, pointer = follow(spec, node, pointer)
    view = Schema(pointer)
    if not isinstance(node, dict):
        return view
    if depth > REFERENCE_DEPTH_MAX:
        raise ValueError(f"allOf nested too deep at {pointer}")
    for keyword, value in node.items():
        if keyword in ("allOf", "properties", "required", *CHILD_KEYWORDS, *ALTERNATIVE_KEYWORDS):
            continue
        view.keywords[keyword] = inline_refs(spec, value) if keyword == NEGATION else value
        view.keyword_pointers[keyword] = join(pointer, keyword)
    for name, sub in (node.get("properties") or {}).items():
        view.properties[name] = (sub, join(pointer, "properties", name))
    view.required.update(node.get("required") or ())
    for keyword in CHILD_KEYWORDS:
        if keyword in node and isinstance(node[keyword], dict):
            view.children[keyword] = (node[keyword], join(pointer, keyword))
        elif keyword == "additionalProperties" and keyword in node:
            view.keywords[keyword], view.keyword_pointers[keyword] = node[keyword], join(pointer, keyword)
    for keyword in ALTERNATIVE_KEYWORDS:
        view.alternatives += [(sub, join(pointer, keyword, str(i))) for i, sub in enumerate(node.get(keyword) or ())]
    for index, member in enumerate(node.get("allOf") or ()):
        merge_into(view, schema_view(spec, member, join(pointer, "allOf", str(index)), depth + 1))
    return view


def merge_into(view: Schema, member: Schema) -> None:
    """An `allOf` member's keywords where the schema has none of its own; properties and required added up."""
    for keyword, value in member.keywords.items():
        if keyword not in view.keywords:
            view.keywords[keyword], view.keyword_pointers[keyword] = value, member.where(keyword)
    for name, entry in member.properties.items():
        view.properties.setdefault(name, entry)
    view.required |= member.required
    for keyword, entry in member.children.items():
        view.children.setdefault(keyword, entry)
    view.alternatives += member.alternatives
