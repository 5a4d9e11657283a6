"""The tests' drift check finds fields a response sends that its schema does not declare."""

from tests.support.undeclared_fields import undeclared_fields

SPEC = {"components": {"schemas": {
    "Line": {"type": "object", "properties": {"id": {"type": "string"}}},
    "Page": {"type": "object", "properties": {
        "data": {"type": "array", "items": {"$ref": "#/components/schemas/Line"}},
        "nextCursor": {"type": "string", "nullable": True}}},
    "Created": {"allOf": [{"$ref": "#/components/schemas/Line"},
                          {"type": "object", "properties": {"secret": {"type": "string"}}}]},
    "Either": {"oneOf": [{"$ref": "#/components/schemas/Line"},
                         {"type": "object", "properties": {"error": {"type": "string"}}}]},
    "Open": {"type": "object", "properties": {"id": {"type": "string"}}, "additionalProperties": True},
}}}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def test_extra_fields_are_found_at_any_depth() -> None:
    body = {"data": [{"id": "a"}, {"id": "b", "seq": 2}], "nextCursor": None, "total": 2}
    assert undeclared_fields(SPEC, ref("Page"), body) == ["$.total", "$.data[1].seq"]


def test_declared_fields_pass() -> None:
    assert undeclared_fields(SPEC, ref("Page"), {"data": [{"id": "a"}], "nextCursor": None}) == []


def test_all_of_parts_declare_together() -> None:
    assert undeclared_fields(SPEC, ref("Created"), {"id": "a", "secret": "s"}) == []
    assert undeclared_fields(SPEC, ref("Created"), {"id": "a", "secret": "s", "x": 1}) == ["$.x"]


def test_one_of_passes_when_one_alternative_declares_everything() -> None:
    assert undeclared_fields(SPEC, ref("Either"), {"error": "e"}) == []
    assert undeclared_fields(SPEC, ref("Either"), {"error": "e", "x": 1}) == ["$.x"]


def test_schemas_open_on_purpose_allow_more() -> None:
    assert undeclared_fields(SPEC, ref("Open"), {"id": "a", "anything": 1}) == []
