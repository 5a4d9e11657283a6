"""The self-test's verdicts: a fault counts only when its own check fails; the clean run admits no check
that failed, skipped every target or did not run."""
from __future__ import annotations

import io

from conformance.runner import FAIL, PASS, SKIP, Outcome
from faults.catalog import FAULTS_BY_NAME
from faults.checks import registered_checks
from faults.matrix import print_matrix
from faults.selftest import judge, judge_clean, proven_checks

FAULT = FAULTS_BY_NAME["void_changes_nothing"]


def outcome(check: str, status: str, operation: str = "-") -> Outcome:
    return Outcome("balance", "R3", check, operation, status, 0.0)


def clean_outcomes(**statuses: str) -> list[Outcome]:
    return [outcome(name, statuses.get(name, PASS)) for name in registered_checks()]


def test_a_fault_is_caught_only_by_its_own_check() -> None:
    assert judge(FAULT, [outcome(FAULT.caught_by, FAIL)], 0.0, "").ok
    other = judge(FAULT, [outcome(FAULT.caught_by, PASS), outcome("check_entry_lifecycle", FAIL)], 0.0, "")
    assert not other.ok and other.failed_checks == ["check_entry_lifecycle"]


def test_the_clean_run_passes_every_check() -> None:
    assert judge_clean(clean_outcomes(), 0.0, "").ok
    failed = judge_clean(clean_outcomes(check_limit_bounds=FAIL), 0.0, "")
    assert not failed.ok and failed.problems == ["check_limit_bounds failed"]


def test_a_check_that_skips_every_target_fails_the_clean_run() -> None:
    outcomes = clean_outcomes() + [outcome("check_limit_bounds", SKIP, "GET /a")]
    assert judge_clean(outcomes, 0.0, "").ok          # skipped on one target, passed on another
    skipped = judge_clean(clean_outcomes(check_limit_bounds=SKIP), 0.0, "")
    assert not skipped.ok and skipped.problems == ["check_limit_bounds skipped on every target"]


def test_a_check_that_did_not_run_fails_the_clean_run() -> None:
    outcomes = [o for o in clean_outcomes() if o.check != "check_limit_bounds"]
    assert judge_clean(outcomes, 0.0, "").problems == ["check_limit_bounds did not run"]


def test_proven_needs_the_clean_pass_and_the_named_failure() -> None:
    caught = judge(FAULT, [outcome(FAULT.caught_by, FAIL)], 0.0, "")
    assert proven_checks(judge_clean(clean_outcomes(), 0.0, ""), [caught]) == {FAULT.caught_by}
    spoiled = judge_clean(clean_outcomes(**{FAULT.caught_by: FAIL}), 0.0, "")
    assert proven_checks(spoiled, [caught]) == set()


def test_the_matrix_marks_the_named_check() -> None:
    out = io.StringIO()
    missed = judge(FAULT, [outcome(FAULT.caught_by, PASS), outcome("check_entry_lifecycle", FAIL)], 0.0, "")
    print_matrix(list(registered_checks()), judge_clean(clean_outcomes(), 0.0, ""), [missed], out)
    rows = {line.split()[0]: line.split()[1:] for line in out.getvalue().splitlines() if line.startswith("check_")}
    assert rows[FAULT.caught_by] == ["ok", "!"]
    assert rows["check_entry_lifecycle"] == ["ok", "x"]


def test_every_server_fault_makes_a_rewrite() -> None:
    import inspect
    from faults.catalog import SERVER_FAULTS, transform_for
    for fault in SERVER_FAULTS:
        assert inspect.iscoroutinefunction(transform_for(fault.name, "mcp_at_token")), fault.name
    assert transform_for("none", "mcp_at_token") is None
