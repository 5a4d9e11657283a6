"""The suite proves itself: it passes the clean sandbox and fails each faulty server, naming the rule.

`python -m conformance.faults.selftest [--all-rules] [--fault NAME ...]`
"""
from __future__ import annotations

import argparse
import io
import sys
import time
from dataclasses import dataclass

from conformance.config import PROFILES, RULE_NAMES, RunConfig
from conformance.faults.catalog import FAULTS, FAULTS_BY_NAME, Fault
from conformance.faults.serve import FaultServer
from conformance.main import run
from conformance.report import print_failures
from conformance.runner import ERROR, FAIL, PASS, Outcome
from conformance.sandbox import sandbox_credentials

CLEAN_RULES = tuple(name for name in RULE_NAMES if name != "contract")


@dataclass
class Verdict:
    name: str
    breaks: str
    expected_check: str
    failed_checks: list[str]
    failed_rules: list[str]
    ok: bool
    seconds: float
    log: str


def run_against(base_url: str, credentials: dict, rules: tuple[str, ...], seed: int) -> tuple[list[Outcome], str]:
    config = RunConfig(base_url=base_url, token=credentials["accessToken"], company_id=credentials.get("companyId"),
                       other_token=credentials.get("otherFirmAccessToken"),
                       other_company_id=credentials.get("otherCompanyId"), api_key=credentials.get("apiKey"),
                       organization_id=credentials.get("organizationId"), profile=PROFILES["quick"], rules=rules,
                       seed=seed)
    out = io.StringIO()
    outcomes = run(config, out)
    print_failures(outcomes, out)
    return outcomes, out.getvalue()


def judge(fault: Fault | None, outcomes: list[Outcome], seconds: float, log: str) -> Verdict:
    failed = [o for o in outcomes if o.status in (FAIL, ERROR)]
    failed_checks = sorted({o.check for o in failed})
    failed_rules = sorted({o.rule_id for o in failed})
    if fault is None:
        ok = not failed and any(o.status == PASS for o in outcomes)
        return Verdict("(clean sandbox)", "-", "-", failed_checks, failed_rules, ok, seconds, log)
    ok = any(o.rule_id == fault.breaks and o.status == FAIL for o in outcomes)
    return Verdict(fault.name, fault.breaks, fault.caught_by, failed_checks, failed_rules, ok, seconds, log)


def check_one(fault: Fault | None, credentials: dict, all_rules: bool, seed: int) -> Verdict:
    started = time.monotonic()
    rules = RULE_NAMES if all_rules else (CLEAN_RULES if fault is None else (fault.rule_module,))
    with FaultServer(fault.name if fault else "none", credentials["accessToken"]) as server:
        outcomes, log = run_against(server.base_url, credentials, rules, seed)
    return judge(fault, outcomes, time.monotonic() - started, log)


def print_verdicts(verdicts: list[Verdict], out=sys.stdout) -> None:
    print(f"\n{'fault':34} {'breaks':6} {'result':6} {'expected check':40} caught by (checks that failed) [rules]",
          file=out)
    print("-" * 150, file=out)
    for v in verdicts:
        caught = ", ".join(v.failed_checks) or "-"
        rules = f" [{', '.join(v.failed_rules)}]" if v.failed_rules else ""
        print(f"{v.name:34} {v.breaks:6} {'ok' if v.ok else 'WRONG':6} {v.expected_check:40} {caught}{rules}",
              file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--all-rules", action="store_true", help="run the whole suite against every fault")
    parser.add_argument("--fault", action="append", choices=sorted(FAULTS_BY_NAME), help="only these faults")
    parser.add_argument("--seed", type=int, default=20261125)
    args = parser.parse_args(argv)
    credentials = sandbox_credentials()
    faults = [FAULTS_BY_NAME[name] for name in args.fault] if args.fault else list(FAULTS)
    verdicts = []
    for fault in [None] + faults:
        verdict = check_one(fault, credentials, args.all_rules, args.seed)
        print(f"{verdict.name}: {'ok' if verdict.ok else 'WRONG'} ({verdict.seconds:.1f}s)", flush=True)
        if not verdict.ok:
            print(verdict.log[-6000:])
        verdicts.append(verdict)
    print_verdicts(verdicts)
    return 0 if all(v.ok for v in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
