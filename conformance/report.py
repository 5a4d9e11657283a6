"""The terminal report: the table of rules and operations, the root causes in full, the footprint,
and JUnit XML for CI. Every text goes through the run's redactor."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Callable, TextIO

from conformance.causes import Cause, root_causes
from conformance.failures import Failure
from conformance.runner import ERROR, FAIL, PASS, SKIP, Outcome

CHECK_WIDTH_MAX = 60
Redact = Callable[[str], str]


def all_failures(outcomes: list[Outcome]) -> list[Failure]:
    return [failure for outcome in outcomes for failure in outcome.failures]


def causes_of(outcomes: list[Outcome]) -> list[Cause]:
    return root_causes(all_failures(outcomes))


def print_table(outcomes: list[Outcome], out: TextIO, redact: Redact = str) -> None:
    """Operation names in full: the column is as wide as the longest one."""
    check_width = min(CHECK_WIDTH_MAX, max([len(o.check) for o in outcomes] + [5]))
    operation_width = max([len(o.operation) for o in outcomes] + [9])
    print(f"\nRule  {'Check':{check_width}} {'Operation':{operation_width}} Result", file=out)
    print("-" * (6 + check_width + 1 + operation_width + 7), file=out)
    for o in outcomes:
        print(redact(f"{o.rule_id:5} {o.check[:check_width]:{check_width}} {o.operation:{operation_width}} "
                     f"{o.status}"), file=out)
    print(file=out)
    print_rule_summary(outcomes, out)


def rule_counts(outcomes: list[Outcome]) -> list[dict]:
    rows = []
    for rule_id, rule in sorted({(o.rule_id, o.rule) for o in outcomes}):
        counts = Counter(o.status for o in outcomes if o.rule_id == rule_id)
        verdict = "FAIL" if counts[FAIL] or counts[ERROR] else "pass" if counts[PASS] else "not run"
        rows.append({"rule": rule_id, "name": rule, "passed": counts[PASS], "failed": counts[FAIL] + counts[ERROR],
                     "skipped": counts[SKIP], "verdict": verdict})
    return rows


def print_rule_summary(outcomes: list[Outcome], out: TextIO) -> None:
    print("Rule  Name          pass  fail  skip", file=out)
    for row in rule_counts(outcomes):
        print(f"{row['rule']:5} {row['name']:12} {row['passed']:5} {row['failed']:5} {row['skipped']:5}   "
              f"{row['verdict']}", file=out)


def describe_cause(number: int, cause: Cause) -> str:
    lines = [f"{number}. {cause.headline()}", cause.head.describe()]
    if len(cause.operations) > 1:
        lines.append("  also on: " + ", ".join(cause.operations[1:]))
    for dependent in cause.dependents[:10]:
        lines.append(f"  listed under this cause: [{dependent.rule}] {dependent.check} "
                     f"({dependent.kind}{', ' + dependent.operation if dependent.operation else ''})")
    if len(cause.dependents) > 10:
        lines.append(f"  ... and {len(cause.dependents) - 10} more listed under this cause")
    return "\n".join(lines)


def print_failures(outcomes: list[Outcome], out: TextIO, redact: Redact = str) -> None:
    """Root causes, each with its headline, curl sequence, X-Request-Id and seed."""
    failed = all_failures(outcomes)
    if not failed:
        return
    causes = root_causes(failed)
    print(f"\n{len(failed)} violation(s) from {len(causes)} root cause(s):\n", file=out)
    for number, cause in enumerate(causes, start=1):
        print(redact(describe_cause(number, cause)) + "\n", file=out)


def print_skips(outcomes: list[Outcome], out: TextIO, redact: Redact = str) -> None:
    reasons = Counter((o.rule_id, o.check, o.reason) for o in outcomes if o.status == SKIP)
    if reasons:
        print("Skipped, with reasons:", file=out)
        for (rule_id, check, reason), count in sorted(reasons.items()):
            print(redact(f"  {rule_id} {check}: {reason}" + (f" (x{count})" if count > 1 else "")), file=out)


def print_footprint(footprint: dict, out: TextIO) -> None:
    left = Counter((row["kind"], row["reason"]) for row in footprint["leftBehind"])
    print(f"Footprint: {len(footprint['created'])} made, {len(footprint['removed'])} removed, "
          f"{len(footprint['reusedAccounts'])} accounts reused from an earlier run", file=out)
    for (kind, reason), count in sorted(left.items()):
        print(f"  left behind: {count} x {kind} ({reason})", file=out)
    for note in footprint["notes"]:
        print(f"  note: {note}", file=out)


def write_junit(outcomes: list[Outcome], path: Path, seed: int, redact: Redact = str) -> None:
    suites = ET.Element("testsuites", name="ledgerhq-conformance")
    for rule_id in sorted({o.rule_id for o in outcomes}):
        mine = [o for o in outcomes if o.rule_id == rule_id]
        suite = ET.SubElement(suites, "testsuite", name=f"{rule_id} {mine[0].rule}", tests=str(len(mine)),
                              failures=str(sum(o.status == FAIL for o in mine)),
                              errors=str(sum(o.status == ERROR for o in mine)),
                              skipped=str(sum(o.status == SKIP for o in mine)),
                              time=f"{sum(o.seconds for o in mine):.3f}")
        ET.SubElement(ET.SubElement(suite, "properties"), "property", name="seed", value=str(seed))
        for o in mine:
            case = ET.SubElement(suite, "testcase", classname=f"{rule_id}.{o.check}", name=o.operation,
                                 time=f"{o.seconds:.3f}")
            if o.status in (FAIL, ERROR):
                tag = "failure" if o.status == FAIL else "error"
                ET.SubElement(case, tag, message=redact(o.reason[:500])).text = redact(
                    "\n\n".join(f.describe() for f in o.failures))
            elif o.status == SKIP:
                ET.SubElement(case, "skipped", message=redact(o.reason))
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)
