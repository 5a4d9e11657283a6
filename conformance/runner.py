"""Runs registered checks one target at a time, printing progress, and keeps every outcome."""
from __future__ import annotations

import sys
import time
import traceback
from dataclasses import dataclass, field
from typing import Callable, TextIO

from conformance.causes import first_symptom, minimal_sequence
from conformance.failures import Failure, Skip
from conformance.selection import selected_targets
from conformance.registry import RegisteredCheck
from conformance.suite import Suite

PASS, FAIL, SKIP, ERROR = "pass", "FAIL", "skip", "ERROR"


@dataclass
class Outcome:
    rule: str
    rule_id: str
    check: str
    operation: str
    status: str
    seconds: float
    failures: list[Failure] = field(default_factory=list)
    reason: str = ""


@dataclass
class Progress:
    """Plain lines, one per outcome (logs, pipes); `quiet`: failures only."""
    out: TextIO = sys.stdout
    done: int = 0
    quiet: bool = False
    redact: Callable[[str], str] = str

    def start(self, total_checks: int) -> None:
        pass

    def begin(self, check: RegisteredCheck, operation: str) -> None:
        pass

    def check_done(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def line(self, outcome: Outcome) -> str:
        mark = {PASS: ".", FAIL: "F", SKIP: "s", ERROR: "E"}[outcome.status]
        label = f"{outcome.rule_id} {outcome.check}" + (f" [{outcome.operation}]" if outcome.operation != "-" else "")
        extra = f"  ({outcome.reason})" if outcome.reason and outcome.status != PASS else ""
        return self.redact(f"  {mark} {outcome.status:5} {outcome.seconds:6.2f}s  {label}{extra}")

    def show(self, outcome: Outcome) -> None:
        self.done += 1
        if self.quiet and outcome.status not in (FAIL, ERROR):
            return
        print(self.line(outcome), file=self.out, flush=True)


def run_one(suite: Suite, check: RegisteredCheck, target, call: Callable[[], None]) -> Outcome:
    operation = getattr(target, "label", str(target)) if target is not None else "-"
    outcome = Outcome(check.rule, check.rule_id, check.name, operation, PASS, 0.0)
    started = time.monotonic()
    seen: list = []
    suite.api.observers.append(seen.append)
    try:
        call()
    except Skip as skip:
        outcome.status, outcome.reason = SKIP, skip.reason
    except Failure as failure:
        for one in [failure] + failure.also:
            one.rule, one.check, one.seed = check.rule_id, check.name, suite.seed
            one.operation = one.operation or (operation if operation != "-" else None)
        outcome.status, outcome.failures = FAIL, [failure] + failure.also
        outcome.reason = failure.message.splitlines()[0]
    except Exception as error:   # a broken response the check did not foresee is a failure, not a pass
        outcome.status, outcome.reason = ERROR, f"{type(error).__name__}: {error}"
        outcome.failures = [as_failure(suite, check, operation, error)]
    finally:
        suite.api.observers.remove(seen.append)
    for failure in outcome.failures:
        failure.sequence = [exchange.curl() for exchange in minimal_sequence(seen, failure.exchange)]
        failure.symptom = failure.symptom or first_symptom(seen)
    outcome.seconds = time.monotonic() - started
    return outcome


def as_failure(suite: Suite, check: RegisteredCheck, operation: str, error: Exception) -> Failure:
    last = suite.api.history[-1] if suite.api.history else None
    failure = Failure(f"{type(error).__name__}: {error}\n{traceback.format_exc(limit=4)}", last)
    failure.kind = "check crashed on an unexpected response"
    failure.rule, failure.check, failure.seed, failure.operation = check.rule_id, check.name, suite.seed, operation
    return failure


def targets_of(suite: Suite, check: RegisteredCheck) -> list:
    if check.targets is None:
        return [None]
    return selected_targets(suite.config.extra, check.targets(suite))


def run_checks(suite: Suite, checks: list[RegisteredCheck], progress: Progress) -> list[Outcome]:
    outcomes: list[Outcome] = []

    def record(outcome: Outcome) -> None:
        outcomes.append(outcome)
        progress.show(outcome)

    progress.start(len(checks))
    for check in checks:
        progress.begin(check, "-")
        try:
            targets = targets_of(suite, check)
        except Exception as error:         # a set-up failure or Skip becomes this check's outcome
            record(run_one(suite, check, None, lambda error=error: _raise(error)))
            progress.check_done()
            continue
        if not targets:
            record(Outcome(check.rule, check.rule_id, check.name, "-", SKIP, 0.0,
                           reason="the contract gives this check no operation to run against"))
            progress.check_done()
            continue
        for target in targets:
            progress.begin(check, getattr(target, "label", str(target)) if target is not None else "-")
            call = (lambda: check.function(suite)) if target is None else (lambda t=target: check.function(suite, t))
            record(run_one(suite, check, target, call))
        progress.check_done()
    progress.stop()
    return outcomes


def _raise(error: BaseException) -> None:
    raise error
