"""Each rule of the contract diff, both ways: a change it must call breaking, and one it must not."""
from __future__ import annotations

import pytest

from conformance.diff.changes import BREAKING_BY_RULE, RULE_IDS
from conformance.diff.operations import operations_by_route
from conformance.diff.rules_operations import CONTRACT_RULES, OPERATION_RULES, ContractPair, OperationPair
from conformance.diff.rules_schemas import SCHEMA_RULES, SchemaPair
from conformance.diff.schema_view import schema_view
from conformance.diff import rules_operations as ops
from conformance.diff import rules_schemas as sch

INT = {"type": "integer"}
OBJ = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}, "required": ["a"]}

# (rule function, old schema, new schema, direction, name, the rule id it must report; None: none at all)
SCHEMA_ROWS = [
    (sch.money_field_lost, INT, {"type": "number"}, "response", "balanceCents", "money-not-integer-cents"),
    (sch.money_field_lost, INT, {"type": "integer", "format": "int64"}, "response", "balanceCents", None),
    (sch.money_field_lost, INT, {"type": "number"}, "response", "ratio", None),
    (sch.type_changed, {"type": "number"}, INT, "request", "x", "request-type-narrowed"),
    (sch.type_changed, INT, {"type": "number"}, "request", "x", "request-type-widened"),
    (sch.type_changed, INT, {"type": "number"}, "response", "x", "response-type-widened"),
    (sch.type_changed, {"type": "number"}, INT, "response", "x", "response-type-narrowed"),
    (sch.format_changed, {"type": "string"}, {"type": "string", "format": "date"}, "request", "x",
     "request-format-narrowed"),
    (sch.format_changed, {"format": "int32"}, {"format": "int64"}, "request", "x", "request-format-widened"),
    (sch.format_changed, {"format": "int32"}, {"format": "int64"}, "response", "x", "response-format-widened"),
    (sch.enum_changed, {"enum": ["a", "b"]}, {"enum": ["a"]}, "request", "x", "request-enum-narrowed"),
    (sch.enum_changed, {"enum": ["a"]}, {"enum": ["a", "b"]}, "request", "x", "request-enum-widened"),
    (sch.enum_changed, {"enum": ["a"]}, {"enum": ["a", "b"]}, "response", "x", "response-enum-widened"),
    (sch.enum_changed, {"enum": ["a", "b"]}, {"enum": ["b", "a"]}, "response", "x", None),
    (sch.bounds_changed, {"maximum": 10}, {"maximum": 5}, "request", "x", "request-bound-narrowed"),
    (sch.bounds_changed, {"minLength": 1}, {}, "request", "x", "request-bound-widened"),
    (sch.bounds_changed, {"maxLength": 5}, {"maxLength": 10}, "response", "x", "response-bound-widened"),
    (sch.bounds_changed, {"pattern": "^a"}, {"pattern": "^b"}, "request", "x", "request-bound-narrowed"),
    (sch.bounds_changed, {"format": "date"}, {"format": "date", "maxLength": 10}, "request", "x", None),
    (sch.bounds_changed, {"format": "date"}, {"format": "date", "maxLength": 8}, "request", "x",
     "request-bound-narrowed"),
    (sch.bounds_changed, {"pattern": "^[0-9]{4}$"}, {"pattern": "^[0-9]{4}$", "maxLength": 4}, "request", "x", None),
    (sch.bounds_changed, {"pattern": "[^ ]"}, {"pattern": "[^ ]", "minLength": 1}, "request", "x", None),
    (sch.bounds_changed, {"pattern": "[^ ]"}, {"pattern": "[^ ]", "minLength": 2}, "request", "x",
     "request-bound-narrowed"),
    (sch.bounds_changed, {"pattern": "^a+$"}, {"pattern": "^a+$", "maxLength": 9}, "request", "x",
     "request-bound-narrowed"),
    (sch.bounds_changed, {}, {"not": {"required": ["a"]}}, "request", "", "request-bound-narrowed"),
    (sch.bounds_changed, {"not": {"required": ["a"]}}, {}, "response", "", "response-bound-widened"),
    (sch.nullable_changed, {"nullable": True}, {}, "request", "x", "request-nullable-narrowed"),
    (sch.nullable_changed, {}, {"nullable": True}, "response", "x", "response-nullable-widened"),
    (sch.nullable_changed, {"nullable": True}, {}, "response", "x", "response-nullable-narrowed"),
    (sch.additional_properties_changed, {}, {"additionalProperties": False}, "request", "",
     "request-additional-properties-narrowed"),
    (sch.additional_properties_changed, {"additionalProperties": False}, {}, "request", "",
     "request-additional-properties-widened"),
    (sch.alternatives_changed, {"oneOf": [INT, {"type": "string"}]}, {"oneOf": [INT]}, "request", "x",
     "request-alternatives-narrowed"),
    (sch.alternatives_changed, {"oneOf": [INT]}, {"oneOf": [INT, {"type": "string"}]}, "response", "x",
     "response-alternatives-widened"),
    (sch.alternatives_changed, {"oneOf": [INT]}, {"oneOf": [INT, {"type": "string"}]}, "request", "x",
     "request-alternatives-widened"),
    (sch.default_changed, {"default": 50}, {"default": 20}, "request", "limit", "default-changed"),
    (sch.default_changed, {"default": 50}, {}, "request", "limit", "default-changed"),
    (sch.default_changed, {}, {"default": 50}, "request", "limit", "default-added"),
    (sch.default_changed, {"default": 50}, {"default": 20}, "response", "limit", None),
    (sch.properties_removed, OBJ, {"type": "object", "properties": {"b": {}}}, "response", "",
     "response-property-removed"),
    (sch.properties_removed, OBJ, {"type": "object", "properties": {"a": {}}, "required": ["a"]}, "response", "",
     "response-optional-property-removed"),
    (sch.properties_removed, OBJ, {"type": "object", "properties": {"a": {}}}, "request", "",
     "request-property-removed"),
    (sch.properties_added, {"properties": {"b": {}}}, OBJ, "request", "", "request-property-required-added"),
    (sch.properties_added, {"type": "object", "properties": {"a": {}}}, OBJ, "request", "", "request-property-added"),
    (sch.properties_added, {"properties": {"b": {}}}, OBJ, "response", "", "response-property-added"),
    (sch.required_changed, {**OBJ, "required": []}, OBJ, "request", "", "request-property-made-required"),
    (sch.required_changed, OBJ, {**OBJ, "required": []}, "request", "", "request-property-made-optional"),
    (sch.required_changed, OBJ, {**OBJ, "required": []}, "response", "", "response-property-made-optional"),
    (sch.required_changed, {**OBJ, "required": []}, OBJ, "response", "", None),
]


