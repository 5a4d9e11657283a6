"""The self-test's matrix: one row per registered check, one column per fault, and what each check did."""
from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from conformance.runner import ERROR, FAIL, PASS, SKIP

if TYPE_CHECKING:
    from faults.selftest import Verdict

LEGEND = ("X the fault's own check failed (proven)   ! the fault's own check passed (not proven)   "
          "x failed too   . passed   s skipped   (blank) not run")


def cell(check: str, verdict: "Verdict") -> str:
    statuses = {o.status for o in verdict.outcomes if o.check == check}
    failed = bool(statuses & {FAIL, ERROR})
    if verdict.fault is not None and verdict.fault.caught_by == check:
        return "X" if verdict.ok else "!"
    if failed:
        return "x"
    return "." if PASS in statuses else "s" if SKIP in statuses else " "


def clean_cell(check: str, clean: "Verdict") -> str:
    statuses = {o.status for o in clean.outcomes if o.check == check}
    if statuses & {FAIL, ERROR}:
        return "F"
    return "ok" if PASS in statuses else "s" if SKIP in statuses else "-"


def print_matrix(checks: list[str], clean: "Verdict", faulty: list["Verdict"], out: TextIO) -> None:
    width = max(len(name) for name in checks)
    numbers = [f"{index:>2}" for index in range(1, len(faulty) + 1)]
    print(f"\n{'check':{width}} clean {' '.join(n[0] for n in numbers)}", file=out)
    print(f"{'':{width}}       {' '.join(n[1] for n in numbers)}", file=out)
    for check in checks:
        print(f"{check:{width}} {clean_cell(check, clean):5} {' '.join(cell(check, v) for v in faulty)}", file=out)
    print(LEGEND, file=out)
    for index, verdict in enumerate(faulty, 1):
        fault = verdict.fault
        print(f"{index:>3} {fault.name:40} {fault.breaks:4} {fault.caught_by:45} "
              f"{'ok' if verdict.ok else 'WRONG'} {verdict.seconds:5.1f}s", file=out)
