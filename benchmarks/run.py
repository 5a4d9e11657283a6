"""`make bench`: the sandbox's serving speed and memory, and report speed on a large ledger.

Starts the sandbox with the default fixtures on a free 127.0.0.1 port, drives each route
with a closed-loop load for a few seconds, and prints a table: requests per second,
latency percentiles, and the server's CPU time per request (from /proc, steadier than
req/s on a shared machine), the posting route also on a sandbox with `--state`. Then times
reports in-process on a ledger of LINES_LARGE lines, and the restart of a durable state
that large (durable_restart.py).
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.load import raw_request, run_load
from benchmarks.durable_restart import restart_timings
from benchmarks.large_ledger import report_timings
from benchmarks.response_validation import validation_timings

TOKEN = "mcp_at_sandbox_summit_firm_token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
LEGACY = dict(AUTH, **{"x-organization-id": "org_brightpixel"})
PURCHASE = (b'{"date":"2026-06-08","sourceAccountId":"acc_bp_checking","amountCents":4299,'
            b'"categoryAccountId":"acc_bp_office_supplies","description":"Office supplies"}')
DURATION_S = float(os.environ.get("BENCH_SECONDS", "4"))
CONNECTIONS = 16
STARTUP_WAIT_S = 60.0


def routes() -> list[tuple[str, str, str, dict, bytes]]:
    keyed = iter(range(10**9))
    return [
        ("health", "GET", "/api/health", {}, b""),
        ("list 50 accounts", "GET", "/api/v1/companies/cmp_brightpixel/accounts?limit=50", AUTH, b""),
        ("list 50 entries", "GET", "/api/v1/companies/cmp_brightpixel/journal-entries?limit=50", AUTH, b""),
        ("trial balance", "GET", "/api/v1/companies/cmp_brightpixel/reports/trial-balance", AUTH, b""),
        ("balance sheet (legacy)", "GET", "/api/v1/reports/balance-sheet", LEGACY, b""),
        ("post purchase", "POST", "/api/v1/companies/cmp_brightpixel/purchases",
         lambda: dict(AUTH, **{"Idempotency-Key": f"bench-{next(keyed)}", "Content-Type": "application/json"}),
         PURCHASE),
    ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_sandbox(port: int, *options: str) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "mock_server.cli", "serve", "--port", str(port), *options],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + STARTUP_WAIT_S
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=1).read()
            return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("the sandbox did not answer /api/health in time")


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def bench_route(port: int, pid: int, method: str, path: str, headers, body: bytes) -> list[str]:
    host = f"127.0.0.1:{port}"
    make = ((lambda: raw_request(method, path, host, headers(), body)) if callable(headers)
            else (lambda data=raw_request(method, path, host, headers, body): data))
    cpu_before = cpu_seconds(pid)
    result = asyncio.run(run_load("127.0.0.1", port, make, CONNECTIONS, DURATION_S))
    cpu_ms = (cpu_seconds(pid) - cpu_before) * 1000 / max(result.requests, 1)
    return [f"{result.requests_per_s:,.0f}", f"{result.percentile_ms(0.5):.2f}",
            f"{result.percentile_ms(0.99):.2f}", f"{cpu_ms:.3f}", str(result.errors)]


def print_table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(row[i])) for row in [header] + rows) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths]] + rows:
        print("  ".join(str(cell).rjust(w) if i else str(cell).ljust(w) for i, (cell, w) in enumerate(zip(row, widths))))


def durable_posting_row() -> list[str]:
    """The posting route again, on a sandbox keeping its state in a file (`--state`)."""
    name, method, path, headers, body = routes()[-1]
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="ledgerhq-bench-") as folder:
        process = start_sandbox(port, "--state", str(Path(folder) / "bench.sqlite"))
        try:
            return [f"{name} (--state)"] + bench_route(port, process.pid, method, path, headers, body)
        finally:
            process.terminate()
            process.wait(timeout=60)


def main() -> int:
    port = free_port()
    process = start_sandbox(port)
    try:
        rss_start = rss_mib(process.pid)
        rows = [[name] + bench_route(port, process.pid, method, path, headers, body)
                for name, method, path, headers, body in routes()]
        rss_end = rss_mib(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=10)
    rows.append(durable_posting_row())
    print(f"\nSandbox over HTTP ({CONNECTIONS} connections, {DURATION_S:g} s per route, load generator on the same machine)")
    print_table(["route", "req/s", "p50 ms", "p99 ms", "server CPU ms/req", "5xx"], rows)
    print(f"server memory: {rss_start:.0f} MiB at start, {rss_end:.0f} MiB after the runs")
    print()
    print_table(*report_timings())
    print("\nResponse validation (--validate-responses), in-process, ms per request")
    print_table(*validation_timings())
    print()
    print_table(*restart_timings())
    return 0


if __name__ == "__main__":
    sys.exit(main())
