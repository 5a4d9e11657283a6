"""The partner's end-to-end test (issue 4): OAuth PKCE, the firm's companies, a feed sync,
then reclassify, match, split, reconcile and exclude, each seen in the reports, the bank
reconciliation status and signed webhook deliveries received on 127.0.0.1."""
from __future__ import annotations

import collections
import json
import time

import httpx

from mock_server.webhooks.signing import verify
from tests.e2e.live_server import LiveSandbox
from tests.e2e.partner_api import (
    CHECKING_ACCOUNT_ID, CHECKING_BANK_ACCOUNT_ID, COMPANY_ID, ORGANIZATION_ID, Figures, figures,
    eventually, ok, oauth_login,
)

INCOME_SUSPENSE = "acc_bp_uncategorized_income"
EXPENSE_SUSPENSE = "acc_bp_uncategorized_expense"
OFFICE_SUPPLIES = "acc_bp_office_supplies"
AR, AP = "acc_bp_ar", "acc_bp_ap"
INVOICE_CENTS, BILL_1_CENTS, BILL_2_CENTS = 250_000, 40_000, 60_000
SUPPLIES_CENTS, DUPLICATE_CENTS = 12_345, 7_777
DELIVERY_WAIT_S = 15.0
ALL_EVENTS = ["journal_entry.posted", "journal_entry.voided", "bank_transaction.created",
              "bank_transaction.updated"]


def act(api: httpx.Client, row_id: str, action: str, body: dict) -> dict:
    return ok(api.post(f"/api/v1/bank-transactions/{row_id}/{action}", json=body,
                       headers={"x-organization-id": ORGANIZATION_ID}))


def make_document(api: httpx.Client, kind: str, number: str, cents: int, account_id: str,
                  day: str) -> dict:
    body = {"number": number, "contactName": f"Partner test {kind}", "date": day,
            "dueDate": day, "totalCents": cents, "accountId": account_id}
    return ok(api.post(f"/api/v1/sandbox/companies/{COMPANY_ID}/{kind}", json=body), 201)


def sync_rows(api: httpx.Client, day: str) -> dict[str, dict]:
    rows = [("supplies", SUPPLIES_CENTS, "outflow"), ("deposit", INVOICE_CENTS, "inflow"),
            ("two_bills", BILL_1_CENTS + BILL_2_CENTS, "outflow"),
            ("duplicate", DUPLICATE_CENTS, "outflow")]
    body = {"rows": [{"date": day, "amountCents": cents, "direction": direction,
                      "description": f"E2E {name.upper()}"} for name, cents, direction in rows]}
    made = ok(api.post(f"/api/v1/sandbox/bank-accounts/{CHECKING_BANK_ACCOUNT_ID}/sync",
                       json=body), 201)["bankTransactions"]
    assert [t["sourceType"] for t in made] == ["plaid_bank_feed"] * 4
    assert [t["status"] for t in made] == ["unreviewed"] * 4
    return {name: transaction for (name, _, _), transaction in zip(rows, made)}


def checking_health(api: httpx.Client) -> tuple[dict, dict]:
    feeds = ok(api.get("/api/v1/bank-feeds/health", headers={"x-organization-id": ORGANIZATION_ID}))
    for feed in feeds["data"]:
        for account in feed["accounts"]:
            if account["bankAccountId"] == CHECKING_BANK_ACCOUNT_ID:
                return feed, account
    raise AssertionError("the checking account has no feed")


def moved(before: Figures, after: Figures, account_id: str) -> int:
    return after.net_debit(account_id) - before.net_debit(account_id)


