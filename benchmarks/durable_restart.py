"""The restart of a large durable state, in-process: a sandbox whose books hold
LINES_LARGE lines (BENCH_LINES), its state image written to a `--state` file, then a new
sandbox restored from that file, as `serve --state` does at start-up."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import tempfile
import time
from pathlib import Path

from benchmarks.large_ledger import BOOKS_YAML, LINES_LARGE, NOW, PAIRS
from ledgerhq_contract import load_contract
from mock_server.ledger import load_sandbox_text
from mock_server.ledger.inputs import EntryInput, LineInput
from mock_server.service import SandboxService
from mock_server.service.durable import DurableJournal, open_service


def large_service(lines: int) -> SandboxService:
    service = SandboxService(load_sandbox_text(BOOKS_YAML, NOW), load_contract(), Path("bench.yaml"))
    books = service.data.companies["cmp_bench"]
    start = dt.date(2024, 1, 1)
    for number in range(lines // 2):
        debit, credit = PAIRS[number % len(PAIRS)]
        amount = 1 + number % 500_000
        books.post("journal_entry", EntryInput(start + dt.timedelta(days=number % 1000), f"Entry {number}",
                                               (LineInput(debit, debit_cents=amount),
                                                LineInput(credit, credit_cents=amount))), NOW)
    return service


def restart_timings(lines: int = LINES_LARGE) -> tuple[list[str], list[list[str]]]:
    service = large_service(lines)
    with tempfile.TemporaryDirectory(prefix="ledgerhq-restart-") as folder:
        path = Path(folder) / "state.sqlite"
        journal = DurableJournal(path)
        journal.describe_new("bench.yaml", {})
        started, cpu = time.perf_counter(), time.process_time()
        journal.save_image(service)
        image_s, image_cpu_s = time.perf_counter() - started, time.process_time() - cpu
        journal.close()
        size_mb = journal.image_path.stat().st_size / 1e6
        started, cpu = time.perf_counter(), time.process_time()
        restored = open_service(path)
        asyncio.run(restored.journal.recover(restored))
        restore_s, restore_cpu_s = time.perf_counter() - started, time.process_time() - cpu
        restored.journal.close()
    same = len(restored.data.companies["cmp_bench"].entries) == lines // 2
    return (["durable state", f"{lines:,} lines", "CPU s"],
            [["state image written (s)", f"{image_s:.1f}", f"{image_cpu_s:.1f}"],
             ["state file (MB)", f"{size_mb:.0f}", ""],
             ["restart: state restored (s)", f"{restore_s:.1f}" + ("" if same else " (entries differ!)"),
              f"{restore_cpu_s:.1f}"]])


if __name__ == "__main__":
    from benchmarks.run import print_table
    print_table(*restart_timings(int(os.environ.get("BENCH_LINES", LINES_LARGE))))
