"""Adopting the gate step by step: --include-operation / --exclude-operation, --baseline / --write-baseline."""
from __future__ import annotations

import argparse
import io
import json

import pytest

from conformance import baseline, selection
from conformance.cli import EXIT_PASSED, EXIT_VIOLATIONS, main
from conformance.config import DEFAULT_CONTRACT_PATH
from conformance.contract_map import Contract
from conformance.registry import build_registry
from conformance.runner import FAIL, PASS, Outcome
from conformance.sandbox import sandbox_credentials
from faults.serve import FaultServers


def parsed(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    selection.add_arguments(parser)
    baseline.add_arguments(parser)
    return parser.parse_args(list(argv))


def contract() -> Contract:
    return Contract.load(DEFAULT_CONTRACT_PATH)


def test_operations_are_selected_by_operation_id_or_tag_and_excluded_after():
    extra = selection.from_args(parsed("--include-operation", "getEntry,bankActions",
                                       "--exclude-operation", "voidEntry", "--exclude-operation", "splitBankTransaction"))
    chosen = {op.operation_id for op in contract().partner_operations() if selection.is_selected(extra, op)}
    assert chosen == {"getEntry", "excludeBankTransaction", "matchBankTransaction", "reclassifyBankTransaction",
                      "reconcileBankTransaction"}
    everything = selection.from_args(parsed())
    assert all(selection.is_selected(everything, op) for op in contract().partner_operations())


def test_whole_ledger_checks_run_only_without_an_include():
    checks = list(build_registry().checks)
    narrowed = selection.selected_checks(selection.from_args(parsed("--include-operation", "getEntry")), checks)
    assert narrowed and all(check.targets is not None for check in narrowed)
    excluded = selection.selected_checks(selection.from_args(parsed("--exclude-operation", "getEntry")), checks)
    assert excluded == checks


def test_check_option_runs_only_the_checks_named():
    checks = list(build_registry().checks)
    named = selection.from_args(parsed("--check", "check_replay_posts_once,check_bad_credential_is_401",
                                       "--check", "check_missing_key_refused"))
    assert {check.name for check in selection.selected_checks(named, checks)} == {
        "check_replay_posts_once", "check_bad_credential_is_401", "check_missing_key_refused"}
    narrowed = selection.from_args(parsed("--check", "check_replay_posts_once", "--include-operation", "getEntry"))
    assert [check.name for check in selection.selected_checks(narrowed, checks)] == ["check_replay_posts_once"]
    assert selection.selected_checks(selection.from_args(parsed()), checks) == checks
    assert selection.unknown_checks(selection.from_args(parsed("--check", "check_replay_posts_onc")),
                                    (check.name for check in checks)) == ["check_replay_posts_onc"]


def test_a_name_no_operation_has_is_reported():
    extra = selection.from_args(parsed("--include-operation", "getEntry,getEntyr"))
    assert selection.unknown_names(extra, contract().partner_operations()) == ["getEntyr"]


def outcome(check: str, status: str, operation: str = "-") -> Outcome:
    return Outcome("edges", "R9", check, operation, status, 0.0, reason=f"{check} broke")


def test_known_violations_do_not_fail_new_ones_do(tmp_path):
    path = tmp_path / "baseline.json"
    first = [outcome("check_a", FAIL, "GET /x"), outcome("check_b", PASS), outcome("check_c", FAIL)]
    out = io.StringIO()
    written = baseline.apply(baseline.from_args(parsed("--baseline", str(path), "--write-baseline")), first, out)
    assert not [o for o in written if o.status == FAIL]
    assert json.loads(path.read_text())["violations"][0] == {"rule": "R9", "check": "check_a", "operation": "GET /x"}
    second = [outcome("check_a", FAIL, "GET /x"), outcome("check_a", FAIL, "GET /y"), outcome("check_c", PASS)]
    kept = baseline.apply(baseline.from_args(parsed("--baseline", str(path))), second, out)
    assert [(o.operation, o.status) for o in kept if o.check == "check_a"] == [("GET /x", "skip"), ("GET /y", FAIL)]
    assert "known violation" in kept[0].reason
    assert "1 known violations (not failing the run), 1 new, 1 gone" in out.getvalue()


def test_write_baseline_needs_a_file_and_a_bad_file_is_refused(tmp_path):
    with pytest.raises(SystemExit):
        baseline.from_args(parsed("--write-baseline"))
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    with pytest.raises(SystemExit):
        baseline.apply(baseline.from_args(parsed("--baseline", str(bad))), [], io.StringIO())


def run_cli(base_url: str, credentials: dict, *extra: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(["--base-url", base_url, "--token", credentials["accessToken"], "--rules", "edges",
                   "--seed", "7", *extra], out)
    return status, out.getvalue()


@pytest.mark.slow
def test_a_team_gates_on_nothing_new(tmp_path):
    credentials, path = sandbox_credentials(), tmp_path / "known.json"
    with FaultServers(["undeclared_header_sent", "trailing_slash_stripped"], credentials["accessToken"]) as servers:
        known, other = servers.base_url["undeclared_header_sent"], servers.base_url["trailing_slash_stripped"]
        status, log = run_cli(known, credentials)
        assert status == EXIT_VIOLATIONS, log[-3000:]
        status, log = run_cli(known, credentials, "--baseline", str(path), "--write-baseline")
        assert status == EXIT_PASSED, log[-3000:]
        status, log = run_cli(known, credentials, "--baseline", str(path))
        assert status == EXIT_PASSED and "check_only_declared_headers" in log, log[-3000:]
        status, log = run_cli(other, credentials, "--baseline", str(path))
        assert status == EXIT_VIOLATIONS and "check_impossible_ids_refused" in log, log[-3000:]


def test_a_failed_run_prints_how_to_rerun_its_failures_alone():
    from datetime import datetime, timezone
    from conformance.config import RunConfig
    from conformance.main import print_summary
    from conformance.report_files import RunResult
    config = RunConfig(base_url="http://127.0.0.1:9", token="t", seed=42)
    outcomes = [outcome("check_b", FAIL, "GET /x"), outcome("check_a", PASS), outcome("check_c", FAIL)]
    out = io.StringIO()
    print_summary(RunResult(config, outcomes, {}, {}, datetime.now(timezone.utc), 1.0), out)
    assert "rerun the failing checks alone: --seed 42 --check check_b,check_c" in out.getvalue()
    passed = io.StringIO()
    print_summary(RunResult(config, [outcome("check_a", PASS)], {}, {}, datetime.now(timezone.utc), 1.0), passed)
    assert "--check" not in passed.getvalue()
