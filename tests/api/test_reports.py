"""Reports: exact, balanced, inclusive date windows, only posted entries (R1, R3, R9)."""

from __future__ import annotations

from tests.api.helpers import AUTH, COMPANY_PATH, ORG, REPORT_ALL_TIME, assert_error, posting_headers

RANGE_ROUTES = [(f"{COMPANY_PATH}/reports/profit-and-loss", AUTH), (f"{COMPANY_PATH}/reports/general-ledger", AUTH),
                ("/api/v1/reports/profit-and-loss", ORG), ("/api/v1/reports/general-ledger", ORG),
                ("/api/v1/reports/financial-packet", ORG)]
AS_OF_ROUTES = [(f"{COMPANY_PATH}/reports/balance-sheet", AUTH), (f"{COMPANY_PATH}/reports/trial-balance", AUTH),
                ("/api/v1/reports/balance-sheet", ORG), ("/api/v1/reports/trial-balance", ORG),
                ("/api/v1/reports/bank-reconciliation-status", ORG)]


def _get(client, path, headers=ORG, **params) -> dict:
    response = client.get(path, headers=headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def _expenses_cents(client, start: str, end: str) -> int:
    return _get(client, "/api/v1/reports/profit-and-loss", startDate=start, endDate=end)["expenses"]["totalCents"]


def _supplies_cents(client, as_of: str) -> int:
    rows = _get(client, "/api/v1/reports/trial-balance", asOf=as_of)["rows"]
    return sum(r["debitCents"] - r["creditCents"] for r in rows if r["accountId"] == "acc_bp_office_supplies")


def _purchase(client, date: str, cents: int) -> None:
    body = {"date": date, "sourceAccountId": "acc_bp_checking", "categoryAccountId": "acc_bp_office_supplies",
            "amountCents": cents}
    assert client.post(f"{COMPANY_PATH}/purchases", headers=posting_headers(), json=body).status_code == 201


def test_every_report_states_usd_and_the_company(client):
    for path, headers in RANGE_ROUTES + AS_OF_ROUTES:
        report = _get(client, path, headers)
        assert (report["currency"], report["companyId"]) == ("USD", "cmp_brightpixel"), path


def test_trial_balance_balances_and_omits_zero_rows(client):
    report = _get(client, "/api/v1/reports/trial-balance", asOf="2026-11-30")
    assert report["totalDebitCents"] == report["totalCreditCents"] > 0
    assert report["totalDebitCents"] == sum(row["debitCents"] for row in report["rows"])
    for row in report["rows"]:
        assert 0 in (row["debitCents"], row["creditCents"]) and row["debitCents"] + row["creditCents"] > 0
    assert "acc_bp_interest_expense" not in [row["accountId"] for row in report["rows"]]


def test_balance_sheet_balances_with_earnings_to_date(client):
    sheet = _get(client, "/api/v1/reports/balance-sheet", asOf="2026-09-30")
    income = _get(client, "/api/v1/reports/profit-and-loss", startDate="2000-01-01", endDate="2026-09-30")
    assert sheet["earningsToDateCents"] == income["netIncomeCents"]
    for section in ("assets", "liabilities", "equity"):
        assert sheet[section]["totalCents"] == sum(a["balanceCents"] for a in sheet[section]["accounts"])
    assert sheet["totalAssetsCents"] == sheet["assets"]["totalCents"]
    assert sheet["totalEquityCents"] == sheet["equity"]["totalCents"] + sheet["earningsToDateCents"]
    assert sheet["totalLiabilitiesAndEquityCents"] == sheet["totalLiabilitiesCents"] + sheet["totalEquityCents"]
    assert sheet["totalAssetsCents"] == sheet["totalLiabilitiesAndEquityCents"]


def test_profit_and_loss_adds_up(client):
    report = _get(client, "/api/v1/reports/profit-and-loss", startDate="2026-01-01", endDate="2026-06-30")
    for section in ("income", "expenses"):
        assert report[section]["totalCents"] == sum(a["balanceCents"] for a in report[section]["accounts"])
    assert report["netIncomeCents"] == report["income"]["totalCents"] - report["expenses"]["totalCents"]
    assert (report["startDate"], report["endDate"]) == ("2026-01-01", "2026-06-30")


def test_date_windows_include_both_ends(client):
    before = {window: _expenses_cents(client, *window) for window in
              [("2026-06-30", "2026-06-30"), ("2026-06-01", "2026-06-29"), ("2026-07-01", "2026-07-31")]}
    tb_before = _supplies_cents(client, "2026-06-30")
    tb_day_before = _supplies_cents(client, "2026-06-29")
    _purchase(client, "2026-06-30", 1111)
    assert _expenses_cents(client, "2026-06-30", "2026-06-30") == before[("2026-06-30", "2026-06-30")] + 1111
    assert _expenses_cents(client, "2026-06-01", "2026-06-29") == before[("2026-06-01", "2026-06-29")]
    assert _expenses_cents(client, "2026-07-01", "2026-07-31") == before[("2026-07-01", "2026-07-31")]
    assert _supplies_cents(client, "2026-06-30") == tb_before + 1111
    assert _supplies_cents(client, "2026-06-29") == tb_day_before


def test_general_ledger_runs_from_opening_to_closing(client):
    report = _get(client, "/api/v1/reports/general-ledger", startDate="2026-06-01", endDate="2026-09-30")
    assert report["accounts"]
    for account in report["accounts"]:
        sign = 1 if account["type"] in ("asset", "expense") else -1
        running = account["openingBalanceCents"]
        for line in account["lines"]:
            running += sign * (line["debitCents"] - line["creditCents"])
            assert line["balanceCents"] == running and "2026-06-01" <= line["date"] <= "2026-09-30"
        assert account["closingBalanceCents"] == running, account["accountId"]
        assert account["debitCents"] == sum(line["debitCents"] for line in account["lines"])
    only_rent = _get(client, "/api/v1/reports/general-ledger", accountId="acc_bp_rent", **REPORT_ALL_TIME)
    assert [a["accountId"] for a in only_rent["accounts"]] == ["acc_bp_rent"]
    balance = _get(client, "/api/v1/accounts/acc_bp_rent")["balanceCents"]
    assert only_rent["accounts"][0]["closingBalanceCents"] == balance


def test_company_and_legacy_reports_agree(client):
    for name, params in [("profit-and-loss", {"startDate": "2026-01-01", "endDate": "2026-06-30"}),
                         ("balance-sheet", {"asOf": "2026-06-30"}), ("trial-balance", {"asOf": "2026-06-30"}),
                         ("general-ledger", {"startDate": "2026-05-01", "endDate": "2026-05-31"})]:
        assert _get(client, f"{COMPANY_PATH}/reports/{name}", AUTH, **params) == \
            _get(client, f"/api/v1/reports/{name}", ORG, **params), name


def test_financial_packet_is_the_four_reports_at_its_end_date(client):
    window = {"startDate": "2026-04-01", "endDate": "2026-09-30"}
    packet = _get(client, "/api/v1/reports/financial-packet", **window)
    assert (packet["startDate"], packet["endDate"], packet["currency"]) == ("2026-04-01", "2026-09-30", "USD")
    assert packet["profitAndLoss"] == _get(client, "/api/v1/reports/profit-and-loss", **window)
    assert packet["balanceSheet"] == _get(client, "/api/v1/reports/balance-sheet", asOf="2026-09-30")
    assert packet["trialBalance"] == _get(client, "/api/v1/reports/trial-balance", asOf="2026-09-30")
    assert packet["bankReconciliationStatus"] == _get(
        client, "/api/v1/reports/bank-reconciliation-status", asOf="2026-09-30")


def test_reconciliation_status_counts_new_bank_activity(client):
    def checking():
        report = _get(client, "/api/v1/reports/bank-reconciliation-status", asOf="2099-12-31")
        return next(a for a in report["accounts"] if a["bankAccountId"] == "ba_bp_checking")

    before = checking()
    assert before["bookBalanceCents"] == _get(client, "/api/v1/accounts/acc_bp_checking")["balanceCents"]
    assert before["bookBalanceCents"] == before["reconciledBalanceCents"] + before["unreconciledCents"]
    assert before["lastReconciledDate"] == "2026-09-30"
    _purchase(client, "2026-11-20", 2500)
    after = checking()
    assert after["bookBalanceCents"] == before["bookBalanceCents"] - 2500
    assert after["unreconciledCount"] == before["unreconciledCount"] + 1
    assert after["unreconciledCents"] == before["unreconciledCents"] - 2500      # net: outflows subtract
    assert after["reconciledBalanceCents"] == before["reconciledBalanceCents"]


def test_range_defaults_to_the_year_of_the_end_date(client):
    report = _get(client, "/api/v1/reports/profit-and-loss", endDate="2026-03-15")
    assert report["startDate"] == "2026-01-01"
    report = _get(client, "/api/v1/reports/profit-and-loss")
    assert report["startDate"] == report["endDate"][:4] + "-01-01"


def test_start_after_end_is_400(client):
    for path, headers in RANGE_ROUTES:
        response = client.get(path, headers=headers, params={"startDate": "2026-07-01", "endDate": "2026-06-30"})
        error = assert_error(response, "VALIDATION_ERROR", 400)
        assert error["details"][0]["field"] in ("startDate", "endDate"), path
        assert client.get(path, headers=headers, params={"startDate": "2026-06-30", "endDate": "2026-06-30"}
                          ).status_code == 200


def test_malformed_dates_are_400(client):
    for path, headers in RANGE_ROUTES:
        for params in ({"startDate": "2026-02-30"}, {"endDate": "yesterday"}, {"startDate": "2026-6-1"}):
            assert_error(client.get(path, headers=headers, params=params), "VALIDATION_ERROR", 400)
    for path, headers in AS_OF_ROUTES:
        assert_error(client.get(path, headers=headers, params={"asOf": "2026-13-01"}), "VALIDATION_ERROR", 400)
