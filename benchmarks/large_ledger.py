"""Report speed on a large ledger, in-process: the balance index keeps reports from
rescanning every line, so they stay in milliseconds however long the journal grows."""

from __future__ import annotations

import datetime as dt
import os
import random
import resource
import time

from mock_server.ledger import load_sandbox_text
from mock_server.ledger.inputs import EntryInput, LineInput

LINES_LARGE = int(os.environ.get("BENCH_LINES", "1000000"))
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.timezone.utc)
REPEATS = 20
BOOKS_YAML = """\
firms: [{id: firm_bench, name: Bench Firm}]
organizations: [{id: org_bench, name: Bench Org, companyId: cmp_bench, firmId: firm_bench}]
companies:
- id: cmp_bench
  name: Bench Co
  organizationId: org_bench
  firmId: firm_bench
  accounts:
  - {id: acc_cash, code: "1000", name: Cash, type: asset, subtype: current_asset}
  - {id: acc_ar, code: "1200", name: Receivables, type: asset, subtype: accounts_receivable}
  - {id: acc_ap, code: "2000", name: Payables, type: liability, subtype: accounts_payable}
  - {id: acc_equity, code: "3000", name: Equity, type: equity}
  - {id: acc_sales, code: "4000", name: Sales, type: income}
  - {id: acc_rent, code: "6000", name: Rent, type: expense}
  - {id: acc_supplies, code: "6200", name: Supplies, type: expense}
"""
PAIRS = (("acc_cash", "acc_sales"), ("acc_rent", "acc_cash"), ("acc_supplies", "acc_ap"),
         ("acc_ar", "acc_sales"), ("acc_cash", "acc_ar"), ("acc_ap", "acc_cash"))


def build_books(lines: int):
    books = load_sandbox_text(BOOKS_YAML, NOW).companies["cmp_bench"]
    chooser = random.Random(7)
    start = dt.date(2024, 1, 1)
    for number in range(lines // 2):
        debit, credit = PAIRS[number % len(PAIRS)]
        amount = chooser.randint(1, 500_000)
        entry = EntryInput(start + dt.timedelta(days=number % 1000), f"Entry {number}",
                           (LineInput(debit, debit_cents=amount), LineInput(credit, credit_cents=amount)))
        books.post("journal_entry", entry, NOW)
    return books


def timed_ms(action) -> float:
    started = time.perf_counter()
    for _ in range(REPEATS):
        action()
    return (time.perf_counter() - started) * 1000 / REPEATS


def report_timings() -> tuple[list[str], list[list[str]]]:
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    books = build_books(LINES_LARGE)
    build_s = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    as_of, start, end = dt.date(2026, 6, 30), dt.date(2026, 1, 1), dt.date(2026, 6, 30)
    month_start, month_end = dt.date(2026, 6, 1), dt.date(2026, 6, 30)
    rows = [
        ["trial balance", f"{timed_ms(lambda: books.trial_balance(as_of)):.3f}"],
        ["balance sheet", f"{timed_ms(lambda: books.balance_sheet(as_of)):.3f}"],
        ["profit and loss (6 months)", f"{timed_ms(lambda: books.profit_and_loss(start, end)):.3f}"],
        ["general ledger, one account, one month",
         f"{timed_ms(lambda: books.general_ledger(month_start, month_end, account_id='acc_rent')):.3f}"],
        ["account balance as of a date", f"{timed_ms(lambda: books.account_balance_cents('acc_cash', as_of)):.3f}"],
    ]
    print(f"Large ledger: {LINES_LARGE:,} lines posted in {build_s:.1f} s through the domain API; "
          f"peak memory grew {rss_after - rss_before:,.0f} MiB")
    return ["report on the large ledger", "ms per call"], rows