def test_partner_integrates_bank_activity_end_to_end(live: LiveSandbox, receiver_factory) -> None:
    anonymous = live.client()
    tokens = oauth_login(anonymous)
    api = live.client(authorization=f"Bearer {tokens['access_token']}")
    companies = ok(api.get("/api/v1/companies"))["data"]
    assert {c["id"] for c in companies} == {"cmp_brightpixel", "cmp_harborcoffee"}

    receiver = receiver_factory([])
    hook = ok(api.post("/api/v1/webhooks", json={"url": receiver.url, "events": ALL_EVENTS},
                       headers={"x-organization-id": ORGANIZATION_ID}), 201)
    day = ok(api.get(f"/api/v1/companies/{COMPANY_ID}/reports/trial-balance"))["asOf"]
    invoice = make_document(api, "invoices", "E2E-INV-1", INVOICE_CENTS, "acc_bp_sales", day)
    bill_1 = make_document(api, "bills", "E2E-BILL-1", BILL_1_CENTS, "acc_bp_software", day)
    bill_2 = make_document(api, "bills", "E2E-BILL-2", BILL_2_CENTS, "acc_bp_contractors", day)

    feed_before, account_before = checking_health(api)
    start = figures(api, day)
    rows = sync_rows(api, day)
    feed_after, account_after = checking_health(api)
    assert account_after["transactionCount"] == account_before["transactionCount"] + 4
    assert feed_after["status"] == "healthy" and feed_after["lastSyncedAt"] is not None
    assert feed_after["lastSyncedAt"] >= (feed_before["lastSyncedAt"] or "")
    synced = figures(api, day)
    inflow, outflows = INVOICE_CENTS, SUPPLIES_CENTS + BILL_1_CENTS + BILL_2_CENTS + DUPLICATE_CENTS
    assert moved(start, synced, CHECKING_ACCOUNT_ID) == inflow - outflows
    assert moved(start, synced, EXPENSE_SUSPENSE) == outflows
    assert moved(start, synced, INCOME_SUSPENSE) == -inflow
    assert synced.net_income_cents - start.net_income_cents == inflow - outflows
    assert synced.total_assets_cents - start.total_assets_cents == inflow - outflows
    assert synced.reconciliation["unreconciledCount"] == start.reconciliation["unreconciledCount"] + 4
    assert (synced.reconciliation["bookBalanceCents"]
            - start.reconciliation["bookBalanceCents"]) == inflow - outflows

    after_bank_steps = run_bank_steps(api, rows, invoice, (bill_1, bill_2), day, synced)
    assert_signed_deliveries(api, receiver, hook, rows)
    assert after_bank_steps.reconciliation["lastReconciledDate"] == day


def run_bank_steps(api: httpx.Client, rows: dict, invoice: dict, bills: tuple[dict, dict],
                   day: str, synced: Figures) -> Figures:
    supplies = act(api, rows["supplies"]["id"], "reclassify", {"accountId": OFFICE_SUPPLIES})
    assert supplies["status"] == "categorized" and supplies["categoryAccountId"] == OFFICE_SUPPLIES
    step = figures(api, day)
    assert moved(synced, step, OFFICE_SUPPLIES) == SUPPLIES_CENTS
    assert moved(synced, step, EXPENSE_SUSPENSE) == -SUPPLIES_CENTS
    assert step.net_income_cents == synced.net_income_cents

    deposit = act(api, rows["deposit"]["id"], "match",
                  {"documentType": "invoice", "documentId": invoice["id"]})
    assert deposit["status"] == "matched"
    assert deposit["matches"] == [{"documentType": "invoice", "documentId": invoice["id"],
                                   "amountCents": INVOICE_CENTS}]
    matched = figures(api, day)
    assert moved(step, matched, AR) == -INVOICE_CENTS
    assert moved(step, matched, INCOME_SUSPENSE) == INVOICE_CENTS
    assert matched.net_income_cents - step.net_income_cents == -INVOICE_CENTS
    assert matched.total_assets_cents - step.total_assets_cents == -INVOICE_CENTS

    allocations = [{"documentType": "bill", "documentId": bill["id"], "amountCents": bill["totalCents"]}
                   for bill in bills]
    two_bills = act(api, rows["two_bills"]["id"], "split", {"allocations": allocations})
    assert two_bills["status"] == "matched" and two_bills["matches"] == allocations
    split = figures(api, day)
    assert moved(matched, split, AP) == BILL_1_CENTS + BILL_2_CENTS
    assert split.total_liabilities_cents - matched.total_liabilities_cents == -(BILL_1_CENTS + BILL_2_CENTS)
    assert moved(matched, split, EXPENSE_SUSPENSE) == -(BILL_1_CENTS + BILL_2_CENTS)
    assert_documents_paid(api, invoice, bills)
    return reconcile_and_exclude(api, rows, day, split)


