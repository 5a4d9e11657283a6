"""The final table of rules and operations, every failure in full, and JUnit XML for CI."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import TextIO

from conformance.runner import ERROR, FAIL, PASS, SKIP, Outcome

OPERATION_WIDTH = 58


def print_table(outcomes: list[Outcome], out: TextIO) -> None:
    print("\nRule  Check                                         Operation" + " " * (OPERATION_WIDTH - 9) + "Result",
          file=out)
    print("-" * (54 + OPERATION_WIDTH + 8), file=out)
    for o in outcomes:
        operation = o.operation if len(o.operation) <= OPERATION_WIDTH else o.operation[:OPERATION_WIDTH - 1] + "~"
        print(f"{o.rule_id:5} {o.check[:45]:45} {operation:{OPERATION_WIDTH}} {o.status}", file=out)
    print(file=out)
    print_rule_summary(outcomes, out)


def print_rule_summary(outcomes: list[Outcome], out: TextIO) -> None:
    rules = sorted({(o.rule_id, o.rule) for o in outcomes})
    print("Rule  Name          pass  fail  skip", file=out)
    for rule_id, rule in rules:
        counts = Counter(o.status for o in outcomes if o.rule_id == rule_id)
        verdict = "FAIL" if counts[FAIL] or counts[ERROR] else "pass" if counts[PASS] else "not run"
        print(f"{rule_id:5} {rule:12} {counts[PASS]:5} {counts[FAIL] + counts[ERROR]:5} {counts[SKIP]:5}   {verdict}",
              file=out)


def print_failures(outcomes: list[Outcome], out: TextIO) -> None:
    failed = [f for o in outcomes for f in o.failures]
    if not failed:
        return
    print(f"\n{len(failed)} violation(s):\n", file=out)
    for failure in failed:
        print(failure.describe() + "\n", file=out)


def print_skips(outcomes: list[Outcome], out: TextIO) -> None:
    reasons = Counter((o.rule_id, o.check, o.reason) for o in outcomes if o.status == SKIP)
    if reasons:
        print("Skipped, with reasons:", file=out)
        for (rule_id, check, reason), count in sorted(reasons.items()):
            print(f"  {rule_id} {check}: {reason}" + (f" (x{count})" if count > 1 else ""), file=out)


def write_junit(outcomes: list[Outcome], path: Path, seed: int) -> None:
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
                ET.SubElement(case, tag, message=o.reason[:500]).text = "\n\n".join(f.describe() for f in o.failures)
            elif o.status == SKIP:
                ET.SubElement(case, "skipped", message=o.reason)
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)
