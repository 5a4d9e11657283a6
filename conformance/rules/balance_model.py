"""R3 model: the suite's own view of its accounts, compared with what the reports say."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from conformance.books import post, posting_for, posting_kind
from conformance.contract_map import Operation
from conformance.expect import expect_status
from conformance.failures import LedgerMismatch, ReportsDisagree, Skip
from conformance.http import Exchange
from conformance.rules.balance_reports import Reports, check_reports_agree, read_reports, section_rows
from conformance.suite import Suite

# A company-wide disagreement counts only when the books held still while the reports were read (the trial
# balance read again after them is unchanged); else other activity raced us (another pipeline posting in the
# same company) and they are read again.
READS_MAX = 12
READ_AGAIN_AFTER_S = 0.2


@dataclass
class BooksModel:
    """Debits minus credits added to each own account since the baseline was read."""
    baseline: Reports
    deltas: dict[str, int] = field(default_factory=dict)

    def apply(self, deltas: dict[str, int], factor: int = 1) -> None:
        for account_id, amount in deltas.items():
            self.deltas[account_id] = self.deltas.get(account_id, 0) + factor * amount


def start_model(suite: Suite) -> BooksModel:
    return BooksModel(read_reports(suite, suite.world.day))


def compare_with_model(suite: Suite, model: BooksModel, reports: Reports) -> None:
    world, base = suite.world, model.baseline
    base_pnl = {**section_rows(base.pnl.json, "income"), **section_rows(base.pnl.json, "expenses")}
    pnl = {**section_rows(reports.pnl.json, "income"), **section_rows(reports.pnl.json, "expenses")}
    sheet = {}
    for name in ("assets", "liabilities", "equity"):
        sheet.update(section_rows(reports.bs.json, name))
    for account_id in world.accounts.values():
        delta, sign = model.deltas.get(account_id, 0), world.normal_sign(account_id)
        expected = base.tb_net.get(account_id, 0) + delta
        if reports.tb_net.get(account_id, 0) != expected:
            raise LedgerMismatch(f"trial balance of own account {account_id} is {reports.tb_net.get(account_id, 0)}"
                                 f", the model says {expected}", reports.tb)
        if world.account_types[account_id] in ("income", "expense"):
            expected_pnl = base_pnl.get(account_id, 0) + sign * delta
            if pnl.get(account_id, 0) != expected_pnl:
                raise LedgerMismatch(f"P&L of own account {account_id} is {pnl.get(account_id, 0)}, the model "
                                     f"says {expected_pnl}", reports.pnl)
        elif sheet.get(account_id, 0) != sign * expected:
            raise LedgerMismatch(f"balance sheet of own account {account_id} is {sheet.get(account_id, 0)}, "
                                 f"the model says {sign * expected}", reports.bs)


def verify_books(suite: Suite, model: BooksModel) -> None:
    for attempt in range(READS_MAX):
        reports = read_reports(suite, suite.world.day)
        compare_with_model(suite, model, reports)
        try:
            check_reports_agree(suite, reports)
            return
        except ReportsDisagree:
            if attempt == READS_MAX - 1 or books_held_still(suite, reports):
                raise
            time.sleep(READ_AGAIN_AFTER_S * (attempt % 4 + 1))


def books_held_still(suite: Suite, reports: Reports) -> bool:
    again = suite.call(suite.op("GET", "/reports/trial-balance"), params={"asOf": reports.day.isoformat()})
    return again.status == 200 and again.json == reports.tb.json


def entry_op(suite: Suite, method: str, action: str) -> Operation:
    """`.../entries/{id}/<action>` in either path form; action '' for the entry itself."""
    tail = f"/{{}}/{action}" if action else "/{}"
    for collection in ("/entries", "/journal-entries"):
        found = suite.contract.find(method, collection + tail)
        if found is not None:
            return found
    raise Skip(f"the contract has no {method} .../entries/{{id}}{'/' + action if action else ''} operation")


def entry_call(suite: Suite, method: str, action: str, entry_id: str) -> Exchange:
    op = entry_op(suite, method, action)
    name = op.path_params[-1]
    return suite.call(op, path_values={name: entry_id}, **({"json_body": {}} if method == "POST" else {}))


def create_draft(suite: Suite, lines: list[dict]) -> Exchange:
    op = suite.op("POST", "/entries")
    body = {"date": suite.world.day.isoformat(), "description": "conformance draft", "lines": lines}
    return suite.call(op, json_body=body)


def lines_for(debit_account: str, credit_account: str, debit: int, credit: int) -> list[dict]:
    return [{"accountId": debit_account, "debitCents": debit}, {"accountId": credit_account, "creditCents": credit}]


def post_kind(suite: Suite, kind: str, amount: int) -> tuple[Exchange, dict[str, int]]:
    op = next((o for o in suite.posting_operations if posting_kind(o) == kind), None)
    if op is None:
        raise Skip(f"the contract has no posting route for {kind}")
    posting = posting_for(suite, op, amount)
    receipt = post(suite, op, posting.body)
    expect_status(receipt, {201}, f"a valid {kind} posting")
    return receipt, posting.deltas
