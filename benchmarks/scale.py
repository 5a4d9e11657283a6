"""Scale rows for `make bench`: a faker company (scale_fixtures.py) of 10k, 100k and 1M
journal lines. Per size: the time to post the lines through the domain API, resident
memory per line (RSS after the lines minus RSS after the empty company, in a fresh
process, divided by lines), report latency in-process and over HTTP (p99), the restart
of `serve --state` from a state file of that size (process start to first healthy answer).

    python -m benchmarks.scale [quick]       # prints the rows
"""
from __future__ import annotations

import datetime as dt
import gc
import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.servers import tree_cpu_s

SIZES_QUICK, SIZES_FULL = (10_000, 100_000), (10_000, 100_000, 1_000_000)
BYTES_PER_LINE_MAX = 300          # at 1M lines
REPORT_P99_MS_MAX = 20.0          # over HTTP, at 1M lines
RESTART_S_MAX = 10.0              # from a 1M-line state file
REPEATS_IN_PROCESS, REPEATS_HTTP, WARMUP_CALLS = 50, 100, 30
STARTUP_WAIT_S = 120.0
AS_OF, START, END = dt.date(2024, 6, 30), dt.date(2024, 1, 1), dt.date(2024, 6, 30)
MONTH_START, MONTH_END = dt.date(2024, 6, 1), dt.date(2024, 6, 30)
LEDGER_ACCOUNT = "acc_ass_1000"


def rss_bytes(pid: int | str = "self") -> int:
    with open(f"/proc/{pid}/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def report_calls(books) -> dict:
    return {
        "trial balance": lambda: books.trial_balance(AS_OF),
        "balance sheet": lambda: books.balance_sheet(AS_OF),
        "profit and loss (6 months)": lambda: books.profit_and_loss(START, END),
        "general ledger (1 account, 1 month)": lambda: books.general_ledger(
            MONTH_START, MONTH_END, account_id=LEDGER_ACCOUNT),
    }


def report_paths(company_id: str) -> dict:
    base = f"/api/v1/companies/{company_id}/reports"
    return {
        "trial balance": f"{base}/trial-balance?asOf={AS_OF}",
        "balance sheet": f"{base}/balance-sheet?asOf={AS_OF}",
        "profit and loss (6 months)": f"{base}/profit-and-loss?startDate={START}&endDate={END}",
        "general ledger (1 account, 1 month)":
            f"{base}/general-ledger?startDate={MONTH_START}&endDate={MONTH_END}&accountId={LEDGER_ACCOUNT}",
    }


def percentile_ms(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int((len(ordered) - 1) * share))] * 1000


def build_in_child(lines: int, state_path: str | None) -> dict:
    """In this (fresh) process: post `lines`, measure, optionally write the state file."""
    from benchmarks.memory_breakdown import books_breakdown
    from benchmarks.scale_fixtures import COMPANY_ID, post_lines, save_state, scale_service
    service = scale_service(0)
    books = service.data.companies[COMPANY_ID]
    gc.collect()
    rss_before, started, cpu = rss_bytes(), time.perf_counter(), time.process_time()
    posted = post_lines(books, lines)
    load_s, load_cpu_s = time.perf_counter() - started, time.process_time() - cpu
    gc.collect()
    result = {"lines": posted, "load_s": load_s, "load_cpu_s": load_cpu_s, "accounts": len(books.accounts),
              "bytes_per_line": (rss_bytes() - rss_before) / posted,
              "breakdown": books_breakdown(books, service), "in_process_p99_ms": {}}
    for name, call in report_calls(books).items():
        samples = []
        for _ in range(REPEATS_IN_PROCESS):
            began = time.perf_counter()
            call()
            samples.append(time.perf_counter() - began)
        result["in_process_p99_ms"][name] = percentile_ms(samples, 0.99)
    if state_path:
        started = time.perf_counter()
        save_state(service, Path(state_path))
        result["state_write_s"] = time.perf_counter() - started
        result["state_bytes"] = sum(f.stat().st_size for f in Path(state_path).parent.iterdir())
    return result


def build(lines: int, state_path: Path | None = None) -> dict:
    command = [sys.executable, "-m", "benchmarks.scale", "child", str(lines), str(state_path or "")]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def serve_from_state(state_path: Path) -> tuple[subprocess.Popen, int, float]:
    """`serve --state`: (process, port, seconds from process start to first healthy answer;
    the process's CPU seconds by then are `tree_cpu_s(process.pid)`)."""
    from benchmarks.servers import free_port
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "mock_server.cli", "serve", "--port", str(port),
                                "--state", str(state_path)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + STARTUP_WAIT_S
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/health")
            if connection.getresponse().status == 200:
                return process, port, time.perf_counter() - started
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("the sandbox did not answer /api/health in time")


