"""One conformance run: load the contract, run the selected rules, clean up, print and write the results."""
from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import TextIO

import httpx

from conformance import baseline, selection
from conformance.config import RULE_IDS, RULE_NAMES, RunConfig
from conformance.contract_map import Contract
from conformance.coverage import Coverage
from conformance.footprint import finish, observer_for
from conformance.redact import Redactor, secrets_of
from conformance.registry import checks_for
from conformance.report import print_failures, print_footprint, print_skips, print_table, write_junit
from conformance.report_files import RunResult, now_utc, summary_of, write_report_dir
from conformance.runner import ERROR, FAIL, Outcome, Progress, run_checks
from conformance.suite import Suite

CONTRACT_URL_PATH = "/api/openapi.json"


def load_contract(config: RunConfig) -> tuple[Contract, Path]:
    """The contract file given, else the one the implementation serves."""
    if config.contract_path.exists():
        return Contract.load(config.contract_path), config.contract_path
    served = httpx.get(config.base_url.rstrip("/") + CONTRACT_URL_PATH, timeout=config.request_timeout_s)
    served.raise_for_status()
    with tempfile.NamedTemporaryFile("w", suffix=".json", prefix="ledgerhq-contract-", delete=False) as handle:
        handle.write(served.text)
    return Contract.load(Path(handle.name)), Path(handle.name)


def run_full(config: RunConfig, out: TextIO, progress: Progress | None = None) -> RunResult:
    started_at, started = now_utc(), time.monotonic()
    contract, path = load_contract(config)
    config = RunConfig(**{**{f: getattr(config, f) for f in config.__dataclass_fields__}, "contract_path": path})
    unknown = selection.unknown_names(config.extra, contract.partner_operations())
    if unknown:
        raise SystemExit(f"no operation has the operationId or tag {', '.join(unknown)}")
    suite = Suite(config, contract)
    coverage = Coverage(contract)
    suite.cache.coverage = coverage
    for api in (suite.api, suite.other_api):
        if api is not None:
            api.observers.append(coverage.observe)
    suite.api.observers.append(observer_for(suite))
    try:
        checks = selection.selected_checks(config.extra, checks_for(config.rules, config.profile.name, RULE_NAMES))
        print(f"Checking {config.base_url} against {path} ({len(contract.partner_operations())} partner operations)"
              f"\nprofile {config.profile.name}, rules {', '.join(f'{r} ({RULE_IDS[r]})' for r in config.rules)}, "
              f"seed {config.seed}, {len(checks)} checks", file=out, flush=True)
        outcomes = run_checks(suite, checks, progress or Progress(out, redact=Redactor(secrets_of(config))))
        footprint = finish(suite).as_json()
    finally:
        suite.close()
    return RunResult(config, outcomes, {"summary": coverage.summary(), "operations": coverage.rows()}, footprint,
                     started_at, time.monotonic() - started, check_functions=len(checks))


def run(config: RunConfig, out: TextIO) -> list[Outcome]:
    return run_full(config, out).outcomes


def print_summary(result: RunResult, out: TextIO) -> None:
    s, seed = summary_of(result.outcomes, result.check_functions), result.config.seed
    broken = f"; rules broken: {', '.join(s['rulesBroken'])}; {s['rootCauses']} root cause(s) of " \
             f"{s['violations']} violation(s)" if s["rulesBroken"] else ""
    print(f"\n{s['checks']} results of {s['checkFunctions']} checks in {result.seconds:.1f}s: {s['passed']} passed, "
          f"{s['failed']} failed, "
          f"{s['skipped']} skipped{broken} (seed {seed}, rerun with --seed {seed})", file=out)
    failed = sorted({o.check for o in result.outcomes if o.status in (FAIL, ERROR)})
    if failed:
        print(f"rerun the failing checks alone: --seed {seed} --check {','.join(failed)}", file=out)


def run_and_report(config: RunConfig, out: TextIO, *, report: Path | None = None, report_dir: Path | None = None,
                   quiet: bool = False, progress: Progress | None = None) -> int:
    from conformance.cli import exit_status
    redact = Redactor(secrets_of(config))
    result = run_full(config, out, progress or Progress(out, quiet=quiet, redact=redact))
    result.outcomes = baseline.apply(config.extra, result.outcomes, out)
    result.exit_code = exit_status(result.outcomes)
    print_table(result.outcomes, out, redact)
    if not quiet:
        print_skips(result.outcomes, out, redact)
        print_footprint(result.footprint, out)
    print_failures(result.outcomes, out, redact)
    if report:
        write_junit(result.outcomes, report, config.seed, redact)
        print(f"JUnit XML written to {report} (--report is deprecated: use --report-dir)", file=out)
    if report_dir:
        paths = write_report_dir(result, report_dir, redact)
        print(f"Reports written: {', '.join(str(p) for p in paths.values())}", file=out)
    print_summary(result, out)
    return result.exit_code
