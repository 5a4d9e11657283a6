"""`--include-operation` / `--exclude-operation`: run the suite on part of the contract, by operationId or tag;
`--check`: only the checks named (as Schemathesis' `--checks`), to rerun one failure quickly.

Each option takes a comma-separated list and may be given again. A check that runs per operation runs on the
selected operations only. A check of the ledger as a whole (no operation of its own) runs unless
`--include-operation` narrows the run: a team gating one route at a time gets that route's checks only."""
from __future__ import annotations

import argparse
from typing import Iterable

INCLUDE, EXCLUDE, CHECKS = "include_operations", "exclude_operations", "checks"


DEFAULT_SELECTION = {INCLUDE: "every partner operation", EXCLUDE: "none", CHECKS: "every check of the rules"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    for flag, dest, what in (("--include-operation", INCLUDE, "only these operations"),
                             ("--exclude-operation", EXCLUDE, "not these operations")):
        parser.add_argument(flag, dest=dest, action="append", default=[], metavar="ID_OR_TAG",
                            help=f"{what}: operationId or tag, comma-separated, repeatable (default: {DEFAULT_SELECTION[dest]})")
    parser.add_argument("--check", dest=CHECKS, action="append", default=[], metavar="NAME",
                        help="only these checks, by function name as the table prints it, comma-separated, "
                             f"repeatable (default: {DEFAULT_SELECTION[CHECKS]})")


def from_args(args: argparse.Namespace) -> dict[str, frozenset[str]]:
    """The selection as RunConfig.extra holds it (empty sets: everything)."""
    return {dest: frozenset(name.strip() for given in getattr(args, dest, []) for name in given.split(",")
                            if name.strip()) for dest in (INCLUDE, EXCLUDE, CHECKS)}


def names_of(op) -> set[str]:
    return {name for name in (getattr(op, "operation_id", None), *getattr(op, "tags", ())) if name}


def is_selected(extra: dict, op) -> bool:
    include, exclude = extra.get(INCLUDE) or frozenset(), extra.get(EXCLUDE) or frozenset()
    names = names_of(op)
    return (not include or bool(names & include)) and not names & exclude


def selected_targets(extra: dict, targets: Iterable) -> list:
    """The targets a per-operation check keeps; a target that is not an operation is kept as it is."""
    return [t for t in targets if t is None or not hasattr(t, "operation_id") or is_selected(extra, t)]


def selected_checks(extra: dict, checks: list) -> list:
    """The checks to run: those --check names, if any; whole-ledger checks only when no --include-operation
    narrows the run."""
    named = extra.get(CHECKS) or frozenset()
    checks = [check for check in checks if not named or check.name in named]
    if not extra.get(INCLUDE):
        return checks
    return [check for check in checks if check.targets is not None]


def unknown_checks(extra: dict, known: Iterable[str]) -> list[str]:
    """Check names given that no registered check has."""
    return sorted(set(extra.get(CHECKS) or ()) - set(known))


def unknown_names(extra: dict, operations: Iterable) -> list[str]:
    """Names given that no operation of the contract has (a typo would silently select nothing)."""
    known = {name for op in operations for name in names_of(op)}
    return sorted((set(extra.get(INCLUDE) or ()) | set(extra.get(EXCLUDE) or ())) - known)
