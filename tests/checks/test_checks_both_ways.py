"""Every registered check both ways on crafted exchanges: it passes the sandbox's own answers, and it fails,
by name, when one request or response is crafted to break what it checks."""
from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from conformance.contract_map import Contract
from conformance.runner import ERROR, FAIL, PASS, SKIP
from faults.catalog import FAULTS
from faults.checks import registered_checks
from faults.contracts import faulty_contract
from ledgerhq_contract import CONTRACT_PATH
from tests.checks.crafts import CRAFTS, KNOWN
from tests.checks.harness import as_is, crafted_suite, run_check

pytestmark = pytest.mark.slow

# Checks whose HTTP goes through Schemathesis' or the MCP SDK's own client, not the kit's `Api`: their
# faulty servers (tests/test_conformance_selftest.py) stand in for crafted exchanges.
FAULTY_SERVER_STANDS_IN = {"check_schemathesis": "account_read_without_name",
                           "check_stateful_links": "entry_read_without_lines",
                           "check_mcp_without_token_is_401": "mcp_auth_ignored",
                           "check_mcp_metadata_leads_to_the_token_endpoint": "mcp_challenge_without_metadata",
                           "check_mcp_tools_cover_the_jobs": "mcp_tool_missing",
                           "check_mcp_posting_shows_once_in_rest": "mcp_replay_posts_twice",
                           "check_mcp_other_firms_company_refused": "mcp_other_firm_company_answered"}
# Checks that read only the contract: a faulty contract is their crafted exchange.
FAULTY_CONTRACT = {"check_contract_money_fields_are_integers": "money_typed_number"}
CHECKS = registered_checks()


@pytest.fixture(scope="module")
def sandbox():
    from mock_server.app import create_app
    from conformance.sandbox import LOOPBACK_HOSTS
    with TestClient(create_app(webhook_hosts=LOOPBACK_HOSTS.split(",")), base_url="http://127.0.0.1:8080", raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="module")
def credentials(sandbox: TestClient) -> dict:
    from conformance.sandbox import sandbox_credentials
    found = sandbox_credentials()
    other = sandbox.get(f"/api/v1/companies/{found['otherCompanyId']}",
                        headers={"Authorization": f"Bearer {found['otherFirmAccessToken']}"}).json()
    companies = sandbox.get("/api/v1/companies", headers={"Authorization": f"Bearer {found['accessToken']}"}).json()
    sibling = next(c["organizationId"] for c in companies["data"] if c["id"] != found["companyId"])
    KNOWN.update(token=found["accessToken"], other_token=found["otherFirmAccessToken"],
                 company=found["companyId"], other_company=found["otherCompanyId"], other_org=other["organizationId"],
                 own_org=found["organizationId"], sibling_org=sibling)
    return found


def test_every_check_has_a_test_both_ways() -> None:
    covered = set(CRAFTS) | set(FAULTY_SERVER_STANDS_IN) | set(FAULTY_CONTRACT)
    assert sorted(set(CHECKS) - covered) == [], "registered checks with no both-ways test"
    assert sorted(covered - set(CHECKS)) == [], "tests of checks that are not registered"
    named = {fault.name: fault.caught_by for fault in FAULTS}
    for check, fault in {**FAULTY_SERVER_STANDS_IN, **FAULTY_CONTRACT}.items():
        assert named.get(fault) == check


def statuses(outcomes) -> set[str]:
    return {outcome.status for outcome in outcomes}


@pytest.mark.parametrize("name", sorted(CRAFTS))
def test_check_passes_the_sandbox_as_it_is(sandbox: TestClient, credentials: dict, name: str) -> None:
    outcomes = run_check(crafted_suite(sandbox, credentials, as_is, Contract.load(CONTRACT_PATH)), CHECKS[name])
    assert PASS in statuses(outcomes) and not statuses(outcomes) & {FAIL, ERROR}, \
        [(o.operation, o.status, o.reason) for o in outcomes if o.status != PASS]


@pytest.mark.parametrize("name", sorted(CRAFTS))
def test_check_fails_one_crafted_response(sandbox: TestClient, credentials: dict, name: str) -> None:
    suite = crafted_suite(sandbox, credentials, CRAFTS[name](), Contract.load(CONTRACT_PATH))
    outcomes = run_check(suite, CHECKS[name])
    assert FAIL in statuses(outcomes), [(o.operation, o.status, o.reason) for o in outcomes]


@pytest.mark.parametrize("name", sorted(FAULTY_CONTRACT))
def test_contract_check_both_ways(sandbox: TestClient, credentials: dict, name: str, tmp_path) -> None:
    clean = run_check(crafted_suite(sandbox, credentials, as_is, Contract.load(CONTRACT_PATH)), CHECKS[name])
    assert statuses(clean) == {PASS}
    broken = faulty_contract(FAULTY_CONTRACT[name], tmp_path)
    faulty = run_check(crafted_suite(sandbox, credentials, as_is, Contract.load(broken), broken), CHECKS[name])
    assert statuses(faulty) == {FAIL}
    assert SKIP not in statuses(faulty)
