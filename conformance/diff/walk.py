"""Walk two contracts side by side: the routes, then each operation both have, then every schema its
parameters, bodies and responses reach, `$ref`s followed on both sides, running every rule on each pair."""
from __future__ import annotations

from typing import Iterator

from conformance.diff.changes import Change, collapse, with_operation
from conformance.diff.operations import operations_by_route, resolved
from conformance.diff.rules_operations import (CONTRACT_RULES, OPERATION_RULES, ContractPair, OperationPair,
                                               ResponsePair, common_responses, request_body)
from conformance.diff.rules_schemas import SCHEMA_RULES, SchemaPair, match_alternatives
from conformance.diff.schema_view import join, schema_view

SCHEMA_DEPTH_MAX = 64


def diff_contracts(old_spec: dict, new_spec: dict) -> list[Change]:
    """Every change from `old_spec` to `new_spec`, one row each, breaking ones first."""
    pair = ContractPair(old_spec, new_spec, operations_by_route(old_spec), operations_by_route(new_spec))
    found = [c for rule in CONTRACT_RULES for c in rule(pair)]
    memo: dict[tuple, list[Change]] = {}     # a schema shared by many operations is compared once
    for key in sorted(pair.old_operations.keys() & pair.new_operations.keys()):
        operation = OperationPair(pair.old_operations[key], pair.new_operations[key], old_spec, new_spec)
        found += with_operation(operation_changes(operation, memo), operation.new.label)
    return collapse(found)


def operation_changes(pair: OperationPair, memo: dict) -> Iterator[Change]:
    for rule in OPERATION_RULES:
        yield from rule(pair)
    for schemas in schema_pairs(pair):
        yield from schema_changes(pair, schemas, frozenset(), memo)


def schema_pairs(pair: OperationPair) -> Iterator[SchemaPair]:
    """The top schemas of one operation on both sides: parameters, request bodies, response bodies and headers."""
    for key in sorted(pair.old.parameters.keys() & pair.new.parameters.keys()):
        old, new = pair.old.parameters[key], pair.new.parameters[key]
        if "schema" in old.node and "schema" in new.node:
            yield view_pair(pair, (old.node["schema"], join(old.pointer, "schema")),
                            (new.node["schema"], join(new.pointer, "schema")), "request", new.name)
    old_body, new_body = request_body(pair.old_spec, pair.old), request_body(pair.new_spec, pair.new)
    if old_body[0] is not None and new_body[0] is not None:
        yield from content_pairs(pair, old_body, new_body, "request")
    for response in common_responses(pair):
        yield from content_pairs(pair, (response.old, response.old_pointer), (response.new, response.new_pointer),
                                 "response")
        yield from header_pairs(pair, response)


def header_pairs(pair: OperationPair, response: ResponsePair) -> Iterator[SchemaPair]:
    old_headers = {name.lower(): (name, header) for name, header in (response.old.get("headers") or {}).items()}
    for name, header in (response.new.get("headers") or {}).items():
        if name.lower() not in old_headers:
            continue
        old_name, old_raw = old_headers[name.lower()]
        old_header, old_where = resolved(pair.old_spec, old_raw, join(response.old_pointer, "headers", old_name))
        new_header, new_where = resolved(pair.new_spec, header, join(response.new_pointer, "headers", name))
        if "schema" in old_header and "schema" in new_header:
            yield view_pair(pair, (old_header["schema"], join(old_where, "schema")),
                            (new_header["schema"], join(new_where, "schema")), "response", name)


def content_pairs(pair: OperationPair, old: tuple[dict, str], new: tuple[dict, str],
                  direction: str) -> Iterator[SchemaPair]:
    old_content, new_content = old[0].get("content") or {}, new[0].get("content") or {}
    for media_type in sorted(old_content.keys() & new_content.keys()):
        old_schema, new_schema = old_content[media_type].get("schema"), new_content[media_type].get("schema")
        if old_schema is not None and new_schema is not None:
            yield view_pair(pair, (old_schema, join(old[1], "content", media_type, "schema")),
                            (new_schema, join(new[1], "content", media_type, "schema")), direction, "")


def view_pair(pair: OperationPair, old: tuple, new: tuple, direction: str, name: str) -> SchemaPair:
    return SchemaPair(schema_view(pair.old_spec, *old), schema_view(pair.new_spec, *new), direction, name)


def schema_changes(pair: OperationPair, schemas: SchemaPair, seen: frozenset, memo: dict) -> list[Change]:
    """The rules on one pair of schemas, then on the pairs below it; a pair met again on the way down (a recursive
    schema) is not walked twice."""
    visit = (schemas.old.pointer, schemas.new.pointer, schemas.direction, schemas.name)
    if visit in seen or len(seen) > SCHEMA_DEPTH_MAX:
        return []
    if visit not in memo:
        found = [c for rule in SCHEMA_RULES for c in rule(schemas)]
        for below in child_pairs(pair, schemas):
            found += schema_changes(pair, below, seen | {visit}, memo)
        memo[visit] = found
    return memo[visit]


def child_pairs(pair: OperationPair, schemas: SchemaPair) -> Iterator[SchemaPair]:
    old, new, direction = schemas.old, schemas.new, schemas.direction
    for name in sorted(old.properties.keys() & new.properties.keys()):
        yield view_pair(pair, old.properties[name], new.properties[name], direction, name)
    for keyword in sorted(old.children.keys() & new.children.keys()):
        yield view_pair(pair, old.children[keyword], new.children[keyword], direction, schemas.name)
    matched, _, _ = match_alternatives(old, new)
    for old_alternative, new_alternative in matched:
        yield view_pair(pair, old_alternative, new_alternative, direction, schemas.name)
