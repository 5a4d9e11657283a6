"""The conformance suite passes the clean sandbox and fails every fault by the check the fault names.

One process serves a fresh sandbox behind each fault (and a clean one), so the servers start once."""
from __future__ import annotations

import pytest

from faults.catalog import FAULTS
from faults.checks import registered_checks
from faults.selftest import CLEAN, SKIPS_ALLOWED, check_one
from faults.serve import FaultServers
from conformance.sandbox import sandbox_credentials

pytestmark = pytest.mark.slow
SEED = 20261125


@pytest.fixture(scope="module")
def credentials() -> dict:
    return sandbox_credentials()


@pytest.fixture(scope="module")
def servers(credentials: dict):
    with FaultServers([CLEAN] + [fault.name for fault in FAULTS], credentials["accessToken"]) as running:
        yield running


def test_every_registered_check_has_a_fault_naming_it() -> None:
    named = {fault.caught_by for fault in FAULTS}
    assert sorted(set(registered_checks()) - named) == []
    assert sorted(named - set(registered_checks())) == []


def test_clean_sandbox_passes_every_check(servers: FaultServers, credentials: dict) -> None:
    verdict = check_one(None, servers.base_url[CLEAN], credentials, all_rules=True, seed=SEED)
    assert verdict.ok, "\n".join(verdict.problems) + "\n" + verdict.log[-8000:]
    assert set(SKIPS_ALLOWED) <= set(registered_checks())


@pytest.mark.parametrize("fault", FAULTS, ids=[fault.name for fault in FAULTS])
def test_fault_is_caught_by_its_check(servers: FaultServers, credentials: dict, fault) -> None:
    verdict = check_one(fault, servers.base_url[fault.name], credentials, all_rules=False, seed=SEED)
    assert verdict.ok, f"{fault.name}: {fault.caught_by} passed; failed: {verdict.failed_checks}\n{verdict.log[-8000:]}"
