"""`make bench` (BENCH=quick for a fast look): one table and benchmarks/results.json.

In one run, on 127.0.0.1: the sandbox and Stoplight Prism's mock side by side on the same
routes, driven alternately by the same load generator (wrk, pinned to its own core), a bare
ASGI app on the sandbox's uvicorn settings as the ceiling, the cost of each serving layer,
start-up, the conformance suite's wall time, and the scale rows of benchmarks/scale.py.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

from benchmarks import lifecycle, servers, table, wrk
from benchmarks.bare_asgi import BODY as BARE_BODY
from benchmarks.layers import layer_rows
from benchmarks.prism import PRISM_BIN, PRISM_VERSION, ensure_prism, prism_command
from benchmarks.routes import (LIST_ROUTE, POSTING_ROUTE, ROUTES, LoadGenerator, Route, durable_row,
                               http_row, validation_row)
from benchmarks.table import print_table  # noqa: F401  (the other bench scripts print with it)

QUICK = os.environ.get("BENCH", "").strip().lower() == "quick"
SECONDS = float(os.environ.get("BENCH_SECONDS", "2" if QUICK else "5"))
CONNECTIONS = (16,) if QUICK else (1, 16)
LAYER_REQUESTS = 200 if QUICK else 1000
STARTUP_RUNS = 1 if QUICK else 5
BOUND_S = 420 if QUICK else 1500    # the longest a run takes here, Prism's install included (full: mostly
                                    # the suite's full profile); the scale rows of scale.py come on top
CEILING = Route("bare ASGI (fixed JSON body)", "GET", "/", {})
CONNEXION_FLOOR = Route("bare Connexion (one GET, fixed body)", "GET", "/", {})


def measured(generator: LoadGenerator, server: servers.Server, route: Route, connections: int) -> dict:
    """The load generator's figures, and the server's CPU time per request (steadier than
    req/s on a shared machine)."""
    cpu_before = server.cpu_s()
    figures = generator.measure(server.port, route, connections, SECONDS)
    figures["cpu_ms"] = (server.cpu_s() - cpu_before) * 1000 / max(figures["requests"], 1)
    print(f"  {server.name}: {route.name}, {connections} conn: {figures['requests_per_s']:,.0f} req/s", flush=True)
    return figures


def http_rows(generator, sandbox, bare, floor, prism) -> tuple[list[dict], dict]:
    """Per connection count: the ceiling, Connexion's floor, then each route on the sandbox and on
    Prism in turn."""
    rows, ours_by = [], {}
    for connections in CONNECTIONS:
        ceiling = measured(generator, bare, CEILING, connections)
        rows.append({"section": "http", "name": CEILING.name, "connections": connections,
                     "requests_per_s": round(ceiling["requests_per_s"]), "p50_ms": ceiling.get("p50_ms"),
                     "p99_ms": ceiling.get("p99_ms"), "cpu_ms": ceiling["cpu_ms"], "ceiling_pct": 100.0,
                     "note": f"{len(BARE_BODY)}-byte body, the ceiling of every % below"})
        if floor is not None:
            plain = measured(generator, floor, CONNEXION_FLOOR, connections)
            rows.append({"section": "http", "name": CONNEXION_FLOOR.name, "connections": connections,
                         "requests_per_s": round(plain["requests_per_s"]), "p50_ms": plain.get("p50_ms"),
                         "p99_ms": plain.get("p99_ms"), "cpu_ms": plain["cpu_ms"],
                         "ceiling_pct": round(100 * plain["requests_per_s"] / ceiling["requests_per_s"], 1),
                         "ceiling_cpu_pct": round(100 * ceiling["cpu_ms"] / plain["cpu_ms"], 1),
                         "note": "stock Connexion 3 AsyncApp, one GET, a fixed body (benchmarks/bare_connexion.py)"})
        for route in ROUTES:
            ours = measured(generator, sandbox, route, connections)
            theirs = measured(generator, prism, route, connections) if prism else None
            ours_by[route.name, connections] = ours
            rows.append(http_row(route, connections, ours, theirs, ceiling))
    return rows, ours_by


def flag_rows(generator, ours_by: dict) -> list[dict]:
    """The posting on a sandbox with --state, the list with --validate-responses strict."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="ledgerhq-bench-") as folder:
        for route, options, make_row in (
                (POSTING_ROUTE, ("--state", str(Path(folder) / "bench.sqlite")), durable_row),
                (LIST_ROUTE, ("--validate-responses", "strict"), validation_row)):
            port = servers.free_port()
            server = servers.start(f"sandbox {options[0]}", servers.sandbox_command(port, *options), port)
            try:
                for connections in CONNECTIONS:
                    rows.append(make_row(connections, ours_by[route.name, connections],
                                         measured(generator, server, route, connections)))
            finally:
                server.stop()
    return rows


