"""Request validation's fast yes (mock_server/fast_schema.py): jsonschema-rs must never accept a value
Python's Draft 4 validator (the authority, with its format checker and Connexion's `nullable`) refuses,
on every request schema of the contract; and its API must still be the one the module calls."""
from __future__ import annotations

import copy
import itertools

import jsonschema_rs
import pytest
from connexion.json_schema import Draft4RequestValidator
from jsonschema import Draft4Validator

from ledgerhq_contract import load_contract, operations, resolve_ref
from mock_server.fast_schema import FastThenPython, fast_acceptor, python_checks_a_format

SPEC = load_contract()
ODD_VALUES = [None, True, False, 0, 1, -1, 1.0, 100.0, 0.5, 2**53 + 1, 2**63, 10**30, "", "x", "acc_x\n",
              "2024-01-01", "2024-02-30", "2024-01-01T23:59:60Z", "2024-01-01T00:00:00Z", "١٢", "é" * 300,
              [], [1], {}, {"a": 1}]


def request_schemas() -> list[tuple[str, dict, type]]:
    """(label, schema as Connexion hands it over, Python validator class) for every request schema."""
    found = []
    for method, path, op in operations(SPEC):
        body = resolve_ref(SPEC, op.get("requestBody", {}))
        for media, content in body.get("content", {}).items():
            if "json" in media and "schema" in content:
                found.append((f"{method} {path} body", {**resolve_ref(SPEC, content["schema"]),
                                                        "components": SPEC["components"]}, Draft4RequestValidator))
        for param in op.get("parameters", []):
            param = resolve_ref(SPEC, param)
            if "schema" in param:
                found.append((f"{method} {path} {param['name']}", resolve_ref(SPEC, param["schema"]), Draft4Validator))
    return found


def mutations(schema: dict) -> list[object]:
    """The odd values, and for an object schema its example with each property set to each odd value."""
    values = list(ODD_VALUES)
    example = schema.get("example")
    if isinstance(example, dict):
        values.append(example)
        for name, value in itertools.product(list(example), ODD_VALUES):
            changed = copy.deepcopy(example)
            changed[name] = value
            values.append(changed)
    return values


SCHEMAS = request_schemas()


def test_the_contract_has_request_schemas_and_most_take_the_fast_path():
    assert len(SCHEMAS) > 50
    fast = [label for label, schema, _ in SCHEMAS if fast_acceptor(schema) is not None]
    assert len(fast) > len(SCHEMAS) / 2, "the fast path is used for too few schemas to be worth its module"
    assert any("purchases body" in label for label in fast)


@pytest.mark.parametrize("label,schema,python_class", SCHEMAS, ids=[label for label, _, _ in SCHEMAS])
def test_jsonschema_rs_accepts_nothing_python_refuses(label, schema, python_class):
    accepts = fast_acceptor(schema)
    if accepts is None:     # left to Python: only for a reason fast_acceptor states
        assert python_checks_a_format(schema), f"{label}: no fast path, and no format Python checks"
        return
    python = python_class(schema, format_checker=Draft4Validator.FORMAT_CHECKER)
    slipped = [value for value in mutations(schema) if accepts(value) and not python.is_valid(value)]
    assert not slipped, f"{label}: jsonschema-rs accepts what Python refuses: {slipped[:3]}"


def test_formats_python_checks_are_left_to_python_even_behind_a_reference():
    assert fast_acceptor({"type": "string", "format": "date-time"}) is None
    behind = {"$ref": "#/components/schemas/T", "components": {"schemas": {"T": {"type": "string", "format": "email"}}}}
    assert python_checks_a_format(behind)
    unreached = {"type": "integer", "components": {"schemas": {"T": {"type": "string", "format": "date-time"}}}}
    assert not python_checks_a_format(unreached) and fast_acceptor(unreached) is not None
    assert python_checks_a_format({"$ref": "#/nowhere"}), "a reference it cannot follow is left to Python"


def test_a_refused_value_gets_pythons_error_and_a_nullable_null_is_still_accepted():
    schema = {"type": "integer", "minimum": 1, "nullable": True}
    checker = FastThenPython(schema, Draft4RequestValidator(schema))
    checker.validate(5)
    checker.validate(None)              # jsonschema-rs refuses null; Connexion's validator allows it
    with pytest.raises(Exception) as refused:
        checker.validate(0)
    assert type(refused.value).__module__.startswith("jsonschema"), "the error must be Python's"


def test_jsonschema_rs_still_offers_what_the_module_calls():
    """Fails loudly when a jsonschema-rs release moves Draft4Validator, its validate_formats or is_valid."""
    validator = jsonschema_rs.Draft4Validator({"type": "string", "format": "date"}, validate_formats=False)
    assert validator.is_valid("not a date") and not validator.is_valid(1)
    assert jsonschema_rs.Draft4Validator({"type": "integer"}).is_valid(True) is False
