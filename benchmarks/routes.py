"""The routes a bench run drives over HTTP, the load generator that drives them (wrk pinned
to the load core, else load.py), and the targets each row is held to."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from benchmarks import wrk

TOKEN = "mcp_at_sandbox_summit_firm_token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
LEGACY = {**AUTH, "x-organization-id": "org_brightpixel"}
PURCHASE = (b'{"date":"2026-06-08","sourceAccountId":"acc_bp_checking","amountCents":4299,'
            b'"categoryAccountId":"acc_bp_office_supplies","description":"Office supplies"}')
READ_CEILING_PCT_MIN = 25.0
WRITE_CEILING_PCT_MIN = 10.0
PRISM_RATIO_MIN = 4.0
DURABLE_SHARE_MIN = 2 / 3        # durable state costs a posting at most a third of its req/s


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: str
    headers: dict
    body: bytes = b""
    keyed: bool = False         # a fresh Idempotency-Key on every request

    @property
    def reads(self) -> bool:
        return self.method == "GET"


# The default fixtures' company has 27 accounts (the list of accounts falls short of 50) and
# more than 50 journal entries: the 50-item list is the journal entries'.
ROUTES = (
    Route("health", "GET", "/api/health", {}),
    Route("list 50 entries", "GET", "/api/v1/companies/cmp_brightpixel/journal-entries?limit=50", AUTH),
    Route("trial balance", "GET", "/api/v1/companies/cmp_brightpixel/reports/trial-balance", AUTH),
    Route("balance sheet (legacy /api/v1/reports)", "GET", "/api/v1/reports/balance-sheet", LEGACY),
    Route("post purchase (fresh key)", "POST", "/api/v1/companies/cmp_brightpixel/purchases",
          {**AUTH, "Content-Type": "application/json"}, PURCHASE, keyed=True),
)
LIST_ROUTE, POSTING_ROUTE = ROUTES[1], ROUTES[4]


class LoadGenerator:
    """wrk on the load core when it is there, else the Python generator in this process."""

    def __init__(self, wrk_path: str | None, load_core: int | None) -> None:
        self.wrk_path = wrk_path
        self.load_core = load_core

    @property
    def name(self) -> str:
        return "wrk" if self.wrk_path else "benchmarks/load.py"

    def measure(self, port: int, route: Route, connections: int, seconds: float) -> dict:
        prefix = f"bench-{uuid.uuid4().hex[:12]}-" if route.keyed else None
        if self.wrk_path:
            return wrk.run_wrk(self.wrk_path, self.load_core, port, connections, seconds, route.method,
                               route.path, route.headers, route.body, prefix)
        return wrk.run_python(port, connections, seconds, route.method, route.path, route.headers,
                              route.body, prefix)


def http_row(route: Route, connections: int, ours: dict, prism: dict | None, ceiling: dict | None) -> dict:
    """One row: the sandbox's figures, Prism's beside them, the ratio, the share of the ceiling
    and whether the issue's targets are met."""
    row = {"section": "http", "name": route.name, "connections": connections,
           "requests_per_s": round(ours["requests_per_s"]), "p50_ms": ours.get("p50_ms"),
           "p99_ms": ours.get("p99_ms"), "cpu_ms": ours.get("cpu_ms"),
           "errors": ours["non_2xx"] + ours["socket_errors"]}
    checks, targets = [], []
    if ceiling:
        row["ceiling_pct"] = round(100 * ours["requests_per_s"] / ceiling["requests_per_s"], 1)
        if ours.get("cpu_ms") and ceiling.get("cpu_ms"):
            row["ceiling_cpu_pct"] = round(100 * ceiling["cpu_ms"] / ours["cpu_ms"], 1)
        floor = READ_CEILING_PCT_MIN if route.reads else WRITE_CEILING_PCT_MIN
        targets.append(f">={floor:g}% ceiling")
        checks.append(row["ceiling_pct"] >= floor)
    if prism:
        row.update(prism_requests_per_s=round(prism["requests_per_s"]), prism_p50_ms=prism.get("p50_ms"),
                   prism_p99_ms=prism.get("p99_ms"), prism_cpu_ms=prism.get("cpu_ms"),
                   x_prism=round(ours["requests_per_s"] / max(prism["requests_per_s"], 1e-9), 2))
        if ours.get("cpu_ms") and prism.get("cpu_ms"):
            row["x_prism_cpu"] = round(prism["cpu_ms"] / ours["cpu_ms"], 2)
        if route.reads:
            targets.append(f">={PRISM_RATIO_MIN:g}x Prism")
            checks.append(row["x_prism"] >= PRISM_RATIO_MIN)
    row["target"] = ", ".join(targets)
    row["ok"] = all(checks) and row["errors"] == 0 if checks else None
    if row["errors"]:
        row["note"] = f"{row['errors']} non-2xx or socket errors"
    return row


def durable_row(connections: int, memory: dict, durable: dict) -> dict:
    share = durable["requests_per_s"] / max(memory["requests_per_s"], 1e-9)
    return {"section": f"layers: {POSTING_ROUTE.name}", "name": "durable state (--state), over HTTP",
            "connections": connections, "requests_per_s": round(durable["requests_per_s"]),
            "p50_ms": durable.get("p50_ms"), "p99_ms": durable.get("p99_ms"), "cpu_ms": durable.get("cpu_ms"),
            "value": round(100 * (1 - share), 1), "unit": "% of in-memory req/s lost",
            "target": "costs <=1/3 of req/s", "ok": share >= DURABLE_SHARE_MIN}


def validation_row(connections: int, off: dict, strict: dict) -> dict:
    share = strict["requests_per_s"] / max(off["requests_per_s"], 1e-9)
    return {"section": f"layers: {LIST_ROUTE.name}", "name": "response validation (--validate-responses strict), over HTTP",
            "connections": connections, "requests_per_s": round(strict["requests_per_s"]),
            "p50_ms": strict.get("p50_ms"), "p99_ms": strict.get("p99_ms"), "cpu_ms": strict.get("cpu_ms"),
            "value": round(100 * (1 - share), 1), "unit": "% of req/s lost", "target": "", "ok": None}
