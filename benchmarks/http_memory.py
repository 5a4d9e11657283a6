"""Resident memory per journal line posted over HTTP: the sandbox with its default
fixtures, ENTRIES journal entries of ten lines with line descriptions, each with a fresh
Idempotency-Key (so receipts and idempotency records count), server RSS after minus before.

    python -m benchmarks.http_memory [entries]
"""
from __future__ import annotations

import http.client
import json
import sys

from benchmarks.routes import AUTH
from benchmarks.servers import free_port, start_sandbox

ENTRIES, LINES_PER_ENTRY, WARMUP_ENTRIES = 3_000, 10, 300
PATH = "/api/v1/companies/cmp_brightpixel/journal-entries"
DEBITS = ("acc_bp_rent", "acc_bp_software", "acc_bp_office_supplies", "acc_bp_meals", "acc_bp_contractors")


def entry_body(number: int) -> bytes:
    lines = [{"accountId": DEBITS[n % len(DEBITS)], "debitCents": 1000 + n + number,
              "description": f"Line {n} of entry {number}"} for n in range(LINES_PER_ENTRY - 1)]
    total = sum(line["debitCents"] for line in lines)
    lines.append({"accountId": "acc_bp_checking", "creditCents": total, "description": "Paid"})
    return json.dumps({"date": "2026-06-08", "description": f"Monthly costs {number}",
                       "reference": f"R-{number}", "lines": lines}).encode()


def post_entries(port: int, first: int, count: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for number in range(first, first + count):
        headers = dict(AUTH, **{"Idempotency-Key": f"mem-{number}", "Content-Type": "application/json"})
        connection.request("POST", PATH, body=entry_body(number), headers=headers)
        response = connection.getresponse()
        response.read()
        assert response.status in (200, 201), response.status


def bytes_per_line_over_http(entries: int = ENTRIES) -> float:
    from benchmarks.scale import rss_bytes          # scale.py imports this module for its full rows
    port = free_port()
    process = start_sandbox(port)
    try:
        post_entries(port, 0, WARMUP_ENTRIES)
        before = rss_bytes(process.pid)
        post_entries(port, WARMUP_ENTRIES, entries)
        return (rss_bytes(process.pid) - before) / (entries * LINES_PER_ENTRY)
    finally:
        process.terminate()
        process.wait(timeout=30)


if __name__ == "__main__":
    print(f"{bytes_per_line_over_http(int(sys.argv[1]) if sys.argv[1:] else ENTRIES):.0f} B/line")
