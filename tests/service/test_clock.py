"""The one clock: every time the sandbox reads comes from the service's Clock (settable per
firm), and every time it writes is RFC 3339 UTC in whole seconds."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.clock import Clock, rfc3339
from mock_server.service import SandboxService
from tests.api.helpers import AUTH, COMPANY_ID, OTHER_COMPANY_ID, posting_headers
from tests.api.operation_table import example_body

FROZEN = dt.datetime(2026, 6, 8, 15, 4, 5, 678000, tzinfo=dt.timezone.utc)
OTHER_FIRM_TOKEN = {"Authorization": "Bearer mcp_at_sandbox_northgate_firm_token"}


def test_rfc3339_is_utc_whole_seconds_with_z():
    assert rfc3339(FROZEN) == "2026-06-08T15:04:05Z"
    assert rfc3339(FROZEN.astimezone(dt.timezone(dt.timedelta(hours=-5)))) == "2026-06-08T15:04:05Z"
    assert rfc3339(FROZEN.replace(tzinfo=None)) == "2026-06-08T15:04:05Z"


def test_a_shift_moves_one_firm_only():
    clock = Clock(lambda: FROZEN)
    clock.shift("firm_a", dt.timedelta(days=2))
    assert clock.now("firm_a") == FROZEN + dt.timedelta(days=2)
    assert clock.now("firm_b") == clock.now() == FROZEN
    clock.shift("firm_a", dt.timedelta(0))
    assert clock.now("firm_a") == FROZEN and clock.shifts == {}
    with pytest.raises(ValueError):
        clock.shift("firm_a", dt.timedelta(days=100_000))


def test_the_sandbox_reads_time_from_its_clock_per_firm():
    clock = Clock(lambda: FROZEN)
    clock.shift("firm_northgate", dt.timedelta(days=1))
    service = SandboxService.from_fixtures(clock=clock)
    with TestClient(create_app(service=service), base_url="http://127.0.0.1:8080") as client:
        assert client.get("/api/health").json()["time"] == "2026-06-08T15:04:05Z"
        body = example_body("createCompanyPurchase")
        mine = client.post(f"/api/v1/companies/{COMPANY_ID}/purchases", headers=posting_headers(), json=body)
        assert mine.json()["createdAt"] == "2026-06-08T15:04:05Z"
        accounts = client.get(f"/api/v1/companies/{OTHER_COMPANY_ID}/accounts", headers=OTHER_FIRM_TOKEN).json()
        cash = next(a["id"] for a in accounts["data"] if a["type"] == "asset" and not a["isBankAccount"])
        expense = next(a["id"] for a in accounts["data"] if a["type"] == "expense")
        theirs = client.post(f"/api/v1/companies/{OTHER_COMPANY_ID}/purchases",
                             headers={**OTHER_FIRM_TOKEN, "Idempotency-Key": "clock-1"},
                             json={**body, "sourceAccountId": cash, "categoryAccountId": expense})
        assert theirs.status_code == 201, theirs.text
        assert theirs.json()["createdAt"] == "2026-06-09T15:04:05Z"
        assert client.get("/api/v1/companies", headers=AUTH).status_code == 200


WALL_TIME_READS = re.compile(r"\btime\.time\b|\bdatetime\.now\(|\butcnow\(|\bdate\.today\(|\bwall_clock\(|"
                             r"\btime\.localtime\(|\btime\.gmtime\(")
WALL_TIME_ALLOWED = {      # module -> why it may read the wall clock itself
    "mock_server/clock.py": "the source of the one clock",
    "mock_server/webhooks/delivery.py": "signatures carry real time (receivers check them against their clocks)",
    "mock_server/webhooks/retry_clock.py": "the default clock of a dispatcher without a sandbox",
    "mock_server/webhooks/events.py": "the default time of an event made without a sandbox",
    "mock_server/webhooks/subscriptions.py": "the default time of a subscription made without a sandbox",
}


def test_no_module_reads_wall_time_but_through_the_clock():
    """Everything dated follows the firm's sandbox clock: a module that reads the wall clock
    itself (time.time, datetime.now, date.today) fails here unless listed, with its reason."""
    root = Path(__file__).resolve().parents[2]
    readers = {}
    for path in sorted((root / "mock_server").rglob("*.py")):
        name = path.relative_to(root).as_posix()
        lines = [n for n, line in enumerate(path.read_text().splitlines(), 1)
                 if WALL_TIME_READS.search(line.split("#")[0])]
        if lines:
            readers[name] = lines
    assert set(readers) - set(WALL_TIME_ALLOWED) == set(), {k: readers[k] for k in set(readers) - set(WALL_TIME_ALLOWED)}
    assert set(WALL_TIME_ALLOWED) - set(readers) == set(), "an allowed module no longer reads wall time: unlist it"
