"""The suite proves itself: the clean sandbox passes every check, and every check fails, by name, under a
fault made for it. Prints the matrix of checks and faults and `checks proven: N/N`.

`python -m faults.selftest [--all-rules] [--fault NAME ...]`
"""
from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from conformance.selection import CHECKS
from conformance.config import PROFILES, RULE_NAMES, RunConfig
from conformance.main import run
from conformance.report import print_failures
from conformance.runner import ERROR, FAIL, PASS, SKIP, Outcome
from conformance.sandbox import sandbox_credentials
from faults.catalog import FAULTS, FAULTS_BY_NAME, Fault
from faults.checks import registered_checks, rule_of
from faults.contracts import faulty_contract
from faults.matrix import print_matrix
from faults.serve import FaultServers

CLEAN = "none"
# Checks the clean sandbox may skip on every target, with the reason it cannot give them what they need.
SKIPS_ALLOWED: dict[str, str] = {}
# Checks that judge the answers the other checks of their rule received: run with the whole rule.
READS_THE_RULES_ANSWERS: frozenset[str] = frozenset()


@dataclass
class Verdict:
    name: str
    fault: Fault | None
    outcomes: list[Outcome]
    ok: bool
    seconds: float
    log: str
    problems: list[str] = field(default_factory=list)

    def checks_with(self, *statuses: str) -> list[str]:
        return sorted({o.check for o in self.outcomes if o.status in statuses})

    @property
    def failed_checks(self) -> list[str]:
        return self.checks_with(FAIL, ERROR)


def run_against(base_url: str, credentials: dict, rules: tuple[str, ...], seed: int,
                contract: Path | None = None, checks: frozenset[str] = frozenset()) -> tuple[list[Outcome], str]:
    config = RunConfig(base_url=base_url, token=credentials["accessToken"], company_id=credentials.get("companyId"),
                       other_token=credentials.get("otherFirmAccessToken"),
                       other_company_id=credentials.get("otherCompanyId"), api_key=credentials.get("apiKey"),
                       organization_id=credentials.get("organizationId"), profile=PROFILES["quick"], rules=rules,
                       seed=seed, extra={CHECKS: checks}, **({"contract_path": contract} if contract else {}))
    out = io.StringIO()
    outcomes = run(config, out)
    print_failures(outcomes, out)
    return outcomes, out.getvalue()


def always_skipped(outcomes: list[Outcome]) -> list[str]:
    """Checks every outcome of which is a skip."""
    statuses: dict[str, set[str]] = {}
    for outcome in outcomes:
        statuses.setdefault(outcome.check, set()).add(outcome.status)
    return sorted(check for check, seen in statuses.items() if seen == {SKIP})


def judge_clean(outcomes: list[Outcome], seconds: float, log: str) -> Verdict:
    verdict = Verdict("(clean sandbox)", None, outcomes, True, seconds, log)
    verdict.problems += [f"{check} failed" for check in verdict.failed_checks]
    verdict.problems += [f"{check} skipped on every target" for check in always_skipped(outcomes)
                         if check not in SKIPS_ALLOWED]
    ran = {o.check for o in outcomes}
    verdict.problems += [f"{name} did not run" for name in registered_checks() if name not in ran]
    verdict.ok = not verdict.problems and any(o.status == PASS for o in outcomes)
    return verdict


def judge(fault: Fault, outcomes: list[Outcome], seconds: float, log: str) -> Verdict:
    """A fault is caught when its named check fails; another check failing does not count."""
    caught = any(o.check == fault.caught_by and o.status == FAIL for o in outcomes)
    problems = [] if caught else [f"{fault.caught_by} did not fail"]
    return Verdict(fault.name, fault, outcomes, caught, seconds, log, problems)


def check_one(fault: Fault | None, base_url: str, credentials: dict, all_rules: bool, seed: int) -> Verdict:
    started = time.monotonic()
    rules = RULE_NAMES if all_rules or fault is None else (rule_of(fault.caught_by),)
    # Without --all-rules a fault is run against its named check alone, unless that check reads what the
    # rule's other checks did.
    alone = fault is not None and not all_rules and fault.caught_by not in READS_THE_RULES_ANSWERS
    checks = frozenset({fault.caught_by}) if alone else frozenset()
    with tempfile.TemporaryDirectory(prefix="ledgerhq-faulty-contract-") as folder:
        contract = faulty_contract(fault.name, Path(folder)) if fault is not None and fault.is_contract else None
        try:
            outcomes, log = run_against(base_url, credentials, rules, seed, contract, checks)
        except (Exception, BaseExceptionGroup) as error:     # a crashed run proves nothing; the others go on
            outcomes, log = [], "the run crashed:\n" + "".join(traceback.format_exception(error))
    seconds = time.monotonic() - started
    verdict = judge_clean(outcomes, seconds, log) if fault is None else judge(fault, outcomes, seconds, log)
    if not outcomes:
        verdict.ok, verdict.problems = False, verdict.problems + ["the run crashed"]
    return verdict


def proven_checks(clean: Verdict, verdicts: list[Verdict]) -> set[str]:
    """Checks the clean sandbox passes and a fault naming them fails."""
    spoiled = set(clean.failed_checks) | {c for c in always_skipped(clean.outcomes) if c not in SKIPS_ALLOWED}
    return {v.fault.caught_by for v in verdicts if v.ok and v.fault} - spoiled


def check_all(faults: list[Fault], credentials: dict, all_rules: bool, seed: int, out=sys.stdout) -> int:
    """Every fault and the clean sandbox, each on a fresh sandbox of its own, served by one process."""
    verdicts: list[Verdict] = []
    with FaultServers([CLEAN] + [fault.name for fault in faults], credentials["accessToken"]) as servers:
        for fault in [None] + faults:
            verdict = check_one(fault, servers.base_url[fault.name if fault else CLEAN], credentials, all_rules,
                                seed)
            print(f"{verdict.name}: {'ok' if verdict.ok else 'WRONG ' + '; '.join(verdict.problems)} "
                  f"({verdict.seconds:.1f}s)", file=out, flush=True)
            if not verdict.ok:
                print(verdict.log[-6000:], file=out)
            verdicts.append(verdict)
    clean, faulty = verdicts[0], verdicts[1:]
    checks = registered_checks()
    print_matrix(list(checks), clean, faulty, out)
    proven = proven_checks(clean, faulty)
    whole = len(faults) == len(FAULTS)
    unproven = [name for name in checks if name not in proven] if whole else []
    print(f"\nchecks proven: {len(proven)}/{len(checks)}" + (f" (not proven: {', '.join(unproven)})" if unproven
                                                             else "" if whole else " (a part of the faults run)"),
          file=out)
    return 0 if clean.ok and all(v.ok for v in faulty) and not unproven else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--all-rules", action="store_true", help="run the whole suite against every fault")
    parser.add_argument("--fault", action="append", choices=sorted(FAULTS_BY_NAME), help="only these faults")
    parser.add_argument("--seed", type=int, default=20261125)
    args = parser.parse_args(argv)
    faults = [FAULTS_BY_NAME[name] for name in args.fault] if args.fault else list(FAULTS)
    return check_all(faults, sandbox_credentials(), args.all_rules, args.seed)


if __name__ == "__main__":
    sys.exit(main())
