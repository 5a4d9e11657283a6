"""One conformance run: load the contract, run the selected rules, print and write the results."""
from __future__ import annotations

import time
from pathlib import Path
from typing import TextIO

import httpx

from conformance.config import RULE_IDS, RULE_NAMES, RunConfig
from conformance.contract_map import Contract
from conformance.registry import checks_for
from conformance.report import print_failures, print_skips, print_table, write_junit
from conformance.runner import Outcome, Progress, run_checks
from conformance.suite import Suite

CONTRACT_URL_PATH = "/api/openapi.json"


def load_contract(config: RunConfig) -> tuple[Contract, Path]:
    """The contract file given, else the one the implementation serves."""
    if config.contract_path.exists():
        return Contract.load(config.contract_path), config.contract_path
    served = httpx.get(config.base_url.rstrip("/") + CONTRACT_URL_PATH, timeout=config.request_timeout_s)
    served.raise_for_status()
    path = Path("/tmp") / f"ledgerhq-contract-{config.seed}.json"
    path.write_text(served.text)
    return Contract.load(path), path


def run(config: RunConfig, out: TextIO) -> list[Outcome]:
    contract, path = load_contract(config)
    config = RunConfig(**{**{f: getattr(config, f) for f in config.__dataclass_fields__}, "contract_path": path})
    suite = Suite(config, contract)
    try:
        checks = checks_for(config.rules, config.profile.name, RULE_NAMES)
        print(f"Checking {config.base_url} against {path} ({len(contract.partner_operations())} partner operations)"
              f"\nprofile {config.profile.name}, rules {', '.join(f'{r} ({RULE_IDS[r]})' for r in config.rules)}, "
              f"seed {config.seed}, {len(checks)} checks", file=out, flush=True)
        return run_checks(suite, checks, Progress(out))
    finally:
        suite.close()


def run_and_report(config: RunConfig, report: Path | None, out: TextIO) -> int:
    from conformance.cli import exit_status
    started = time.monotonic()
    outcomes = run(config, out)
    print_table(outcomes, out)
    print_skips(outcomes, out)
    print_failures(outcomes, out)
    if report:
        write_junit(outcomes, report, config.seed)
        print(f"JUnit XML written to {report}", file=out)
    status = exit_status(outcomes)
    passed = sum(o.status == "pass" for o in outcomes)
    failed = sum(o.status in ("FAIL", "ERROR") for o in outcomes)
    print(f"\n{len(outcomes)} checks run in {time.monotonic() - started:.1f}s: {passed} passed, {failed} failed, "
          f"{len(outcomes) - passed - failed} skipped (seed {config.seed}, "
          f"rerun with --seed {config.seed})", file=out)
    return status