def http_latencies(process: subprocess.Popen, port: int) -> dict:
    """Per report: (p50 ms, p99 ms, server CPU ms per request, from /proc: steadier than
    latency when other work shares the cores)."""
    from benchmarks.scale_fixtures import API_KEY, COMPANY_ID, ORGANIZATION_ID
    headers = {"Authorization": f"Bearer {API_KEY}", "x-organization-id": ORGANIZATION_ID}
    connection, result = http.client.HTTPConnection("127.0.0.1", port, timeout=30), {}
    for name, path in report_paths(COMPANY_ID).items():
        for _ in range(WARMUP_CALLS):
            connection.request("GET", path, headers=headers)
            connection.getresponse().read()
        samples, cpu_before = [], tree_cpu_s(process.pid)
        for _ in range(REPEATS_HTTP):
            began = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            assert response.status == 200, (path, response.status)
            samples.append(time.perf_counter() - began)
        cpu_ms = (tree_cpu_s(process.pid) - cpu_before) * 1000 / REPEATS_HTTP
        result[name] = (percentile_ms(samples, 0.5), percentile_ms(samples, 0.99), cpu_ms)
    return result


def size_rows(lines: int) -> list[dict]:
    label, big = f"{lines // 1000:,}k lines", lines >= 1_000_000
    with tempfile.TemporaryDirectory(prefix="ledgerhq-scale-") as folder:
        state = Path(folder) / "state.sqlite"
        built = build(lines, state)
        process, port, startup_s = serve_from_state(state)
        try:
            startup_cpu_s, server_rss = tree_cpu_s(process.pid), rss_bytes(process.pid)
            latencies = http_latencies(process, port)
        finally:
            process.terminate()
            process.wait(timeout=60)
    rows = [row(f"load {label} (domain API)", built["load_s"], "s"),
            row(f"load {label} (domain API), CPU", built["load_cpu_s"], "s"),
            row(f"RSS per line, {label}", built["bytes_per_line"], "B/line",
                BYTES_PER_LINE_MAX if big else None),
            row(f"serve --state start to healthy, {label}", startup_s, "s", RESTART_S_MAX if big else None),
            row(f"serve --state start to healthy, CPU, {label}", startup_cpu_s, "s"),
            row(f"server RSS after restart, {label}", server_rss / 2**20, "MiB"),
            row(f"state file written, {label}", built["state_write_s"], "s"),
            row(f"state file size, {label}", built["state_bytes"] / 1e6, "MB")]
    if big:
        rows += [row(f"RSS per line, {label}: {part} (getsizeof walk)", size / built["lines"], "B/line")
                 for part, size in built["breakdown"].items()]
    rows += [row(f"{name}, in-process p99, {label}", value, "ms")
             for name, value in built["in_process_p99_ms"].items()]
    for name, (p50, p99, cpu_ms) in latencies.items():
        rows += [row(f"{name}, HTTP p50, {label}", p50, "ms"),
                 row(f"{name}, HTTP p99, {label}", p99, "ms", REPORT_P99_MS_MAX if big else None),
                 row(f"{name}, server CPU per request, {label}", cpu_ms, "ms")]
    return rows


def row(name: str, value: float, unit: str, target: float | None = None) -> dict:
    return {"name": name, "value": round(value, 3), "unit": unit, "target": target,
            "ok": None if target is None else value < target}


def scale_rows(quick: bool) -> list[dict]:
    """The rows at 10k and 100k lines (quick) or 10k, 100k and 1M; the load average first,
    since wall-clock rows mean little when other work shares the cores."""
    rows = [row("load average (1 min) at start", os.getloadavg()[0], "", None)]
    rows += [r for lines in (SIZES_QUICK if quick else SIZES_FULL) for r in size_rows(lines)]
    if not quick:
        from benchmarks.http_memory import ENTRIES, LINES_PER_ENTRY, bytes_per_line_over_http
        rows.append(row(f"RSS per line posted over HTTP ({LINES_PER_ENTRY}-line entries, "
                        f"{ENTRIES * LINES_PER_ENTRY // 1000}k lines, idempotency records included)",
                        bytes_per_line_over_http(), "B/line"))
    return rows


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        print(json.dumps(build_in_child(int(sys.argv[2]), sys.argv[3] or None)))
    else:
        for found in scale_rows(quick=sys.argv[1:2] == ["quick"]):
            print(found)
