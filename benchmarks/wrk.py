"""wrk (Debian's package) as the load generator: found or installed, its Lua script written,
run pinned to a core, and its `--latency` output parsed. Without wrk, the Python load
generator (load.py) drives the same requests, in this process.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from benchmarks.load import raw_request, run_load

INSTALL_TIMEOUT_S = 600
RUN_MARGIN_S = 30
LATENCY_TIMEOUT_S = 10
TIME_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
LATENCY_LINE = re.compile(r"^\s*(50|75|90|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$", re.M)
REQUESTS_LINE = re.compile(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m|h)", re.M)
RATE_LINE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.M)
NON_2XX_LINE = re.compile(r"^\s*Non-2xx or 3xx responses:\s+(\d+)", re.M)
SOCKET_LINE = re.compile(r"^\s*Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", re.M)


def ensure_wrk() -> tuple[str | None, str]:
    """(path of wrk or None, a note): installs Debian's package when missing and allowed."""
    found = shutil.which("wrk")
    if found:
        return found, ""
    if not shutil.which("apt-get") or os.geteuid() != 0:
        return None, "wrk is missing and cannot be installed here (needs root and apt-get)"
    environment = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for command in (["apt-get", "install", "-y", "wrk"], ["apt-get", "update"], ["apt-get", "install", "-y", "wrk"]):
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment,
                       timeout=INSTALL_TIMEOUT_S, check=False)
        if shutil.which("wrk"):
            return shutil.which("wrk"), "wrk installed with apt-get"
    return None, "apt-get install -y wrk failed"


def lua_text(text: str) -> str:
    assert text.isascii(), text
    return json.dumps(text)         # an ASCII JSON string is a valid Lua string literal


def lua_script(method: str, path: str, headers: dict[str, str], body: bytes, key_prefix: str | None) -> str:
    """A wrk script sending one request; with `key_prefix`, a new Idempotency-Key each time."""
    entries = ", ".join(f"[{lua_text(name)}] = {lua_text(value)}" for name, value in headers.items())
    body_text = lua_text(body.decode()) if body else "nil"
    lines = [f"local headers = {{{entries}}}", f"local body = {body_text}", "local count = 0",
             "request = function()"]
    if key_prefix is not None:
        lines += ["  count = count + 1", f"  headers[\"Idempotency-Key\"] = {lua_text(key_prefix)} .. count"]
    lines += [f"  return wrk.format({lua_text(method)}, {lua_text(path)}, headers, body)", "end"]
    return "\n".join(lines) + "\n"


def parse_wrk(output: str) -> dict:
    """wrk's `--latency` report as numbers: requests, req/s, p50/p75/p90/p99 ms, errors."""
    rate, done = RATE_LINE.search(output), REQUESTS_LINE.search(output)
    if rate is None or done is None:
        raise ValueError(f"not a wrk report: {output[:200]!r}")
    latency = {f"p{share}_ms": float(value) * TIME_UNITS_MS[unit]
               for share, value, unit in LATENCY_LINE.findall(output)}
    non_2xx = NON_2XX_LINE.search(output)
    sockets = SOCKET_LINE.search(output)
    return {"requests": int(done.group(1)), "seconds": float(done.group(2)) * TIME_UNITS_MS[done.group(3)] / 1000,
            "requests_per_s": float(rate.group(1)), **latency,
            "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
            "socket_errors": sum(map(int, sockets.groups())) if sockets else 0}


def run_wrk(wrk: str, core: int | None, port: int, connections: int, seconds: float, method: str, path: str,
            headers: dict[str, str], body: bytes, key_prefix: str | None) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="ledgerhq-bench-", delete=False) as script:
        script.write(lua_script(method, path, headers, body, key_prefix))
    try:
        command = [wrk, "-t1", f"-c{connections}", f"-d{seconds:g}s", "--latency",
                   f"--timeout={LATENCY_TIMEOUT_S}s", "-s", script.name, f"http://127.0.0.1:{port}"]
        if core is not None:
            command = ["taskset", "-c", str(core), *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + RUN_MARGIN_S, check=False)
        return parse_wrk(done.stdout)
    finally:
        Path(script.name).unlink(missing_ok=True)


def run_python(port: int, connections: int, seconds: float, method: str, path: str, headers: dict[str, str],
               body: bytes, key_prefix: str | None) -> dict:
    """The same measure from benchmarks/load.py (sharing the cores with the server)."""
    host = f"127.0.0.1:{port}"
    counter = iter(range(1, 10**12))
    make = ((lambda: raw_request(method, path, host, {**headers, "Idempotency-Key": f"{key_prefix}{next(counter)}"},
                                 body)) if key_prefix is not None
            else (lambda data=raw_request(method, path, host, headers, body): data))
    result = asyncio.run(run_load("127.0.0.1", port, make, connections, seconds))
    return {"requests": result.requests, "seconds": result.seconds, "requests_per_s": result.requests_per_s,
            "p50_ms": result.percentile_ms(0.5), "p99_ms": result.percentile_ms(0.99),
            "non_2xx": result.errors, "socket_errors": 0}
