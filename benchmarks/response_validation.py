"""What `--validate-responses warn|strict` costs: in-process time per request of a few routes, each mode.

The app is driven through Starlette's TestClient (no sockets), so the figures are the sandbox's own work
per request plus the client's; the difference between modes is the validation layer's cost.
"""
from __future__ import annotations

import time

from starlette.testclient import TestClient

from mock_server.app import create_app

MODES = ("off", "warn", "strict")
REQUESTS_PER_ROUTE = 150
AUTH = {"Authorization": "Bearer mcp_at_sandbox_summit_firm_token"}
ROUTES = (
    ("health", "/api/health"),
    ("list 50 entries", "/api/v1/companies/cmp_brightpixel/journal-entries?limit=50"),
    ("trial balance", "/api/v1/companies/cmp_brightpixel/reports/trial-balance"),
    ("bad cursor (400)", "/api/v1/companies/cmp_brightpixel/journal-entries?cursor=bad"),
)


def ms_per_request(client: TestClient, path: str, count: int) -> float:
    client.get(path, headers=AUTH)                      # warm-up
    started = time.perf_counter()
    for _ in range(count):
        client.get(path, headers=AUTH)
    return (time.perf_counter() - started) * 1000 / count


def validation_timings(count: int = REQUESTS_PER_ROUTE) -> tuple[list[str], list[list[str]]]:
    """(header, rows): ms per request in each mode, and what warn and strict add to off."""
    clients = {mode: TestClient(create_app(validate_responses=mode), base_url="http://127.0.0.1:8080")
               for mode in MODES}
    rows = []
    for name, path in ROUTES:
        times = {mode: ms_per_request(clients[mode], path, count) for mode in MODES}
        rows.append([name] + [f"{times[mode]:.2f}" for mode in MODES]
                    + [f"+{times[mode] - times['off']:.2f}" for mode in ("warn", "strict")])
    return ["route (in-process)", "off ms", "warn ms", "strict ms", "warn adds", "strict adds"], rows


if __name__ == "__main__":
    from benchmarks.run import print_table
    print_table(*validation_timings())