def reconcile_and_exclude(api: httpx.Client, rows: dict, day: str, split: Figures) -> Figures:
    for name in ("supplies", "deposit"):
        reconciled = act(api, rows[name]["id"], "reconcile", {"statementDate": day})
        assert reconciled["status"] == "reconciled" and reconciled["reconciliationId"]
    reconciled_figures = figures(api, day)
    cleared = INVOICE_CENTS - SUPPLIES_CENTS
    before, after = split.reconciliation, reconciled_figures.reconciliation
    assert after["reconciledBalanceCents"] - before["reconciledBalanceCents"] == cleared
    assert after["unreconciledCents"] - before["unreconciledCents"] == -cleared
    assert after["unreconciledCount"] == before["unreconciledCount"] - 2
    assert reconciled_figures.net_debit_cents == split.net_debit_cents
    refused = api.post(f"/api/v1/bank-transactions/{rows['supplies']['id']}/reclassify",
                       json={"accountId": "acc_bp_meals"}, headers={"x-organization-id": ORGANIZATION_ID})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "INVALID_STATE"

    duplicate = act(api, rows["duplicate"]["id"], "exclude", {"reason": "duplicate charge"})
    assert duplicate["status"] == "excluded" and duplicate["excludedAt"] is not None
    excluded = figures(api, day)
    assert moved(reconciled_figures, excluded, CHECKING_ACCOUNT_ID) == DUPLICATE_CENTS
    assert moved(reconciled_figures, excluded, EXPENSE_SUSPENSE) == -DUPLICATE_CENTS
    assert excluded.net_income_cents - reconciled_figures.net_income_cents == DUPLICATE_CENTS
    assert excluded.reconciliation["unreconciledCount"] == after["unreconciledCount"] - 1
    assert excluded.reconciliation["unreconciledCents"] - after["unreconciledCents"] == DUPLICATE_CENTS
    return excluded


def assert_documents_paid(api: httpx.Client, invoice: dict, bills: tuple[dict, dict]) -> None:
    base = f"/api/v1/sandbox/companies/{COMPANY_ID}"
    invoices = {i["id"]: i for i in ok(api.get(f"{base}/invoices", params={"limit": 200}))["data"]}
    found_bills = {b["id"]: b for b in ok(api.get(f"{base}/bills", params={"limit": 200}))["data"]}
    assert (invoices[invoice["id"]]["openBalanceCents"], invoices[invoice["id"]]["status"]) == (0, "paid")
    for bill in bills:
        assert (found_bills[bill["id"]]["openBalanceCents"], found_bills[bill["id"]]["status"]) == (0, "paid")


def assert_signed_deliveries(api: httpx.Client, receiver, hook: dict, rows: dict) -> None:
    expected = collections.Counter({("journal_entry.posted", "document"): 3,
                                    ("journal_entry.posted", "row"): 4,
                                    ("bank_transaction.created", "row"): 4,
                                    ("bank_transaction.updated", "row"): 6,
                                    ("journal_entry.voided", "row"): 1})
    total = sum(expected.values())
    assert receiver.wait_for(total, DELIVERY_WAIT_S), f"{len(receiver.requests)} of {total} deliveries"
    row_ids = {row["id"] for row in rows.values()}
    row_entries = {row["journalEntryId"] for row in rows.values()}
    seen, updates = collections.Counter(), collections.defaultdict(list)
    for request in receiver.requests[:total]:
        headers = {name.lower(): value for name, value in request.headers.items()}
        assert verify(hook["secret"], headers["ledgerhq-signature"], request.body, time.time())
        event = json.loads(request.body)
        assert headers["ledgerhq-event-id"] == event["id"] and event["companyId"] == COMPANY_ID
        data_id = event["data"]["id"]
        about_row = data_id in row_ids or data_id in row_entries
        seen[(event["type"], "row" if about_row else "document")] += 1
        if event["type"] == "bank_transaction.updated":
            updates[data_id].append(event["data"]["status"])
    assert seen == expected
    assert len({json.loads(r.body)["id"] for r in receiver.requests}) == len(receiver.requests)
    assert sorted(updates[rows["supplies"]["id"]]) == ["categorized", "reconciled"]
    assert updates[rows["deposit"]["id"]].count("reconciled") == 1
    assert updates[rows["two_bills"]["id"]] == ["matched"]
    assert updates[rows["duplicate"]["id"]] == ["excluded"]
    log = eventually(
        lambda: ok(api.get(f"/api/v1/sandbox/webhooks/{hook['id']}/deliveries",
                           params={"limit": 200}))["data"],
        lambda found: len(found) >= total, DELIVERY_WAIT_S)
    assert len(log) == total and all(d["status"] == "succeeded" and d["attempt"] == 1 for d in log)
