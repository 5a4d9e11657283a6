"""The conformance suite passes the clean sandbox and fails every faulty server, naming the broken rule."""
from __future__ import annotations

import pytest

from conformance.faults.catalog import FAULTS
from conformance.faults.selftest import check_one
from conformance.sandbox import sandbox_credentials

pytestmark = pytest.mark.slow
SEED = 20261125


@pytest.fixture(scope="module")
def credentials() -> dict:
    return sandbox_credentials()


def test_clean_sandbox_passes_every_rule(credentials: dict) -> None:
    verdict = check_one(None, credentials, all_rules=True, seed=SEED)
    assert verdict.ok, verdict.log[-8000:]


@pytest.mark.parametrize("fault", FAULTS, ids=[fault.name for fault in FAULTS])
def test_fault_is_caught_naming_its_rule(credentials: dict, fault) -> None:
    verdict = check_one(fault, credentials, all_rules=False, seed=SEED)
    assert verdict.ok, f"{fault.name} breaks {fault.breaks}, failed: {verdict.failed_checks}\n{verdict.log[-8000:]}"
    assert fault.caught_by in verdict.failed_checks, verdict.failed_checks
