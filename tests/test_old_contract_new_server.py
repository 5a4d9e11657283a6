"""The old contract against the new server: the suite driven by the contract partners use today (`--contract`)
passes a newer server that keeps its promises, and fails one that dropped a field the old contract returned,
naming the promise. Only the contract rule runs, with a small profile, to keep it fast."""
from __future__ import annotations

import copy
import dataclasses
import io
import json
from pathlib import Path

import pytest

from conformance.cli import parse_args, config_from
from conformance.config import Profile
from conformance.diff.walk import diff_contracts
from conformance.main import run_and_report
from conformance.sandbox import Sandbox, sandbox_credentials
from ledgerhq_contract import load_contract
from tests.support.dropped_field_server import DroppedFieldServer

pytestmark = pytest.mark.slow
SEED = 20261201
DROPPED_FIELD = "legalName"      # Company: required in the contract, returned by the companies routes
SMALL = Profile(name="quick", fuzz_examples_positive=3, fuzz_examples_negative=0, coverage_cases_max=0,
                machine_examples=1, machine_steps=2, concurrent_requests=2, page_limit_small=1,
                all_money_fields=False, stateful_examples=1, stateful_steps=2)


def older_contract() -> dict:
    """The contract as it was before this release added a route and an optional response field."""
    old = copy.deepcopy(load_contract())
    del old["paths"]["/api/v1/companies/{companyId}/journal-lines"]
    del old["components"]["schemas"]["Health"]["properties"]["version"]
    return old


def run_suite(contract: dict, base_url: str, credentials: dict, tmp_path: Path) -> tuple[int, str]:
    path = tmp_path / "old-openapi.json"
    path.write_text(json.dumps(contract))
    args = parse_args(["--contract", str(path), "--base-url", base_url, "--token", credentials["accessToken"],
                       "--rules", "contract", "--seed", str(SEED)])
    config = dataclasses.replace(config_from(args, base_url, credentials), profile=SMALL)
    out = io.StringIO()
    return run_and_report(config, out), out.getvalue()


@pytest.fixture(scope="module")
def credentials() -> dict:
    return sandbox_credentials()


def test_a_compatible_server_keeps_the_old_promises(credentials: dict, tmp_path: Path) -> None:
    old = older_contract()
    assert not [c for c in diff_contracts(old, load_contract()) if c.breaking]
    with Sandbox() as sandbox:
        status, log = run_suite(old, sandbox.base_url, credentials, tmp_path)
    assert status == 0, log[-6000:]
    assert str(tmp_path / "old-openapi.json") in log


def test_a_server_that_dropped_a_field_breaks_the_old_promise(credentials: dict, tmp_path: Path) -> None:
    new = copy.deepcopy(load_contract())
    del new["components"]["schemas"]["Company"]["properties"][DROPPED_FIELD]
    new["components"]["schemas"]["Company"]["required"].remove(DROPPED_FIELD)
    assert "response-property-removed" in {c.rule_id for c in diff_contracts(load_contract(), new) if c.breaking}
    with DroppedFieldServer(DROPPED_FIELD) as server:
        status, log = run_suite(load_contract(), server.base_url, credentials, tmp_path)
    assert status == 1, log[-6000:]
    assert f'Response violates schema: "{DROPPED_FIELD}" is a required property' in log, log[-6000:]
    assert "operation: GET /api/v1/companies" in log, log[-6000:]      # the list or the one company
