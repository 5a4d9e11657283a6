"""The contract diff on the real contract: a table of seeded breaking edits, each caught with its rule id, and of
harmless ones, with no false alarm; the contract against itself; the command line, its formats and exit status."""
from __future__ import annotations

import copy
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from conformance.cli import main as conformance_main
from conformance.diff.changes import RULE_IDS
from conformance.diff.walk import diff_contracts
from ledgerhq_contract import CONTRACT_PATH, load_contract

COMPANY = "/api/v1/companies/{companyId}"


@dataclass(frozen=True)
class Seed:
    name: str
    edit: Callable[[dict], None]
    rule_id: str | None     # the rule that must report it; None: no change at all
    breaking: bool


def schemas(spec: dict) -> dict:
    return spec["components"]["schemas"]


def operation(spec: dict, path: str, method: str = "get") -> dict:
    return spec["paths"][path][method]


def drop_response_field(spec: dict) -> None:
    company = schemas(spec)["Company"]
    del company["properties"]["legalName"]
    company["required"].remove("legalName")


def drop_parameter(spec: dict, path: str, method: str, ref_name: str) -> None:
    parameters = operation(spec, path, method)["parameters"]
    parameters.remove({"$ref": f"#/components/parameters/{ref_name}"})


def add_parameter(spec: dict, required: bool) -> None:
    operation(spec, f"{COMPANY}/accounts")["parameters"].append(
        {"name": "archived", "in": "query", "required": required, "schema": {"type": "boolean"}})


def add_request_field(spec: dict, required: bool) -> None:
    purchase = schemas(spec)["PurchaseCreate"]
    purchase["properties"]["memo"] = {"type": "string", "maxLength": 200}
    if required:
        purchase["required"].append("memo")


def add_route(spec: dict) -> None:
    listing = copy.deepcopy(operation(spec, f"{COMPANY}/accounts"))
    spec["paths"][f"{COMPANY}/tags"] = {"get": {**listing, "operationId": "listCompanyTags"}}


def move_behind_ref(spec: dict) -> None:
    purchase = schemas(spec)["PurchaseCreate"]
    schemas(spec)["PostingDescription"] = purchase["properties"]["description"]
    purchase["properties"]["description"] = {"$ref": "#/components/schemas/PostingDescription"}


def inline_ref(spec: dict) -> None:
    schemas(spec)["AccountCreate"]["properties"]["type"] = copy.deepcopy(schemas(spec)["AccountType"])


def wrap_in_all_of(spec: dict) -> None:
    schemas(spec)["AccountCreate"]["properties"]["type"] = {"allOf": [{"$ref": "#/components/schemas/AccountType"}],
                                                            "description": "The account's type."}


def change_descriptions(spec: dict) -> None:
    schemas(spec)["Company"]["description"] = "A client file."
    operation(spec, "/api/v1/accounts", "post")["description"] = "Adds an account to the chart."
    spec["info"]["description"] = "Reworded."


def set_key(target: dict, key: str, value) -> None:
    target[key] = value


SEEDS = [
    Seed("operation removed", lambda s: spec_pop(s, f"{COMPANY}/journal-lines", "get"), "operation-removed", True),
    Seed("parameter removed", lambda s: drop_parameter(s, f"{COMPANY}/reports/general-ledger", "get",
                                                       "LedgerAccountId"), "parameter-removed", True),
    Seed("response field removed", drop_response_field, "response-property-removed", True),
    Seed("declared status removed", lambda s: operation(s, COMPANY)["responses"].pop("404"),
         "response-status-removed", True),
    Seed("parameter made required", lambda s: set_key(s["components"]["parameters"]["Limit"], "required", True),
         "parameter-made-required", True),
    Seed("parameter added as required", lambda s: add_parameter(s, required=True), "parameter-required-added", True),
    Seed("request field made required", lambda s: schemas(s)["PurchaseCreate"]["required"].append("description"),
         "request-property-made-required", True),
    Seed("request field added as required", lambda s: add_request_field(s, required=True),
         "request-property-required-added", True),
    Seed("request type narrowed", lambda s: set_key(schemas(s)["JournalEntryCreate"]["properties"]["description"],
                                                    "type", "integer"), "request-type-narrowed", True),
    Seed("request format narrowed", lambda s: set_key(schemas(s)["PurchaseCreate"]["properties"]["date"], "format",
                                                      "date-time"), "request-format-narrowed", True),
    Seed("request enum narrowed", lambda s: schemas(s)["MatchRequest"]["properties"]["documentType"]["enum"].remove(
        "bill"), "request-enum-narrowed", True),
    Seed("request bound narrowed", lambda s: set_key(schemas(s)["AmountCents"], "maximum", 10**9),
         "request-bound-narrowed", True),
    Seed("response type widened", lambda s: schemas(s)["Health"]["properties"]["version"].pop("type"),
         "response-type-widened", True),
    Seed("response enum widened", lambda s: schemas(s)["JournalEntry"]["properties"]["status"]["enum"].append(
        "archived"), "response-enum-widened", True),
    Seed("response nullability widened", lambda s: set_key(schemas(s)["Account"]["properties"]["name"], "nullable",
                                                           True), "response-nullable-widened", True),
    Seed("money no longer integer cents", lambda s: set_key(schemas(s)["MoneyCents"], "type", "number"),
         "money-not-integer-cents", True),
    Seed("request money as a string", lambda s: set_key(schemas(s)["AmountCents"], "type", "string"),
         "money-not-integer-cents", True),
    Seed("security requirement added", lambda s: operation(s, "/api/health").pop("security"),
         "security-requirement-added", True),
    Seed("Idempotency-Key made optional", lambda s: set_key(s["components"]["parameters"]["IdempotencyKey"],
                                                            "required", False), "idempotency-key-made-optional", True),
    Seed("Idempotency-Key removed", lambda s: drop_parameter(s, f"{COMPANY}/purchases", "post", "IdempotencyKey"),
         "idempotency-key-removed", True),
    Seed("default changed", lambda s: set_key(s["components"]["parameters"]["Limit"]["schema"], "default", 20),
         "default-changed", True),
    Seed("response header removed", lambda s: operation(s, "/api/health")["responses"]["200"]["headers"].pop(
        "X-Request-Id"), "response-header-removed", True),
    Seed("optional request field added", lambda s: add_request_field(s, required=False), "request-property-added",
         False),
    Seed("new route", add_route, "operation-added", False),
    Seed("optional parameter added", lambda s: add_parameter(s, required=False), "parameter-added", False),
    Seed("new response field", lambda s: set_key(schemas(s)["Company"]["properties"], "website", {"type": "string"}),
         "response-property-added", False),
    Seed("new enum value on a request", lambda s: schemas(s)["MatchRequest"]["properties"]["documentType"][
        "enum"].append("credit_note"), "request-enum-widened", False),
    Seed("request bound widened", lambda s: set_key(schemas(s)["AccountCreate"]["properties"]["description"],
                                                    "maxLength", 1000), "request-bound-widened", False),
    Seed("description changed", change_descriptions, None, False),
    Seed("schema moved behind a $ref", move_behind_ref, None, False),
    Seed("$ref replaced by its schema", inline_ref, None, False),
    Seed("$ref wrapped in an allOf with a description", wrap_in_all_of, None, False),
]


