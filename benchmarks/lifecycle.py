"""The rows measured on whole processes: start-up to the first healthy answer, the
conformance suite's wall time against a fresh sandbox, and the scale rows of
benchmarks/scale.py when that module is there."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from benchmarks import servers

STARTUP_S_MAX = 1.0
SUITE_TIMEOUT_S = {"quick": 900, "full": 3600}


def startup_rows(runs: int) -> list[dict]:
    """Process start to the first 200 from /api/health, in memory, `runs` times (the median)."""
    times = []
    for _ in range(runs):
        port = servers.free_port()
        server = servers.start("sandbox", servers.sandbox_command(port), port)
        times.append(server.startup_s)
        server.stop()
    median = statistics.median(times)
    return [{"section": "start-up", "name": "process start to first healthy answer (in memory)",
             "value": round(median, 2), "unit": "s", "target": f"<{STARTUP_S_MAX:g} s", "ok": median < STARTUP_S_MAX,
             "note": f"median of {runs}: " + ", ".join(f"{t:.2f}" for t in times) + " s"}]


def suite_row(profile: str) -> dict:
    """`ledgerhq-conformance --profile PROFILE` as `make conformance` runs it: a fresh sandbox."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "conformance.cli", "--profile", profile, "--quiet"],
                          capture_output=True, text=True, timeout=SUITE_TIMEOUT_S[profile], check=False)
    wall_s = time.perf_counter() - started
    last = (done.stdout.strip().splitlines() or ["no output"])[-1]
    return {"section": "suite", "name": f"conformance PROFILE={profile} (fresh sandbox)",
            "value": round(wall_s, 1), "unit": "s wall", "ok": done.returncode == 0,
            "target": "passes", "note": last[:160]}


def scale_rows(quick: bool) -> tuple[list[dict], str]:
    """benchmarks.scale.scale_rows(quick) with section "scale", or no rows and why."""
    try:
        from benchmarks.scale import scale_rows as rows_of
    except ModuleNotFoundError as error:
        if error.name != "benchmarks.scale":
            raise
        return [], "scale rows: benchmarks/scale.py not present"
    try:
        return [{"section": "scale", **row} for row in rows_of(quick)], ""
    except Exception as error:      # the rest of the table still stands
        return [], f"scale rows: benchmarks.scale.scale_rows failed: {type(error).__name__}: {error}"
