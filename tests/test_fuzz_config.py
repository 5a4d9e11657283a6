"""schemathesis.toml (the refusals that are the contract's) and the x-organization-id security requirements
agree with the contract; `make fuzz`'s verdict fails on what it must fail on."""
from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest
from schemathesis.config import SchemathesisConfig

from ledgerhq_contract import CONTRACT_PATH, SCHEMATHESIS_CONFIG_PATH, load_contract, operations, resolve_ref
from tools.fuzz import Figures, verdict

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ACCEPTED = {"2xx", "3xx", "401", "403", "404", "409", "429", "5xx"}   # Schemathesis 4.32's
LEGACY_SECURITY = [{"bearerAuth": [], "organizationHeader": []}, {"sessionCookie": [], "organizationHeader": []},
                   {"sessionCookie": []}]


@pytest.fixture(scope="module")
def spec() -> dict:
    return load_contract(CONTRACT_PATH)


@pytest.fixture(scope="module")
def entries() -> list[dict]:
    return tomllib.loads(SCHEMATHESIS_CONFIG_PATH.read_text())["operations"]


def partner_operations(spec: dict) -> dict[str, dict]:
    return {op["operationId"]: op for _, _, op in operations(spec) if op["tags"][0] not in ("sandbox", "oauth")}


def parameter_names(spec: dict, op: dict) -> set[str]:
    return {resolve_ref(spec, parameter)["name"] for parameter in op.get("parameters", [])}


def test_the_root_config_is_the_packaged_one() -> None:
    root = ROOT / "schemathesis.toml"
    assert root.is_symlink() and root.resolve() == SCHEMATHESIS_CONFIG_PATH.resolve()
    assert SchemathesisConfig.from_path(root).projects.default.operations


def test_each_entry_has_its_reason() -> None:
    lines = SCHEMATHESIS_CONFIG_PATH.read_text().splitlines()
    for number, line in enumerate(lines):
        if line == "[[operations]]":
            assert lines[number - 1].startswith("# "), f"line {number + 1}: no reason above the entry"


def test_each_entry_adds_one_declared_status_to_the_defaults(spec: dict, entries: list[dict]) -> None:
    partner = partner_operations(spec)
    for entry in entries:
        accepted = set(entry["checks"]["positive_data_acceptance"]["expected-statuses"])
        added = accepted - DEFAULT_ACCEPTED
        assert DEFAULT_ACCEPTED <= accepted and len(added) == 1, entry
        for operation_id in entry["include-operation-id"]:
            assert operation_id in partner, operation_id
            assert added <= set(partner[operation_id]["responses"]), (operation_id, added)
    named = Counter(operation_id for entry in entries for operation_id in entry["include-operation-id"])
    assert max(named.values()) == 1, named.most_common(3)


@pytest.mark.parametrize("parameters", [{"cursor"}, {"startDate", "endDate"}])
def test_every_operation_with_the_parameter_is_listed(spec: dict, entries: list[dict], parameters: set[str]) -> None:
    wanted = {operation_id for operation_id, op in partner_operations(spec).items()
              if parameters <= parameter_names(spec, op)}
    refusing = [set(entry["include-operation-id"]) for entry in entries
                if "400" in entry["checks"]["positive_data_acceptance"]["expected-statuses"]]
    assert wanted and wanted <= set().union(*refusing)      # a filtered list is in the cursor entry (400 too)


def test_legacy_routes_state_per_credential_when_the_organization_header_is_needed(spec: dict) -> None:
    scheme = spec["components"]["securitySchemes"]["organizationHeader"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "x-organization-id")
    legacy = [op for _, _, op in operations(spec) if "x-organization-id" in parameter_names(spec, op)]
    assert len(legacy) >= 34
    for op in legacy:
        assert op["security"] == LEGACY_SECURITY, op["operationId"]
    others = [op for _, _, op in operations(spec) if op not in legacy]
    assert all("organizationHeader" not in str(op.get("security", "")) for op in others)


def test_the_verdict_fails_on_failures_5xx_and_too_few_requests() -> None:
    clean = Figures("all", 0, statuses=Counter({200: 10, 400: 5}))
    negative = Figures("negative", 0, statuses=Counter({400: 6000}))
    assert verdict(clean, negative, 5000) == []
    assert verdict(clean, Figures("negative", 0, statuses=Counter({400: 4999})), 5000)
    assert verdict(clean, Figures("negative", 0, statuses=Counter({400: 6000, 500: 1})), 5000)
    assert verdict(Figures("all", 1, failures=Counter({"ST202 Schema-valid request rejected": 1})), negative, 5000)
