"""Every field a request can carry has a bound in the contract, and the sandbox enforces the
limits the contract states (issue: nothing a client sends stalls the server)."""
from __future__ import annotations

import pytest

from ledgerhq_contract import load_contract, operations, resolve_ref
from mock_server.middleware import body_limits
from mock_server.middleware.request_context import BODY_BYTES_MAX


def unbounded(spec: dict, node, where: str, seen: frozenset = frozenset()) -> list[str]:
    """Where a request schema takes a string without maxLength (enums aside), an array
    without maxItems or a free-form object without maxProperties."""
    if isinstance(node, dict) and "$ref" in node:
        if node["$ref"] in seen:
            return []
        return unbounded(spec, resolve_ref(spec, node), node["$ref"], seen | {node["$ref"]})
    if not isinstance(node, dict):
        return []
    found = []
    kind = node.get("type")
    if kind == "string" and "maxLength" not in node and "enum" not in node:
        found.append(f"{where}: string without maxLength")
    if kind == "array" and "maxItems" not in node:
        found.append(f"{where}: array without maxItems")
    free_form = node.get("additionalProperties", True) is not False
    if kind == "object" and free_form and "maxProperties" not in node:
        found.append(f"{where}: free-form object without maxProperties")
    children = [(f"{where}.{name}", child) for name, child in node.get("properties", {}).items()]
    children += [(f"{where}[]", node["items"])] if "items" in node else []
    children += [(f"{where}/{key}{n}", child) for key in ("allOf", "oneOf", "anyOf")
                 for n, child in enumerate(node.get(key, []))]
    if isinstance(node.get("additionalProperties"), dict):
        children.append((f"{where}{{}}", node["additionalProperties"]))
    for child_where, child in children:
        found += unbounded(spec, child, child_where, seen)
    return found


def request_schemas(spec: dict):
    for _, template, operation in operations(spec):
        level = spec["paths"][template].get("parameters", [])
        for parameter in (resolve_ref(spec, p) for p in level + operation.get("parameters", [])):
            where = f"{operation['operationId']} {parameter['in']} {parameter['name']}"
            yield where, parameter.get("schema", {})
        for media, content in resolve_ref(spec, operation.get("requestBody", {})).get("content", {}).items():
            yield f"{operation['operationId']} body {media}", content.get("schema", {})


def test_every_request_field_of_the_contract_is_bounded() -> None:
    spec = load_contract()
    schemas = list(request_schemas(spec))
    assert len(schemas) > 100        # the walk reached every operation's parameters and bodies
    found = [problem for where, schema in schemas for problem in unbounded(spec, schema, where)]
    assert found == []


@pytest.mark.parametrize("schema, problem", [
    ({"type": "string"}, "string without maxLength"),
    ({"type": "array", "items": {"type": "string", "maxLength": 5}}, "array without maxItems"),
    ({"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": False},
     "string without maxLength"),
    ({"type": "object"}, "free-form object without maxProperties"),
])
def test_the_walk_catches_an_unbounded_field(schema: dict, problem: str) -> None:
    assert [found.split(": ", 1)[1] for found in unbounded({}, schema, "x")] == [problem]


def test_the_contract_states_the_limits_the_sandbox_enforces() -> None:
    info = load_contract()["info"]
    assert info["x-request-limits"] == {
        "bodyBytesMax": BODY_BYTES_MAX, "bodyWaitSeconds": body_limits.BODY_WAIT_S,
        "jsonDepthMax": body_limits.JSON_DEPTH_MAX, "integerDigitsMax": body_limits.INTEGER_DIGITS_MAX}
    for figure in ("64", "4,300", "10 seconds", "1 MiB"):
        assert figure in info["description"]
