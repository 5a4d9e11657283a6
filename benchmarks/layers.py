"""The cost of each layer of the serving path on one route, from a profile.

N requests go through the app in this process (httpx's ASGI transport, no sockets) under
cProfile. Each layer is entered through a known function; its inclusive time is read from
the profile's caller->callee edges coming from outside the layer, and its own cost is that
minus the inclusive time of the next layer in. The shares are then applied to the route's
unprofiled time per request, so the profiler's overhead is not counted as a layer's. Time a
layer spends in the `send` of the response counts where the response is sent (the dispatcher).
"""

from __future__ import annotations

import asyncio
import cProfile
import logging
import pstats
import time
from typing import Callable

import httpx

from mock_server.app import create_app

BASE_URL = "http://127.0.0.1:8080"
WARMUP_REQUESTS = 50

Match = Callable[[str, int, str], bool]      # (file, first line, function name) -> in the layer


def entry(file_part: str, *names: str) -> Match:
    return lambda file, line, name: file_part in file and (not names or name in names)


def function(code_of) -> Match:
    """Exactly one function (two classes of one file may both have `__call__`)."""
    code = code_of.__code__
    return lambda file, line, name: file == code.co_filename and line == code.co_firstlineno and \
        name == code.co_name


def either(*matches: Match) -> Match:
    return lambda file, line, name: any(match(file, line, name) for match in matches)


def request_validation() -> Match:
    """Connexion's per-operation validation, or the sandbox's compiled form of it."""
    from mock_server.connexion_adapter import CompiledValidation
    return either(entry("connexion/middleware/request_validation.py", "__call__"),
                  function(CompiledValidation.__call__))


# Outermost first: (name, its entry, the layer it sits in). Each layer's own cost is its
# inclusive time minus that of the layers sitting directly in it.
LAYERS: tuple[tuple[str, Match, int | None], ...] = (
    ("outer middleware (request log, request id, CORS, MCP router)",
     entry("middleware/request_log.py", "__call__"), None),
    ("Connexion: error handling, routing", entry("connexion/middleware/main.py", "__call__"), 0),
    ("auth", entry("middleware/authentication.py", "__call__"), 1),
    ("body limits, forced faults", entry("middleware/body_limits.py", "__call__"), 2),
    ("request validation (Connexion, compiled schemas)",
     request_validation(), 3),
    ("dispatcher (arguments; the response sent back out)", entry("mock_server/dispatch.py", "__call__"), 4),
    ("handler (ledger, service)", entry("mock_server/api/"), 5),
    ("response shaping: records to JSON (shapes.py)", entry("mock_server/shapes.py"), 6),
    ("response shaping: encoding (orjson)", entry("mock_server/dispatch.py", "reply"), 5),
)


# The handlers are entered from the dispatcher (or the durable recorder); the service calling
# back into an api/ helper is the handler's own time, not a second entry.
ENTERED_FROM = {6: either(entry("mock_server/dispatch.py"), entry("mock_server/recording.py"))}


def inclusive_s(stats: pstats.Stats, match: Match, entered_from: Match | None = None) -> float | None:
    """Time inside the layer's functions entered from outside it, or None if never entered."""
    total, seen = 0.0, False
    for (file, line, name), (_, _, _, _, callers) in stats.stats.items():
        if not match(file, line, name):
            continue
        for (caller_file, caller_line, caller_name), edge in callers.items():
            outside = (entered_from(caller_file, caller_line, caller_name) if entered_from
                       else not match(caller_file, caller_line, caller_name))
            if outside:
                total, seen = total + edge[3], True
    return total if seen else None


def own_costs(stats: pstats.Stats) -> list[float | None]:
    """Each layer's own seconds: its inclusive time minus what nests directly inside it."""
    inside = [inclusive_s(stats, match, ENTERED_FROM.get(index)) for index, (_, match, _) in enumerate(LAYERS)]
    costs = []
    for index, value in enumerate(inside):
        children = [inside[i] for i, (_, _, parent) in enumerate(LAYERS) if parent == index and inside[i] is not None]
        costs.append(None if value is None else max(value - sum(children), 0.0))
    return costs


async def drive(app, method: str, path: str, headers: Callable[[], dict], body: bytes, count: int) -> float:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
        started = time.perf_counter()
        for _ in range(count):
            answer = await client.request(method, path, headers=headers(), content=body or None)
            assert answer.status_code < 300, (answer.status_code, answer.text[:200])
        return time.perf_counter() - started


def layer_rows(route: str, method: str, path: str, headers: Callable[[], dict], body: bytes,
               count: int) -> list[dict]:
    """One row per layer: its share of the route's in-process time and microseconds per request."""
    app = create_app()
    logging.disable(logging.WARNING)    # no lifespan here: the webhook queue fills and says so
    try:
        asyncio.run(drive(app, method, path, headers, body, WARMUP_REQUESTS))
        plain_s = asyncio.run(drive(app, method, path, headers, body, count)) / count
        profile = cProfile.Profile()
        profile.enable()
        profiled_s = asyncio.run(drive(app, method, path, headers, body, count)) / count
        profile.disable()
    finally:
        logging.disable(logging.NOTSET)
    stats = pstats.Stats(profile)
    rows = [{"section": f"layers: {route}", "name": "in-process total", "value": round(plain_s * 1e6),
             "unit": "us/request", "note": f"{count} requests, no sockets (profiled: {profiled_s * 1e6:.0f} us)"}]
    server_s = inclusive_s(stats, LAYERS[0][1])
    rows.append({"section": f"layers: {route}", "name": "in-process client (not the server)", "unit": "us/request",
                 "value": round(plain_s * 1e6 * (1 - (server_s or 0) / (profiled_s * count)))})
    for (name, _, _), cost in zip(LAYERS, own_costs(stats)):
        share = None if cost is None else cost / (profiled_s * count)
        rows.append({"section": f"layers: {route}", "name": name, "unit": "us/request",
                     "value": None if share is None else round(plain_s * 1e6 * share),
                     "share_pct": None if share is None else round(share * 100, 1),
                     "note": "" if share is not None else "not entered (layer not found in the profile)"})
    return rows