def schema_pair(old: dict, new: dict, direction: str, name: str) -> SchemaPair:
    return SchemaPair(schema_view({}, old, "/old"), schema_view({}, new, "/new"), direction, name)


@pytest.mark.parametrize("rule, old, new, direction, name, expected", SCHEMA_ROWS,
                         ids=[f"{row[0].__name__}-{row[5]}" for row in SCHEMA_ROWS])
def test_schema_rule(rule, old, new, direction, name, expected) -> None:
    found = [c.rule_id for c in rule(schema_pair(old, new, direction, name))]
    assert found == ([expected] if expected else []), found


def spec(operation: dict, security: list | None = None, schemes: dict | None = None) -> dict:
    return {"openapi": "3.0.3", "security": security or [{"bearerAuth": []}],
            "components": {"securitySchemes": schemes or {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
            "paths": {"/things/{id}": {"post": operation}} if operation else {"/other": {"get": {}}}}


KEY = {"name": "Idempotency-Key", "in": "header", "required": True, "schema": {"type": "string"}}
LIMIT = {"name": "limit", "in": "query", "schema": {"type": "integer"}}
BODY = {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}}
OK = {"200": {"description": "ok", "headers": {"X-Request-Id": {"schema": {"type": "string"}}},
              "content": {"application/json": {"schema": {"type": "object"}}}}}


def op(**fields) -> dict:
    return {"responses": OK, "parameters": [], **fields}


# (rule function, old operation, new operation, the rule id it must report; None: none)
OPERATION_ROWS = [
    (ops.operation_deprecated, op(), op(deprecated=True), "operation-deprecated"),
    (ops.operation_deprecated, op(deprecated=True), op(deprecated=True), None),
    (ops.parameters_removed, op(parameters=[LIMIT]), op(), "parameter-removed"),
    (ops.parameters_removed, op(parameters=[KEY]), op(), None),            # idempotency_key_weakened says it
    (ops.parameters_added, op(), op(parameters=[{**LIMIT, "required": True}]), "parameter-required-added"),
    (ops.parameters_added, op(), op(parameters=[LIMIT]), "parameter-added"),
    (ops.parameter_required_changed, op(parameters=[LIMIT]), op(parameters=[{**LIMIT, "required": True}]),
     "parameter-made-required"),
    (ops.parameter_required_changed, op(parameters=[{**LIMIT, "required": True}]), op(parameters=[LIMIT]),
     "parameter-made-optional"),
    (ops.idempotency_key_weakened, op(parameters=[KEY]), op(), "idempotency-key-removed"),
    (ops.idempotency_key_weakened, op(parameters=[KEY]), op(parameters=[{**KEY, "required": False}]),
     "idempotency-key-made-optional"),
    (ops.idempotency_key_weakened, op(), op(parameters=[KEY]), None),
    (ops.security_changed, op(security=[]), op(), "security-requirement-added"),
    (ops.security_changed, op(), op(security=[{"bearerAuth": []}, {"cookie": []}]), "security-requirement-relaxed"),
    (ops.security_changed, op(security=[{"oauth2": ["read"]}]), op(security=[{"oauth2": ["read", "write"]}]),
     "security-requirement-added"),
    (ops.security_changed, op(), op(security=[{"bearerAuth": []}]), None),
    (ops.request_body_changed, op(), op(requestBody=BODY), "request-body-required-added"),
    (ops.request_body_changed, op(requestBody={**BODY, "required": False}), op(requestBody=BODY),
     "request-body-made-required"),
    (ops.request_body_changed, op(requestBody=BODY), op(), "request-body-removed"),
    (ops.request_body_changed, op(requestBody=BODY), op(requestBody={**BODY, "required": False}),
     "request-body-made-optional"),
    (ops.request_media_types_changed, op(requestBody=BODY), op(requestBody={"content": {}}),
     "request-media-type-removed"),
    (ops.request_media_types_changed, op(requestBody={"content": {}}), op(requestBody=BODY),
     "request-media-type-added"),
    (ops.response_statuses_changed, op(), op(responses={}), "response-status-removed"),
    (ops.response_statuses_changed, op(), op(responses={**OK, "404": {"description": "no"}}),
     "response-status-added"),
    (ops.response_media_types_changed, op(), op(responses={"200": {"content": {}}}),
     "response-media-type-removed"),
    (ops.response_media_types_changed, op(responses={"200": {}}), op(), "response-media-type-added"),
    (ops.response_headers_changed, op(), op(responses={"200": {"content": OK["200"]["content"]}}),
     "response-header-removed"),
    (ops.response_headers_changed, op(responses={"200": {}}), op(), "response-header-added"),
]


def operation_pair(old: dict, new: dict) -> OperationPair:
    old_spec, new_spec = spec(old), spec(new)
    key = ("post", "/things/{}")
    return OperationPair(operations_by_route(old_spec)[key], operations_by_route(new_spec)[key], old_spec, new_spec)


@pytest.mark.parametrize("rule, old, new, expected", OPERATION_ROWS,
                         ids=[f"{row[0].__name__}-{row[3]}" for row in OPERATION_ROWS])
def test_operation_rule(rule, old, new, expected) -> None:
    found = [c.rule_id for c in rule(operation_pair(old, new))]
    assert found == ([expected] if expected else []), found


COOKIE = {"bearerAuth": {"type": "apiKey", "in": "cookie", "name": "session"}}
# (rule function, old contract, new contract, the rule id it must report; None: none)
CONTRACT_ROWS = [
    (ops.operations_removed, spec(op()), spec({}), "operation-removed"),
    (ops.operations_removed, spec(op()), spec(op(description="moved")), None),
    (ops.operations_added, spec({}), spec(op()), "operation-added"),
    (ops.operations_added, spec(op()), spec(op()), None),
    (ops.security_schemes_changed, spec(op()), spec(op(), schemes=COOKIE), "security-scheme-changed"),
    (ops.security_schemes_changed, spec(op()), spec(op(), schemes={"bearerAuth": {
        "type": "http", "scheme": "bearer", "description": "new words"}}), None),
]


@pytest.mark.parametrize("rule, old, new, expected", CONTRACT_ROWS,
                         ids=[f"{row[0].__name__}-{row[3]}" for row in CONTRACT_ROWS])
def test_contract_rule(rule, old, new, expected) -> None:
    pair = ContractPair(old, new, operations_by_route(old), operations_by_route(new))
    found = [c.rule_id for c in rule(pair)]
    assert found == ([expected] if expected else []), found


def test_renamed_path_parameter_is_the_same_route() -> None:
    old = spec(op())
    new = {**old, "paths": {"/things/{thingId}": old["paths"]["/things/{id}"]}}
    assert operations_by_route(old).keys() == operations_by_route(new).keys()


def test_every_rule_function_is_tested_both_ways() -> None:
    """A row it must catch (its breaking kind, when it has one) and a row with no breaking change."""
    rows = [(row[0], row[-1]) for row in SCHEMA_ROWS + OPERATION_ROWS + CONTRACT_ROWS]
    for rule in SCHEMA_RULES + OPERATION_RULES + CONTRACT_RULES:
        expected = [rule_id for function, rule_id in rows if function is rule]
        catches_breaking = any(BREAKING_BY_RULE[rule_id] for rule_id in rule.rule_ids)
        assert any(rule_id and (BREAKING_BY_RULE[rule_id] or not catches_breaking) for rule_id in expected), \
            f"{rule.__name__}: no row it must catch"
        assert any(not rule_id or not BREAKING_BY_RULE[rule_id] for rule_id in expected), \
            f"{rule.__name__}: no harmless row"


def test_every_catalogued_rule_id_belongs_to_one_rule_function() -> None:
    owners = [rule_id for rule in SCHEMA_RULES + OPERATION_RULES + CONTRACT_RULES for rule_id in rule.rule_ids]
    assert sorted(owners) == sorted(RULE_IDS)
