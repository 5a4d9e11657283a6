"""Bank accounts, feed transactions and their actions (R7)."""

from __future__ import annotations

from tests.api.helpers import AUTH, ORG, assert_error, balance_moves, balances_cents, books_snapshot, walk_pages

UNCATEGORIZED_OUTFLOW = "btx_bp_feed_018"      # 2899 out, on the suspense expense account
UNCATEGORIZED_INFLOW = "btx_bp_feed_019"       # 64000 in, on the suspense income account


def _row(client, row_id: str) -> dict:
    rows = walk_pages(client, "/api/v1/bank-transactions", ORG, limit=200)
    return next(row for row in rows if row["id"] == row_id)


def _action(client, row_id: str, action: str, body: dict | None = None):
    return client.post(f"/api/v1/bank-transactions/{row_id}/{action}", headers=ORG, json=body or {})


def _invoice(client, number: str, cents: int) -> str:
    body = {"number": number, "contactName": "J. Rivera", "date": "2026-11-01", "dueDate": "2026-11-30",
            "totalCents": cents, "accountId": "acc_bp_sales"}
    response = client.post("/api/v1/sandbox/companies/cmp_brightpixel/invoices", headers=AUTH, json=body)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _open_cents(client, invoice_id: str) -> int:
    invoices = walk_pages(client, "/api/v1/sandbox/companies/cmp_brightpixel/invoices", AUTH, limit=200)
    return next(i["openBalanceCents"] for i in invoices if i["id"] == invoice_id)


def test_reclassify_moves_only_the_category_line(client):
    row = _row(client, UNCATEGORIZED_OUTFLOW)
    before = balances_cents(client)
    response = _action(client, UNCATEGORIZED_OUTFLOW, "reclassify", {"accountId": "acc_bp_travel", "reason": "Trip"})
    assert response.status_code == 200
    updated = response.json()
    assert (updated["status"], updated["categoryAccountId"]) == ("categorized", "acc_bp_travel")
    assert updated["journalEntryId"] == row["journalEntryId"] and updated["amountCents"] == row["amountCents"]
    assert balance_moves(before, balances_cents(client)) == {"acc_bp_travel": 2899,
                                                              "acc_bp_uncategorized_expense": -2899}


def test_match_moves_the_line_to_receivables_and_pays_the_invoice(client):
    invoice_id = _invoice(client, "BP-9001", 64000)
    before = balances_cents(client)
    response = _action(client, UNCATEGORIZED_INFLOW, "match", {"documentType": "invoice", "documentId": invoice_id})
    assert response.status_code == 200
    assert response.json()["status"] == "matched"
    assert response.json()["matches"] == [{"documentType": "invoice", "documentId": invoice_id, "amountCents": 64000}]
    assert balance_moves(before, balances_cents(client)) == {"acc_bp_ar": -64000, "acc_bp_uncategorized_income": 64000}
    assert _open_cents(client, invoice_id) == 0


def test_split_spreads_exactly_the_amount(client):
    first, second = _invoice(client, "BP-9002", 40000), _invoice(client, "BP-9003", 30000)
    before = books_snapshot(client)
    uneven = [{"documentType": "invoice", "documentId": first, "amountCents": 40000},
              {"documentType": "invoice", "documentId": second, "amountCents": 23999}]
    assert_error(_action(client, UNCATEGORIZED_INFLOW, "split", {"allocations": uneven}), "UNPROCESSABLE", 422)
    assert books_snapshot(client) == before and _open_cents(client, first) == 40000
    uneven[1]["amountCents"] = 24000
    response = _action(client, UNCATEGORIZED_INFLOW, "split", {"allocations": uneven})
    assert response.status_code == 200, response.text
    assert sum(m["amountCents"] for m in response.json()["matches"]) == 64000
    assert (_open_cents(client, first), _open_cents(client, second)) == (0, 6000)


def test_reconciled_transactions_refuse_every_other_action(client):
    response = _action(client, "btx_bp_feed_016", "reconcile", {"statementDate": "2026-10-31"})
    assert response.status_code == 200
    assert response.json()["status"] == "reconciled" and response.json()["reconciledAt"]
    before = books_snapshot(client)
    for action, body in [("reclassify", {"accountId": "acc_bp_travel"}), ("exclude", {}), ("reconcile", {}),
                         ("match", {"documentType": "bill", "documentId": "bill_bp_2011"}),
                         ("split", {"allocations": [
                             {"documentType": "bill", "documentId": "bill_bp_2011", "amountCents": 2100},
                             {"documentType": "bill", "documentId": "bill_bp_2090", "amountCents": 2100}]})]:
        assert_error(_action(client, "btx_bp_feed_016", action, body), "INVALID_STATE", 409)
    assert books_snapshot(client) == before


