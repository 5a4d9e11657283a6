import datetime as dt

import pytest

from mock_server.ledger import (
    EntryInput, InvalidField, LineInput, NotFound, CategorizedInput,
)
from tests.ledger.books_yaml import NOW, books_from_yaml

REPORT_YAML = """\
accounts:
  - {id: acc_cash, code: "1000", name: Cash, type: asset}
  - {id: acc_equity, code: "3000", name: Equity, type: equity}
  - {id: acc_sales, code: "4000", name: Sales, type: income}
  - {id: acc_rent, code: "6000", name: Rent, type: expense}
entries:
  - {id: je_1, date: "2026-01-01", description: Capital, lines: [{accountId: acc_cash, debitCents: 10000}, {accountId: acc_equity, creditCents: 10000}]}
  - {id: je_2, date: "2026-01-31", description: Sale, lines: [{accountId: acc_cash, debitCents: 2500}, {accountId: acc_sales, creditCents: 2500}]}
  - {id: je_3, date: "2026-02-01", description: Rent, lines: [{accountId: acc_rent, debitCents: 1000}, {accountId: acc_cash, creditCents: 1000}]}
  - {id: je_4, date: "2026-02-02", description: Voided sale, status: voided, lines: [{accountId: acc_cash, debitCents: 700}, {accountId: acc_sales, creditCents: 700}]}
  - {id: je_5, date: "2026-02-03", description: Draft rent, status: draft, lines: [{accountId: acc_rent, debitCents: 300}, {accountId: acc_cash, creditCents: 300}]}
"""
JAN_1, JAN_31, FEB_1, DEC_31 = (dt.date(2026, 1, 1), dt.date(2026, 1, 31), dt.date(2026, 2, 1),
                                dt.date(2026, 12, 31))


def test_trial_balance_counts_posted_only_and_omits_zero_rows() -> None:
    report = books_from_yaml(REPORT_YAML).trial_balance(DEC_31)
    rows = {row.account_id: (row.debit_cents, row.credit_cents) for row in report.rows}
    assert rows == {"acc_cash": (11500, 0), "acc_equity": (0, 10000), "acc_sales": (0, 2500),
                    "acc_rent": (1000, 0)}
    assert report.total_debit_cents == report.total_credit_cents == 12500
    assert report.currency == "USD" and report.company_id == "cmp_a"


def test_date_windows_are_inclusive() -> None:
    books = books_from_yaml(REPORT_YAML)
    assert books.profit_and_loss(JAN_31, JAN_31).net_income_cents == 2500
    assert books.profit_and_loss(JAN_1, JAN_31).net_income_cents == 2500
    assert books.profit_and_loss(FEB_1, FEB_1).net_income_cents == -1000
    assert books.trial_balance(JAN_1).total_debit_cents == 10000         # asOf includes its day
    assert books.trial_balance(dt.date(2025, 12, 31)).rows == ()


def test_balance_sheet_balances_with_earnings_to_date() -> None:
    sheet = books_from_yaml(REPORT_YAML).balance_sheet(DEC_31)
    assert sheet.total_assets_cents == 11500
    assert sheet.earnings_to_date_cents == 1500
    assert sheet.total_equity_cents == 11500 and sheet.total_liabilities_cents == 0
    assert sheet.total_liabilities_and_equity_cents == sheet.total_assets_cents


def test_general_ledger_runs_from_opening_to_closing() -> None:
    books = books_from_yaml(REPORT_YAML)
    ledger = books.general_ledger(FEB_1, DEC_31, "acc_cash")
    (cash,) = ledger.accounts
    assert (cash.opening_balance_cents, cash.debit_cents, cash.credit_cents,
            cash.closing_balance_cents) == (12500, 0, 1000, 11500)
    assert [(l.entry_id, l.balance_cents) for l in cash.lines] == [("je_3", 11500)]
    everything = books.general_ledger(FEB_1, DEC_31)
    assert [a.account_id for a in everything.accounts] == ["acc_cash", "acc_equity", "acc_sales",
                                                          "acc_rent"]
    with pytest.raises(NotFound):
        books.general_ledger(FEB_1, DEC_31, "acc_missing")


def test_start_after_end_is_refused() -> None:
    books = books_from_yaml(REPORT_YAML)
    for report in (books.profit_and_loss, books.general_ledger,
                   lambda s, e: books.financial_packet(s, e, NOW)):
        with pytest.raises(InvalidField) as caught:
            report(FEB_1, JAN_31)
        assert caught.value.details[0][0] == "startDate"


def test_financial_packet_bundles_reports_as_of_end() -> None:
    books = books_from_yaml(REPORT_YAML)
    packet = books.financial_packet(JAN_1, JAN_31, NOW)
    assert packet.profit_and_loss.net_income_cents == 2500
    assert packet.balance_sheet.as_of == packet.trial_balance.as_of == JAN_31
    assert packet.generated_at == NOW


def test_backdated_postings_keep_prefix_sums_right() -> None:
    books = books_from_yaml(REPORT_YAML)
    for day in (dt.date(2026, 3, 5), dt.date(2025, 6, 1), dt.date(2026, 1, 15), dt.date(2026, 3, 5)):
        books.post("journal_entry", EntryInput(day, "x", (LineInput("acc_rent", debit_cents=100),
                                                       LineInput("acc_cash", credit_cents=100))), NOW)
    assert books.profit_and_loss(dt.date(2025, 1, 1), dt.date(2025, 12, 31)).net_income_cents == -100
    assert books.profit_and_loss(JAN_1, JAN_31).net_income_cents == 2400
    assert books.account_balance_cents("acc_cash", dt.date(2026, 3, 4)) == 11500 - 200
    assert books.account_balance_cents("acc_cash") == 11500 - 400


def test_hundred_thousand_lines_stay_exact() -> None:
    books = books_from_yaml(REPORT_YAML)
    start = dt.date(2020, 1, 1)
    expected_rent = 1000
    for n in range(50_000):                                   # 100k lines
        day = start + dt.timedelta(days=n % 2000)
        cents = 1 + n % 997
        expected_rent += cents
        books.post("purchase", CategorizedInput(day, "acc_cash", "acc_rent", cents), NOW)
    assert books.trial_balance(DEC_31).total_debit_cents == books.trial_balance(
        DEC_31).total_credit_cents
    assert books.account_balance_cents("acc_rent") == expected_rent
    ledger = books.general_ledger(dt.date(2021, 1, 1), dt.date(2021, 1, 31), "acc_rent")
    (rent,) = ledger.accounts
    assert rent.opening_balance_cents + rent.debit_cents == rent.closing_balance_cents
    assert rent.debit_cents == sum(l.debit_cents for l in rent.lines) > 0
