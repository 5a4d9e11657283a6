"""Fields a response sends that its schema does not declare.

The contract leaves `additionalProperties` open on response objects (clients must tolerate
new fields), so schema validation alone would let a response grow undeclared fields. The
sandbox's own tests hold it to the contract exactly: every field it sends is declared.
"""

from __future__ import annotations

from mock_server.contract import resolve_ref

DEPTH_MAX = 32


def undeclared_fields(spec: dict, schema: dict, value, path: str = "$", depth: int = 0) -> list[str]:
    if depth > DEPTH_MAX:
        return []
    schema = resolve_ref(spec, schema)
    alternatives = schema.get("oneOf") or schema.get("anyOf")
    if alternatives:
        findings = [undeclared_fields(spec, option, value, path, depth + 1) for option in alternatives]
        return [] if any(not found for found in findings) else min(findings, key=len)
    if isinstance(value, list):
        items = schema.get("items")
        return [f for i, item in enumerate(value) if items
                for f in undeclared_fields(spec, items, item, f"{path}[{i}]", depth + 1)]
    if not isinstance(value, dict):
        return []
    properties, open_ended = _declared(spec, schema, depth)
    findings = [] if open_ended else [f"{path}.{key}" for key in value if key not in properties]
    for key, item in value.items():
        if key in properties:
            findings += undeclared_fields(spec, properties[key], item, f"{path}.{key}", depth + 1)
    return findings


def _declared(spec: dict, schema: dict, depth: int) -> tuple[dict, bool]:
    """(properties, whether other keys are allowed on purpose) of a schema and its allOf parts."""
    properties = dict(schema.get("properties", {}))
    extra = schema.get("additionalProperties")
    open_ended = extra is True or isinstance(extra, dict) or (
        "properties" not in schema and "allOf" not in schema)
    for part in schema.get("allOf", []):
        part_properties, _ = _declared(spec, resolve_ref(spec, part), depth + 1)
        properties.update(part_properties)
    return properties, open_ended and not schema.get("allOf")