def serving_rows(generator, prism_path, notes: list[str]) -> list[dict]:
    started = []
    try:
        port = servers.free_port()
        sandbox = servers.start("sandbox", servers.sandbox_command(port), port)
        started.append(sandbox)
        port = servers.free_port()
        bare = servers.start("bare ASGI", servers.bare_command(port), port, "/")
        started.append(bare)
        port = servers.free_port()
        floor = servers.start("bare Connexion", servers.bare_connexion_command(port), port, "/")
        started.append(floor)
        prism = None
        if prism_path:
            port = servers.free_port()
            try:
                prism = servers.start("Prism", prism_command(prism_path, port), port)
                started.append(prism)
            except RuntimeError as error:
                notes.append(f"Prism skipped: {error}")
        rows, ours_by = http_rows(generator, sandbox, bare, floor, prism)
    finally:
        for server in started:
            server.stop()
    if prism:
        rows.append({"section": "start-up", "name": "Prism: process start to first answer (for comparison)",
                     "value": round(prism.startup_s, 2), "unit": "s"})
    return rows + flag_rows(generator, ours_by)


def profile_rows() -> list[dict]:
    counter = iter(range(1, 10**12))
    keyed = lambda: {**POSTING_ROUTE.headers, "Idempotency-Key": f"layers-{next(counter)}"}  # noqa: E731
    return (layer_rows(LIST_ROUTE.name, "GET", LIST_ROUTE.path, lambda: LIST_ROUTE.headers, b"", LAYER_REQUESTS)
            + layer_rows(POSTING_ROUTE.name, "POST", POSTING_ROUTE.path, keyed, POSTING_ROUTE.body, LAYER_REQUESTS))


def header_lines(generator: LoadGenerator, cores: tuple, notes: list[str]) -> list[str]:
    server_core, load_core = cores
    if server_core is None:
        pinning = f"not pinned (taskset or a second core missing): {generator.name} and the servers share the cores"
    elif generator.wrk_path:
        pinning = (f"servers pinned to core {server_core} (taskset -c {server_core}), wrk on core {load_core} "
                   f"(taskset -c {load_core}, one thread)")
    else:
        pinning = f"servers pinned to core {server_core}; {generator.name} runs in the bench process, unpinned"
    return [f"bench ({'BENCH=quick' if QUICK else 'full'}), 127.0.0.1, {generator.name}, {SECONDS:g} s per measure, "
            f"{' and '.join(map(str, CONNECTIONS))} connections; {pinning}",
            "Prism answers the contract's static examples (a list has the example's 1 item; a posting stores "
            "nothing): its posting row is shown, not held to a target",
            "x Prism: req/s over Prism's; x Prism CPU: Prism's server CPU time per request over the sandbox's "
            "(steadier when the machine is shared); % ceiling CPU: the bare app's CPU per request over the route's; "
            "the targets are held on req/s, as the issue states them",
            "layers: cProfile over in-process requests (httpx ASGI transport): each layer's own share of the "
            "route's time, no sockets; durable state and response validation: the same route over HTTP, flag on vs off",
            *notes]


def main() -> int:
    warnings.simplefilter("ignore", DeprecationWarning)
    started, started_utc = time.perf_counter(), dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    print(f"bench: {'BENCH=quick' if QUICK else 'full run (BENCH=quick for a fast look)'}: "
          f"finishes within {BOUND_S // 60} min here (plus the scale rows of benchmarks/scale.py)", flush=True)
    notes: list[str] = []
    cores = servers.cores()
    wrk_path, note = wrk.ensure_wrk()
    notes += [note] if note else []
    if not wrk_path:
        notes.append("load generator: benchmarks/load.py (Python, in the bench process) instead of wrk")
    generator = LoadGenerator(wrk_path, cores[1])
    if not PRISM_BIN.exists():
        print(f"  Prism {PRISM_VERSION}: installing into build/prism/ with npm (first use) ...", flush=True)
    prism_path, note = ensure_prism()
    notes += [note] if note else []
    rows = serving_rows(generator, prism_path, notes)
    print("  the layers' profile, start-up, the suite ...", flush=True)
    rows += profile_rows() + lifecycle.startup_rows(STARTUP_RUNS)
    rows += [lifecycle.suite_row(profile) for profile in (("quick",) if QUICK else ("quick", "full"))]
    scale_started = time.perf_counter()
    scale, note = lifecycle.scale_rows(QUICK)
    rows += scale
    notes += [note] if note else [f"scale rows (benchmarks/scale.py) took {time.perf_counter() - scale_started:.0f} s"]
    wall_s = time.perf_counter() - started
    print("\n" + "\n".join(header_lines(generator, cores, notes)))
    table.print_rows(rows)
    path = table.write_results({
        "command": ("make bench BENCH=quick" if QUICK else "make bench"), "argv": sys.argv, "mode": "quick" if QUICK else "full",
        "started_utc": started_utc, "wall_s": round(wall_s, 1), "bound_s": BOUND_S,
        "machine": table.machine(PRISM_VERSION if prism_path else None, wrk_path), "load_generator": generator.name,
        "cores": {"server": cores[0], "load": cores[1]}, "notes": header_lines(generator, cores, notes), "rows": rows})
    print(f"\nwall time {wall_s:.0f} s (bound {BOUND_S} s); results in {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
