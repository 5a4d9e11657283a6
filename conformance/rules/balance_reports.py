"""R3 helpers: read the four reports at one point and check them against each other and a model."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from conformance.expect import json_object
from conformance.failures import ReportsDisagree, SetupFailed
from conformance.http import Exchange
from conformance.suite import Suite

ACCOUNT_PAGES_MAX = 50


def _int(value: object) -> int:
    return value if type(value) is int else 0


def normal_signs(suite: Suite) -> dict[str, int]:
    """account id -> +1 if debit-normal else -1, from the accounts list (cached per run)."""
    cache = suite.cache.normal_signs
    if cache:
        return cache
    op, cursor = suite.op("GET", "/accounts"), None
    for _ in range(ACCOUNT_PAGES_MAX):
        page = suite.call(op, params={"limit": 200, **({"cursor": cursor} if cursor else {})})
        body = json_object(page, "accounts list")
        for account in body.get("data", []):
            cache[account["id"]] = 1 if account.get("normalBalance") == "debit" else -1
        cursor = body.get("nextCursor")
        if not cursor:
            break
    return cache


def sign_of(suite: Suite, account_id: str, type_: str | None) -> int:
    signs = normal_signs(suite)
    if account_id not in signs:
        signs.clear()
        signs = normal_signs(suite)
    if account_id in signs:
        return signs[account_id]
    return 1 if type_ in ("asset", "expense") else -1


@dataclass
class Reports:
    day: date
    tb: Exchange
    bs: Exchange
    bs_before: Exchange
    pnl: Exchange
    gl: Exchange
    tb_net: dict[str, int] = field(default_factory=dict)      # account -> debits - credits

    @property
    def exchanges(self) -> list[Exchange]:
        return [self.tb, self.bs, self.bs_before, self.pnl, self.gl]


def read_reports(suite: Suite, day: date) -> Reports:
    def get(suffix: str, **params: str) -> Exchange:
        found = suite.call(suite.op("GET", suffix), params=params)
        if found.status != 200 or not isinstance(found.json, dict):
            raise SetupFailed(f"report ...{suffix} could not be read", found)
        return found
    iso, before = day.isoformat(), (day - timedelta(days=1)).isoformat()
    reports = Reports(day, get("/reports/trial-balance", asOf=iso), get("/reports/balance-sheet", asOf=iso),
                      get("/reports/balance-sheet", asOf=before),
                      get("/reports/profit-and-loss", startDate=iso, endDate=iso),
                      get("/reports/general-ledger", startDate=iso, endDate=iso))
    for row in reports.tb.json.get("rows", []):
        reports.tb_net[row.get("accountId")] = _int(row.get("debitCents")) - _int(row.get("creditCents"))
    return reports


def disagree(message: str, exchange: Exchange) -> ReportsDisagree:
    return ReportsDisagree(message, exchange)


def check_trial_balance(reports: Reports) -> None:
    body, rows = reports.tb.json, reports.tb.json.get("rows", [])
    debit_sum = sum(_int(r.get("debitCents")) for r in rows)
    credit_sum = sum(_int(r.get("creditCents")) for r in rows)
    if (debit_sum, credit_sum) != (body.get("totalDebitCents"), body.get("totalCreditCents")):
        raise disagree(f"trial balance rows sum to {debit_sum}/{credit_sum}, totals say "
                       f"{body.get('totalDebitCents')}/{body.get('totalCreditCents')}", reports.tb)
    if debit_sum != credit_sum:
        raise disagree(f"trial balance debits {debit_sum} != credits {credit_sum}", reports.tb)
    for row in rows:
        if _int(row.get("debitCents")) and _int(row.get("creditCents")):
            raise disagree(f"trial balance row {row.get('accountId')} has both sides non-zero", reports.tb)


def section_rows(body: dict, name: str) -> dict[str, int]:
    section = body.get(name) or {}
    rows = {a.get("accountId"): _int(a.get("balanceCents")) for a in section.get("accounts", [])}
    return rows


def check_section_totals(exchange: Exchange, names: tuple[str, ...]) -> None:
    for name in names:
        section = exchange.json.get(name) or {}
        total = sum(section_rows(exchange.json, name).values())
        if total != section.get("totalCents"):
            raise disagree(f"{name} rows sum to {total}, totalCents says {section.get('totalCents')}", exchange)


def earnings_from_trial_balance(reports: Reports) -> int:
    types = {r.get("accountId"): r.get("type") for r in reports.tb.json.get("rows", [])}
    return -sum(net for acc, net in reports.tb_net.items() if types.get(acc) in ("income", "expense"))


def check_balance_sheet(reports: Reports) -> None:
    for exchange in (reports.bs, reports.bs_before):
        body = exchange.json
        check_section_totals(exchange, ("assets", "liabilities", "equity"))
        assets, liabilities = body.get("totalAssetsCents"), body.get("totalLiabilitiesCents")
        equity = body.get("totalEquityCents")
        if assets != (body.get("assets") or {}).get("totalCents") or liabilities != (body.get("liabilities") or {}).get("totalCents"):
            raise disagree("totalAssetsCents/totalLiabilitiesCents differ from their sections", exchange)
        if equity != _int((body.get("equity") or {}).get("totalCents")) + _int(body.get("earningsToDateCents")):
            raise disagree("totalEquityCents != equity section + earningsToDateCents", exchange)
        if not assets == body.get("totalLiabilitiesAndEquityCents") == _int(liabilities) + _int(equity):
            raise disagree(f"assets {assets} != liabilities {liabilities} + equity {equity}", exchange)
    if reports.bs.json.get("earningsToDateCents") != earnings_from_trial_balance(reports):
        raise disagree(f"earningsToDateCents {reports.bs.json.get('earningsToDateCents')} != income - expenses "
                       f"of the trial balance {earnings_from_trial_balance(reports)}", reports.bs)


def check_sheet_matches_trial_balance(suite: Suite, reports: Reports) -> None:
    types = {r.get("accountId"): r.get("type") for r in reports.tb.json.get("rows", [])}
    sheet: dict[str, int] = {}
    for name in ("assets", "liabilities", "equity"):
        sheet.update(section_rows(reports.bs.json, name))
    for account_id, net in reports.tb_net.items():
        if types.get(account_id) in ("asset", "liability", "equity"):
            expected = sign_of(suite, account_id, types.get(account_id)) * net
            if sheet.get(account_id, 0) != expected:
                raise disagree(f"account {account_id}: balance sheet {sheet.get(account_id, 0)}, trial balance "
                               f"{expected}", reports.bs)
    for account_id, balance in sheet.items():
        if balance and account_id not in reports.tb_net:
            raise disagree(f"account {account_id} is {balance} on the balance sheet, absent from the trial "
                           "balance", reports.bs)


def check_profit_and_loss(reports: Reports) -> None:
    body = reports.pnl.json
    check_section_totals(reports.pnl, ("income", "expenses"))
    income, expenses = (body.get("income") or {}).get("totalCents"), (body.get("expenses") or {}).get("totalCents")
    if body.get("netIncomeCents") != _int(income) - _int(expenses):
        raise disagree(f"netIncomeCents {body.get('netIncomeCents')} != income {income} - expenses {expenses}",
                       reports.pnl)
    change = _int(reports.bs.json.get("earningsToDateCents")) - _int(reports.bs_before.json.get("earningsToDateCents"))
    if body.get("netIncomeCents") != change:
        raise disagree(f"net income {body.get('netIncomeCents')} over {reports.day} != change in earnings to "
                       f"date {change}", reports.pnl)


def check_general_ledger(suite: Suite, reports: Reports) -> None:
    for account in reports.gl.json.get("accounts", []):
        account_id = account.get("accountId")
        sign = sign_of(suite, account_id, account.get("type"))
        balance = _int(account.get("openingBalanceCents"))
        for line in account.get("lines", []):
            balance += sign * (_int(line.get("debitCents")) - _int(line.get("creditCents")))
            if line.get("balanceCents") != balance:
                raise disagree(f"general ledger {account_id}: running balance {line.get('balanceCents')} != "
                               f"{balance}", reports.gl)
        activity = sign * (_int(account.get("debitCents")) - _int(account.get("creditCents")))
        closing = account.get("closingBalanceCents")
        if closing != _int(account.get("openingBalanceCents")) + activity or closing != balance:
            raise disagree(f"general ledger {account_id}: opening + activity != closing {closing}", reports.gl)
        if closing != sign * reports.tb_net.get(account_id, 0):
            raise disagree(f"general ledger {account_id}: closing {closing} != trial balance "
                           f"{sign * reports.tb_net.get(account_id, 0)}", reports.gl)


def check_reports_agree(suite: Suite, reports: Reports) -> None:
    check_trial_balance(reports)
    check_balance_sheet(reports)
    check_sheet_matches_trial_balance(suite, reports)
    check_profit_and_loss(reports)
    check_general_ledger(suite, reports)
