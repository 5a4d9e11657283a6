"""`--baseline FILE` and `--write-baseline`: gate on "nothing new" before the implementation is clean.

A baseline is the list of violations a team knows of, one per (rule, check, operation), in a JSON file
written by `--write-baseline` from a run's violations. With `--baseline FILE` a known violation is still
reported (listed as known, with its first line) but does not fail the run; a violation not in the file does.
A known violation that no longer occurs is listed as gone, so the file can be rewritten smaller."""
from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path
from typing import TextIO

BASELINE_VERSION = 1
VIOLATION_STATUSES = ("FAIL", "ERROR")
KNOWN = "skip"                       # a known violation is reported with the skips: it does not fail the run
SHOWN_MAX = 50


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--baseline", type=Path, metavar="FILE",
                        help="known violations (JSON): reported, but only new ones fail the run (default: none)")
    parser.add_argument("--write-baseline", action="store_true",
                        help="write this run's violations to the --baseline FILE (then none of them fails; default: off)")


def from_args(args: argparse.Namespace) -> dict:
    if args.write_baseline and not args.baseline:
        raise SystemExit("--write-baseline needs --baseline FILE to write to")
    return {"baseline": args.baseline, "write_baseline": bool(args.write_baseline)}


def key_of(outcome) -> tuple[str, str, str]:
    return (outcome.rule_id, outcome.check, outcome.operation)


def read(path: Path) -> set[tuple[str, str, str]]:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SystemExit(f"cannot read baseline {path}: {error}") from error
    if not isinstance(document, dict) or document.get("version") != BASELINE_VERSION:
        raise SystemExit(f"baseline {path} is not a version {BASELINE_VERSION} baseline file")
    return {(row["rule"], row["check"], row["operation"]) for row in document.get("violations", [])
            if isinstance(row, dict) and {"rule", "check", "operation"} <= set(row)}


def write(path: Path, outcomes: list) -> int:
    rows = sorted({key_of(o) for o in outcomes if o.status in VIOLATION_STATUSES})
    document = {"version": BASELINE_VERSION,
                "violations": [{"rule": r, "check": c, "operation": op} for r, c, op in rows]}
    Path(path).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return len(rows)


def apply(extra: dict, outcomes: list, out: TextIO) -> list:
    """`outcomes` with the known violations turned into reported non-failures (the run's other results as
    they are); writes the baseline first when asked to."""
    path = extra.get("baseline")
    if not path:
        return outcomes
    if extra.get("write_baseline"):
        print(f"\nbaseline {path}: {write(path, outcomes)} violations written", file=out)
    known = read(path)
    kept, seen = [], set()
    for outcome in outcomes:
        if outcome.status in VIOLATION_STATUSES and key_of(outcome) in known:
            seen.add(key_of(outcome))
            outcome = replace(outcome, status=KNOWN, reason=f"known violation (baseline): {outcome.reason}")
        kept.append(outcome)
    new = sum(o.status in VIOLATION_STATUSES for o in kept)
    print(f"\nbaseline {path}: {len(seen)} known violations (not failing the run), {new} new, "
          f"{len(known - seen)} gone", file=out)
    for rule, check, operation in sorted(known - seen)[:SHOWN_MAX]:
        print(f"  gone: [{rule}] {check} {operation}", file=out)
    return kept