def spec_pop(spec: dict, path: str, method: str) -> None:
    del spec["paths"][path][method]


def seeded(seed: Seed) -> tuple[dict, dict]:
    old = load_contract()
    new = copy.deepcopy(old)
    seed.edit(new)
    return old, new


@pytest.mark.parametrize("seed", SEEDS, ids=[seed.name for seed in SEEDS])
def test_seeded_edit(seed: Seed) -> None:
    changes = diff_contracts(*seeded(seed))
    breaking = sorted({c.rule_id for c in changes if c.breaking})
    for found in changes:
        assert found.pointer.startswith("/") and found.message.endswith("."), found
        assert found.operations or found.rule_id.startswith("operation-"), found
    if seed.breaking:
        assert seed.rule_id in breaking, f"{seed.name}: not caught as {seed.rule_id}; found {changes}"
    else:
        assert not breaking, f"{seed.name}: false alarm {[c for c in changes if c.breaking]}"
        assert [c.rule_id for c in changes] == ([seed.rule_id] if seed.rule_id else []), changes


def test_the_contract_against_itself_has_no_change() -> None:
    assert diff_contracts(load_contract(), copy.deepcopy(load_contract())) == []


def test_a_shared_schema_changed_once_is_one_row_naming_its_operations() -> None:
    changes = diff_contracts(*seeded(SEEDS[2]))
    assert [c.rule_id for c in changes] == ["response-property-removed"]
    assert changes[0].pointer == "/components/schemas/Company/properties/legalName"
    assert {"GET /api/v1/companies", f"GET {COMPANY}"} <= set(changes[0].operations)


def run_diff(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return conformance_main(["diff", *args], out=out), out.getvalue()


@pytest.fixture
def breaking_file(tmp_path) -> str:
    old, new = seeded(SEEDS[2])
    path = tmp_path / "new.json"
    path.write_text(json.dumps(new))
    return str(path)


def test_command_exits_1_on_a_breaking_change_in_every_format(breaking_file: str) -> None:
    status, text = run_diff(str(CONTRACT_PATH), breaking_file)
    assert status == 1 and "BREAKING  response-property-removed" in text
    status, body = run_diff(str(CONTRACT_PATH), breaking_file, "--format", "json")
    assert status == 1 and json.loads(body)["changes"][0]["ruleId"] == "response-property-removed"
    status, markdown = run_diff(str(CONTRACT_PATH), breaking_file, "--format", "markdown")
    assert status == 1 and "| :x: | `response-property-removed` |" in markdown


def test_command_exits_0_without_a_breaking_change() -> None:
    assert run_diff(str(CONTRACT_PATH)) == (0, f"Contract diff {CONTRACT_PATH} -> {CONTRACT_PATH}: 0 changes, "
                                               f"0 breaking, 0 not breaking\n")


def test_command_exits_2_on_a_usage_error(tmp_path) -> None:
    assert run_diff(str(tmp_path / "missing.json"))[0] == 2
    (tmp_path / "bad.json").write_text("{")
    assert run_diff(str(tmp_path / "bad.json"))[0] == 2
    with pytest.raises(SystemExit) as exited:
        run_diff("--format", "yaml", str(CONTRACT_PATH))
    assert exited.value.code == 2


def test_the_kit_readme_names_every_rule_id() -> None:
    readme = (Path(__file__).resolve().parents[1] / "conformance" / "README.md").read_text(encoding="utf-8")
    assert [rule_id for rule_id in RULE_IDS if f"`{rule_id}`" not in readme] == []


def test_schemas_moved_behind_one_ref_are_compared_each_on_its_own() -> None:
    def listing(schema: dict) -> dict:
        return {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}}
    shared = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}
    wider = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}, "required": ["a", "b"]}
    old = {"paths": {"/one": {"get": listing(shared)}, "/two": {"get": listing(wider)}}}
    new = {"paths": {"/one": {"get": listing({"$ref": "#/components/schemas/Thing"})},
                     "/two": {"get": listing({"$ref": "#/components/schemas/Thing"})}},
           "components": {"schemas": {"Thing": shared}}}
    changes = diff_contracts(old, new)
    assert [(c.rule_id, c.operations) for c in changes] == [("response-property-removed", ("GET /two",))]
