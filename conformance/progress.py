"""Progress a person can read: a bar with a counter of checks, the elapsed time, and the check and
operation in flight (rich, on a terminal); plain lines elsewhere (CI logs, pipes)."""
from __future__ import annotations

import sys
from typing import Callable, TextIO

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress as RichBar, TextColumn, TimeElapsedColumn

from conformance.registry import RegisteredCheck
from conformance.runner import ERROR, FAIL, Outcome, Progress

STYLE = {FAIL: "bold red", ERROR: "bold red"}
IN_FLIGHT_CHARS_MAX = 90


class BarProgress(Progress):
    """The bar counts checks; each outcome that is not a pass is printed above it (all of them
    unless quiet: passes are counted, not listed)."""

    def __init__(self, out: TextIO, quiet: bool, redact: Callable[[str], str]) -> None:
        super().__init__(out=out, quiet=quiet, redact=redact)
        self.console = Console(file=out, highlight=False)
        self.bar = RichBar(TextColumn("[bold]{task.fields[counts]}"), BarColumn(), MofNCompleteColumn(),
                           TextColumn("checks"), TimeElapsedColumn(), TextColumn("{task.fields[now]}"),
                           console=self.console, transient=True)
        self.task = None
        self.failed = 0

    def start(self, total_checks: int) -> None:
        self.bar.start()
        self.task = self.bar.add_task("checks", total=total_checks, counts=self.counts(), now="")

    def counts(self) -> str:
        return f"{self.done} results, {self.failed} failed"

    def begin(self, check: RegisteredCheck, operation: str) -> None:
        now = f"{check.rule_id} {check.name}" + (f" [{operation}]" if operation != "-" else "")
        if self.task is not None:
            self.bar.update(self.task, now=escape(now[:IN_FLIGHT_CHARS_MAX]), counts=self.counts())

    def show(self, outcome: Outcome) -> None:
        self.done += 1
        self.failed += outcome.status in (FAIL, ERROR)
        if outcome.status in (FAIL, ERROR) or (not self.quiet and outcome.status != "pass"):
            self.console.print(escape(self.line(outcome)), style=STYLE.get(outcome.status))

    def check_done(self) -> None:
        if self.task is not None:
            self.bar.update(self.task, advance=1, counts=self.counts())

    def stop(self) -> None:
        self.bar.stop()


def progress_for(out: TextIO, quiet: bool, redact: Callable[[str], str]) -> Progress:
    """The bar on a terminal, plain lines otherwise."""
    if out is sys.stdout and out.isatty():
        return BarProgress(out, quiet, redact)
    return Progress(out=out, quiet=quiet, redact=redact)
