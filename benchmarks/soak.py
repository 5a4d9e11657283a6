"""`make soak`: a mixed load on a sandbox this starts on 127.0.0.1, then its invariants.

32 clients (SOAK_CLIENTS) for SOAK_S seconds (default 60) send reads, postings (each with
its own Idempotency-Key; some keys sent twice, which must replay), voids of their own
receipts and reports. The sandbox keeps its state in a temporary `--state` file
(SOAK_STATE=0: in memory). Printed: requests served, answers by status, p50/p99 latency;
then the invariants, checked over HTTP: the trial balance nets to zero, the receipts are
exactly the posted entries (none missing, none extra, voids voided), and, with a state
file, the same after a SIGKILL and a restart on that file (its time printed too). Exit status 1 when an
invariant fails or an answer is not the one expected.
"""

from __future__ import annotations

import asyncio
import collections
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from benchmarks.routes import AUTH
from benchmarks.servers import free_port, start_sandbox

DURATION_S = float(os.environ.get("SOAK_S", "60"))
CLIENTS = int(os.environ.get("SOAK_CLIENTS", "32"))
WITH_STATE = os.environ.get("SOAK_STATE", "1") != "0"
REQUESTS_PER_CLIENT_MAX = 1_000_000
COMPANY = "/api/v1/companies/cmp_brightpixel"
LEGACY = dict(AUTH, **{"x-organization-id": "org_brightpixel"})
READS = (f"{COMPANY}/journal-entries?limit=50", f"{COMPANY}/accounts?limit=50", "/api/health")
REPORTS = (f"{COMPANY}/reports/trial-balance", f"{COMPANY}/reports/balance-sheet",
           f"{COMPANY}/reports/profit-and-loss?startDate=2026-01-01&endDate=2026-12-31")
MIX = (("read", 40), ("post", 30), ("report", 15), ("void", 10), ("retry", 5))
SEED = 14