def test_exclude_takes_the_transaction_out_of_the_books(client):
    before = balances_cents(client)
    response = _action(client, "btx_bp_feed_021", "exclude", {"reason": "Personal"})
    assert response.status_code == 200
    assert response.json()["status"] == "excluded" and response.json()["excludedAt"]
    assert balance_moves(before, balances_cents(client)) == {"acc_bp_checking": 15900,
                                                              "acc_bp_uncategorized_expense": -15900}
    assert_error(_action(client, "btx_bp_feed_021", "reclassify", {"accountId": "acc_bp_travel"}), "INVALID_STATE", 409)


def test_bad_actions_are_refused_and_leave_no_trace(client):
    before = books_snapshot(client)
    assert_error(_action(client, UNCATEGORIZED_OUTFLOW, "reclassify", {"accountId": "acc_nope"}), "UNPROCESSABLE", 422)
    assert_error(_action(client, UNCATEGORIZED_OUTFLOW, "reclassify", {}), "VALIDATION_ERROR", 400)
    assert_error(_action(client, UNCATEGORIZED_INFLOW, "match", {"documentType": "invoice", "documentId": "inv_bp_1007"}),
                 "UNPROCESSABLE", 422)
    assert_error(_action(client, "btx_nope", "exclude"), "NOT_FOUND", 404)
    assert books_snapshot(client) == before


def test_a_posting_row_follows_its_entry(client, post_purchase):
    (row_id,) = post_purchase().json()["bankTransactionIds"]
    assert_error(_action(client, row_id, "reclassify", {"accountId": "acc_bp_travel"}), "INVALID_STATE", 409)


def test_bank_account_created_with_its_own_gl_account(client):
    body = {"name": "Tax Reserve Savings", "type": "savings", "mask": "7710", "institutionName": "FirstBank"}
    response = client.post("/api/v1/bank-accounts", headers=ORG, json=body)
    assert response.status_code == 201
    bank_account = response.json()
    assert (bank_account["currentBalanceCents"], bank_account["feedId"], bank_account["type"]) == (0, None, "savings")
    account = client.get(f"/api/v1/accounts/{bank_account['accountId']}", headers=ORG).json()
    assert (account["type"], account["isBankAccount"], account["bankAccountId"]) == ("asset", True, bank_account["id"])
    assert walk_pages(client, "/api/v1/bank-accounts", ORG, limit=200)[-1] == bank_account
    linked = client.post("/api/v1/bank-accounts", headers=ORG, json={**body, "accountId": "acc_bp_checking"})
    assert_error(linked, "UNPROCESSABLE", 422)


def test_an_account_with_journal_lines_cannot_become_a_bank_account(client):
    """Linking acc_bp_equipment (posted lines, no register) made the book balance differ from the register,
    and the reconciliation status report answered 500 on its invariant (found by `make fuzz`)."""
    before = books_snapshot(client)
    body = {"name": "Equipment reserve", "type": "savings", "accountId": "acc_bp_equipment"}
    linked = client.post("/api/v1/bank-accounts", headers=ORG, json=body)
    assert_error(linked, "UNPROCESSABLE", 422)
    assert linked.json()["error"]["details"] == [{"field": "accountId", "issue": "has activity"}]
    assert books_snapshot(client) == before
    unused = client.post("/api/v1/accounts", headers=ORG, json={"code": "1990", "name": "Reserve", "type": "asset"})
    assert client.post("/api/v1/bank-accounts", headers=ORG,
                       json={**body, "accountId": unused.json()["id"]}).status_code == 201
    status = client.get("/api/v1/reports/bank-reconciliation-status", headers=ORG)
    assert status.status_code == 200


def test_bank_account_transactions_list_only_that_account(client):
    card_rows = walk_pages(client, "/api/v1/bank-accounts/ba_bp_card/transactions", ORG, limit=200)
    assert card_rows and {row["bankAccountId"] for row in card_rows} == {"ba_bp_card"}
    all_rows = walk_pages(client, "/api/v1/bank-transactions", ORG, limit=200)
    assert [r for r in all_rows if r["bankAccountId"] == "ba_bp_card"] == card_rows
    card = next(b for b in walk_pages(client, "/api/v1/bank-accounts", ORG, limit=200) if b["id"] == "ba_bp_card")
    assert card["currentBalanceCents"] == client.get("/api/v1/accounts/acc_bp_card", headers=ORG).json()["balanceCents"]


def test_feeds_and_their_health_name_the_same_accounts(client):
    feeds = walk_pages(client, "/api/v1/bank-feeds", ORG, limit=200)
    assert [f["id"] for f in feeds] == ["feed_bp_firstbank", "feed_bp_chase"]
    health = client.get("/api/v1/bank-feeds/health", headers=ORG).json()["data"]
    assert [h["feedId"] for h in health] == [f["id"] for f in feeds]
    for feed, status in zip(feeds, health):
        assert [a["bankAccountId"] for a in status["accounts"]] == feed["bankAccountIds"]
        assert status["status"] == feed["status"] == "healthy" and status["lastError"] is None
