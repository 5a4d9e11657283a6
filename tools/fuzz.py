"""`make fuzz`: Schemathesis' own CLI over every partner operation of a fresh sandbox.

    python -m tools.fuzz [--max-time 240] [--negative-requests 5000] [--examples N]

Starts a sandbox on a free 127.0.0.1 port (conformance/sandbox.py), then runs `schemathesis run` twice against
the packaged contract with `--url` that sandbox, its access token, and the organization header the contract's
`organizationHeader` security scheme asks for beside a bearer credential:

1. every check (`--checks all`), positive and negative data (`--mode all`), every phase, for `--max-time` seconds;
2. negative data only, every check, `--examples` cases per operation in the fuzzing phase (the coverage phase,
   which max-examples does not bound, ran in the first run), which must send at least `--negative-requests`
   requests; every answer must be below 500.

Partner operations only: the `sandbox` and `oauth` tags are excluded (sandbox controls, OAuth and its metadata).
Schemathesis reads ledgerhq_contract/schemathesis.toml (`--config-file`): the refusals that are the contract's.
Every request goes to the sandbox on 127.0.0.1 (its webhooks deliver to loopback only). Prints the figures of
both runs; exits non-zero on any failure, any 5xx, or fewer negative requests than asked.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from conformance.sandbox import Sandbox

from ledgerhq_contract import CONTRACT_PATH, SCHEMATHESIS_CONFIG_PATH as CONFIG_PATH

EXCLUDED_TAGS = ("sandbox", "oauth")
MAX_TIME_S = 240
NEGATIVE_REQUESTS_MIN = 5000
NEGATIVE_EXAMPLES = 150         # per operation, fuzzing phase: 100 gave 3,956 requests over the 53 operations
RUN_TIMEOUT_S = 900             # a bound on each run (the first stops at --max-time), far above its usual length
SERVER_LOG_CHARS_MAX = 8000
OUTPUT_CHARS_MAX = 30000        # of Schemathesis' own output, printed when a run failed


@dataclass
class Figures:
    """What one `schemathesis run` did, from its JSON report and HAR file."""
    name: str
    exit_code: int
    test_cases: int = 0
    failures: Counter = field(default_factory=Counter)      # "ST202 Schema-valid request rejected" -> count
    errors: int = 0
    statuses: Counter = field(default_factory=Counter)      # HTTP status -> responses
    seed: str = ""
    running_s: float = 0.0

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)

    def lines(self) -> list[str]:
        statuses = ", ".join(f"{status}: {count}" for status, count in sorted(self.statuses.items()))
        failures = ", ".join(f"{name}: {count}" for name, count in sorted(self.failures.items())) or "none"
        return [f"{self.name}: exit {self.exit_code}, {self.running_s:.0f} s, seed {self.seed}",
                f"  test cases {self.test_cases}, requests {self.requests}, errors {self.errors}",
                f"  failures by check: {failures}",
                f"  statuses: {statuses}",
                f"  5xx answers: {self.server_errors}"]


def schemathesis_command(sandbox: Sandbox, report_dir: Path, config: Path, contract: Path) -> list[str]:
    credentials = sandbox.credentials
    command = [str(Path(sys.executable).parent / "schemathesis"), "--config-file", str(config), "run", str(contract),
               "--url", sandbox.base_url,
               "-H", f"Authorization: Bearer {credentials['accessToken']}",
               "-H", f"x-organization-id: {credentials['organizationId']}",
               "--report", "json,har", "--report-json-path", str(report_dir / "report.json"),
               "--report-har-path", str(report_dir / "requests.har"), "--no-color"]
    for tag in EXCLUDED_TAGS:
        command += ["--exclude-tag", tag]
    return command


def run(name: str, command: list[str], report_dir: Path) -> Figures:
    print(f"$ {' '.join(command)}", flush=True)
    try:
        done = subprocess.run(command, timeout=RUN_TIMEOUT_S, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    except subprocess.TimeoutExpired:
        print(f"{name}: stopped after {RUN_TIMEOUT_S} s", flush=True)
        return Figures(name, exit_code=-1)
    figures = Figures(name, done.returncode)
    read_report(figures, report_dir)
    if figures.exit_code != 0 or figures.failures or figures.errors:
        print(done.stdout[-OUTPUT_CHARS_MAX:], flush=True)
    return figures


def read_report(figures: Figures, report_dir: Path) -> None:
    report_path, har_path = report_dir / "report.json", report_dir / "requests.har"
    if report_path.exists():
        report = json.loads(report_path.read_text())
        figures.test_cases = report["test_cases"]["generated"]
        figures.failures.update({f"{f['code']} {f['title']}": f["count"] for f in report["failures"]})
        figures.errors = len(report["errors"])
        figures.seed = str(report.get("seed", ""))
        figures.running_s = float(report.get("running_time", 0.0))
    if har_path.exists():
        for entry in json.loads(har_path.read_text())["log"]["entries"]:
            figures.statuses[int(entry["response"]["status"])] += 1


def print_server_log(sandbox: Sandbox) -> None:
    """The sandbox's own account of its 500s (it logs each unhandled error with its traceback)."""
    sandbox.log.seek(0)
    text = sandbox.log.read().decode(errors="replace")
    print(f"--- sandbox log (last {SERVER_LOG_CHARS_MAX} characters) ---\n{text[-SERVER_LOG_CHARS_MAX:]}", flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tools.fuzz", description=__doc__.splitlines()[0])
    parser.add_argument("--max-time", type=int, default=MAX_TIME_S, help="seconds of the all-checks run")
    parser.add_argument("--negative-requests", type=int, default=NEGATIVE_REQUESTS_MIN,
                        help="requests the negative run must send at least")
    parser.add_argument("--examples", type=int, default=NEGATIVE_EXAMPLES,
                        help="negative cases per operation (fuzzing phase)")
    parser.add_argument("--config-file", type=Path, default=CONFIG_PATH)
    parser.add_argument("--contract", type=Path, default=CONTRACT_PATH)
    return parser.parse_args(argv)


def verdict(all_checks: Figures, negative: Figures, negative_requests_min: int) -> list[str]:
    problems = []
    for figures in (all_checks, negative):
        if figures.exit_code != 0 or figures.failures or figures.errors:
            problems.append(f"{figures.name}: {sum(figures.failures.values())} failures, {figures.errors} errors, "
                            f"exit {figures.exit_code}")
        if figures.server_errors:
            problems.append(f"{figures.name}: {figures.server_errors} answers of 500 or more")
    if negative.requests < negative_requests_min:
        problems.append(f"negative run sent {negative.requests} requests, fewer than {negative_requests_min}")
    return problems


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ledgerhq-fuzz-") as scratch, Sandbox() as sandbox:
        print(f"sandbox on {sandbox.base_url}", flush=True)
        first_dir, second_dir = Path(scratch, "all"), Path(scratch, "negative")
        base = lambda report_dir: schemathesis_command(sandbox, report_dir, args.config_file, args.contract)
        all_checks = run("all checks, --mode all", base(first_dir) + [
            "--checks", "all", "--mode", "all", "--max-time", str(args.max_time)], first_dir)
        negative = run("negative only", base(second_dir) + [
            "--checks", "all", "--mode", "negative", "--phases", "fuzzing",
            "--max-examples", str(args.examples)], second_dir)     # no --max-time: it would repeat fuzzing
        if all_checks.server_errors or negative.server_errors:
            print_server_log(sandbox)
    print("\n".join(all_checks.lines() + negative.lines()), flush=True)
    problems = verdict(all_checks, negative, args.negative_requests)
    for problem in problems:
        print(f"FAIL {problem}", flush=True)
    if not problems:
        print("fuzz: no failures, no 5xx", flush=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