@dataclass
class Tally:
    statuses: collections.Counter = field(default_factory=collections.Counter)
    unexpected: collections.Counter = field(default_factory=collections.Counter)
    latencies_ms: list[float] = field(default_factory=list)
    receipts: dict[str, dict] = field(default_factory=dict)     # key -> receipt
    voided: set[str] = field(default_factory=set)

    def percentile_ms(self, share: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def purchase(key: str) -> dict:
    return {"date": "2026-06-08", "sourceAccountId": "acc_bp_checking", "amountCents": 1234,
            "categoryAccountId": "acc_bp_office_supplies", "description": f"soak {key}"}


async def timed(client: httpx.AsyncClient, tally: Tally, expected: int, method: str, path: str, **kwargs):
    started = time.perf_counter()
    response = await client.request(method, path, **kwargs)
    tally.latencies_ms.append((time.perf_counter() - started) * 1000)
    tally.statuses[response.status_code] += 1
    if response.status_code != expected:
        tally.unexpected[f"{method} {path.split('?')[0]} -> {response.status_code}"] += 1
    return response


async def step(client: httpx.AsyncClient, tally: Tally, chooser: random.Random, name: str, mine: list) -> None:
    kind = chooser.choices([k for k, _ in MIX], [w for _, w in MIX])[0]
    if kind == "read":
        await timed(client, tally, 200, "GET", chooser.choice(READS))
    elif kind == "report":
        await timed(client, tally, 200, "GET", chooser.choice(REPORTS))
    elif kind == "void" and mine:
        entry_id = mine.pop(chooser.randrange(len(mine)))
        if (await timed(client, tally, 200, "POST", f"/api/v1/entries/{entry_id}/void", json={})).status_code == 200:
            tally.voided.add(entry_id)
    elif kind == "retry" and tally.receipts:
        key = chooser.choice(list(tally.receipts))
        again = await timed(client, tally, 201, "POST", f"{COMPANY}/purchases", json=purchase(key),
                            headers={"Idempotency-Key": key})
        if again.headers.get("Idempotent-Replayed") != "true" or again.json() != tally.receipts[key]:
            tally.unexpected["a retried key did not replay its receipt"] += 1
    else:
        key = f"{name}-{len(tally.receipts)}-{chooser.getrandbits(32):08x}"
        posted = await timed(client, tally, 201, "POST", f"{COMPANY}/purchases", json=purchase(key),
                             headers={"Idempotency-Key": key})
        if posted.status_code == 201:
            tally.receipts[key] = posted.json()
            mine.append(posted.json()["journalEntryId"])


async def client_loop(number: int, base_url: str, tally: Tally, deadline: float) -> None:
    chooser, mine = random.Random(SEED * 1000 + number), []
    async with httpx.AsyncClient(base_url=base_url, headers=LEGACY, timeout=30.0) as client:
        for _ in range(REQUESTS_PER_CLIENT_MAX):
            if time.perf_counter() >= deadline:
                return
            await step(client, tally, chooser, f"c{number}", mine)


async def soak(base_url: str) -> Tally:
    tally = Tally()
    deadline = time.perf_counter() + DURATION_S
    await asyncio.gather(*(client_loop(n, base_url, tally, deadline) for n in range(CLIENTS)))
    return tally


def invariants(base_url: str, tally: Tally) -> list[tuple[str, bool]]:
    with httpx.Client(base_url=base_url, headers=LEGACY, timeout=60.0) as client:
        rows = client.get(f"{COMPANY}/reports/trial-balance").json()["rows"]
        entries, cursor = {}, None
        for _ in range(100_000):
            page = client.get(f"{COMPANY}/journal-entries",
                              params={"limit": 100, **({"cursor": cursor} if cursor else {})}).json()
            entries.update((e["id"], e) for e in page["data"] if e["description"].startswith("soak "))
            cursor = page.get("nextCursor")
            if not cursor:
                break
    receipt_ids = {receipt["journalEntryId"] for receipt in tally.receipts.values()}
    return [
        ("trial balance nets to zero", sum(r["debitCents"] for r in rows) == sum(r["creditCents"] for r in rows)),
        (f"receipts ({len(receipt_ids)}) equal the posted entries ({len(entries)})", receipt_ids == set(entries)),
        (f"voided entries ({len(tally.voided)}) are voided",
         all(entries[i]["status"] == "voided" for i in tally.voided if i in entries)),
    ]


def report(tally: Tally, seconds: float, checks: list[tuple[str, bool]]) -> bool:
    served = sum(tally.statuses.values())
    print(f"Soak: {CLIENTS} clients, {seconds:.0f} s, sandbox {'with --state' if WITH_STATE else 'in memory'}")
    print(f"requests served: {served:,} ({served / seconds:,.0f}/s); by status: "
          + ", ".join(f"{status}: {count:,}" for status, count in sorted(tally.statuses.items())))
    print(f"latency p50 {tally.percentile_ms(0.5):.1f} ms, p99 {tally.percentile_ms(0.99):.1f} ms")
    print(f"errors (answers not the one expected): {sum(tally.unexpected.values())}"
          + "".join(f"\n  {what}: {count}" for what, count in tally.unexpected.most_common(10)))
    for name, held in checks:
        print(f"  [{'ok' if held else 'FAILED'}] {name}")
    return not tally.unexpected and all(held for _, held in checks)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="ledgerhq-soak-") as folder:
        extra = ("--state", str(Path(folder) / "soak.sqlite")) if WITH_STATE else ()
        port = free_port()
        process = start_sandbox(port, *extra)
        base_url = f"http://127.0.0.1:{port}"
        try:
            started = time.perf_counter()
            tally = asyncio.run(soak(base_url))
            seconds = time.perf_counter() - started
            checks = invariants(base_url, tally)
        finally:
            process.kill()                      # SIGKILL: the restart replays the journal
            process.wait(timeout=60)
        if WITH_STATE:
            restarted_at = time.perf_counter()
            process = start_sandbox(port, *extra)
            try:
                restart_s = time.perf_counter() - restarted_at
                checks += [(f"after SIGKILL and a restart ({restart_s:.1f} s): {name}", held)
                           for name, held in invariants(base_url, tally)]
            finally:
                process.terminate()
                process.wait(timeout=60)
    return 0 if report(tally, seconds, checks) else 1


if __name__ == "__main__":
    sys.exit(main())
