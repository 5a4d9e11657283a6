"""Postings move exactly their amount between exactly their accounts (R1, R3, R9)."""

from __future__ import annotations

import pytest

from tests.api.helpers import (
    AUTH, COMPANY_PATH, ORG, account_balance_cents, assert_error, balance_moves, balances_cents,
    books_snapshot, entry_ids, posting_headers)

POSTINGS = [
    ("purchases", {"date": "2026-06-08", "sourceAccountId": "acc_bp_checking",
                   "categoryAccountId": "acc_bp_office_supplies", "amountCents": 4299},
     "purchase", {"acc_bp_office_supplies": 4299, "acc_bp_checking": -4299}),
    ("deposits", {"date": "2026-06-12", "destinationAccountId": "acc_bp_checking",
                  "categoryAccountId": "acc_bp_sales", "amountCents": 500000},
     "deposit", {"acc_bp_checking": 500000, "acc_bp_sales": -500000}),
    ("transfers", {"date": "2026-07-02", "fromAccountId": "acc_bp_checking",
                   "toAccountId": "acc_bp_savings", "amountCents": 250000},
     "transfer", {"acc_bp_savings": 250000, "acc_bp_checking": -250000}),
    ("bill-payments", {"date": "2026-11-20", "sourceAccountId": "acc_bp_checking", "amountCents": 240000,
                       "allocations": [{"billId": "bill_bp_2011", "amountCents": 240000}]},
     "bill_payment", {"acc_bp_ap": 240000, "acc_bp_checking": -240000}),
    ("journal-entries", {"date": "2026-07-31", "description": "Accrual",
                         "lines": [{"accountId": "acc_bp_rent", "debitCents": 7001},
                                   {"accountId": "acc_bp_meals", "debitCents": 3000},
                                   {"accountId": "acc_bp_ap", "creditCents": 10001}]},
     "journal_entry", {"acc_bp_rent": 7001, "acc_bp_meals": 3000, "acc_bp_ap": -10001}),
]


@pytest.mark.parametrize("legacy", [False, True], ids=["company_path", "legacy"])
@pytest.mark.parametrize("route, body, kind, expected_moves", POSTINGS, ids=[p[0] for p in POSTINGS])
def test_posting_moves_exactly_its_amount(client, legacy, route, body, kind, expected_moves):
    before, entries_before = balances_cents(client), entry_ids(client)
    path = f"/api/v1/{route}" if legacy else f"{COMPANY_PATH}/{route}"
    response = client.post(path, headers=posting_headers(legacy=legacy), json=body)
    assert response.status_code == 201, response.text
    assert response.headers["idempotent-replayed"] == "false"
    receipt = response.json()
    assert (receipt["type"], receipt["status"]) == (kind, "posted")
    assert balance_moves(before, balances_cents(client)) == expected_moves
    assert entry_ids(client) == [*entries_before, receipt["journalEntryId"]]
    entry = client.get(f"/api/v1/entries/{receipt['journalEntryId']}", headers=ORG).json()
    assert (entry["status"], entry["source"]["type"], entry["date"]) == ("posted", kind, body["date"])
    assert entry["totalDebitCents"] == entry["totalCreditCents"] == sum(
        cents for cents in expected_moves.values() if cents > 0)


def test_purchase_moves_account_balances_in_their_normal_direction(client, post_purchase):
    checking, supplies = (account_balance_cents(client, a) for a in ("acc_bp_checking", "acc_bp_office_supplies"))
    assert post_purchase(amountCents=1234).status_code == 201
    assert account_balance_cents(client, "acc_bp_checking") == checking - 1234
    assert account_balance_cents(client, "acc_bp_office_supplies") == supplies + 1234


def test_deposit_raises_a_credit_normal_income_balance(client):
    sales = account_balance_cents(client, "acc_bp_sales")
    body = {"date": "2026-06-12", "destinationAccountId": "acc_bp_checking",
            "categoryAccountId": "acc_bp_sales", "amountCents": 777}
    assert client.post(f"{COMPANY_PATH}/deposits", headers=posting_headers(), json=body).status_code == 201
    assert account_balance_cents(client, "acc_bp_sales") == sales + 777


def test_purchase_on_a_bank_account_adds_a_posting_bank_row(client, post_purchase):
    receipt = post_purchase(amountCents=4321).json()
    (row_id,) = receipt["bankTransactionIds"]
    rows = client.get("/api/v1/bank-accounts/ba_bp_checking/transactions", headers=ORG,
                      params={"limit": 200}).json()["data"]
    row = next(r for r in rows if r["id"] == row_id)
    assert (row["sourceType"], row["amountCents"], row["direction"]) == ("posting", 4321, "outflow")
    assert row["journalEntryId"] == receipt["journalEntryId"]


def test_bill_payment_lowers_the_bill_open_balance(client):
    body = {"date": "2026-11-20", "sourceAccountId": "acc_bp_checking", "amountCents": 100000,
            "allocations": [{"billId": "bill_bp_2011", "amountCents": 60000},
                            {"billId": "bill_bp_2090", "amountCents": 40000}]}
    assert client.post(f"{COMPANY_PATH}/bill-payments", headers=posting_headers(), json=body).status_code == 201
    bills = {b["id"]: b for b in client.get("/api/v1/sandbox/companies/cmp_brightpixel/bills",
                                            headers=AUTH, params={"limit": 200}).json()["data"]}
    assert (bills["bill_bp_2011"]["openBalanceCents"], bills["bill_bp_2011"]["status"]) == (180000, "partial")
    assert (bills["bill_bp_2090"]["openBalanceCents"], bills["bill_bp_2090"]["status"]) == (56000, "partial")


REFUSED_POSTINGS = [
    ("transfers", {"date": "2026-07-02", "fromAccountId": "acc_bp_checking", "toAccountId": "acc_bp_checking",
                   "amountCents": 100}, "UNPROCESSABLE"),
    ("transfers", {"date": "2026-07-02", "fromAccountId": "acc_bp_checking", "toAccountId": "acc_bp_rent",
                   "amountCents": 100}, "UNPROCESSABLE"),
    ("purchases", {"date": "2026-06-08", "sourceAccountId": "acc_bp_checking",
                   "categoryAccountId": "acc_bp_checking", "amountCents": 100}, "UNPROCESSABLE"),
    ("purchases", {"date": "2026-06-08", "sourceAccountId": "acc_bp_checking",
                   "categoryAccountId": "acc_hc_rent", "amountCents": 100}, "UNPROCESSABLE"),
    ("purchases", {"date": "2026-06-08", "sourceAccountId": "acc_bp_checking",
                   "categoryAccountId": "acc_nope", "amountCents": 100}, "UNPROCESSABLE"),
    ("journal-entries", {"date": "2026-07-31", "description": "Unbalanced",
                         "lines": [{"accountId": "acc_bp_rent", "debitCents": 100},
                                   {"accountId": "acc_bp_ap", "creditCents": 99}]}, "UNBALANCED_ENTRY"),
    ("journal-entries", {"date": "2026-07-31", "description": "One account",
                         "lines": [{"accountId": "acc_bp_rent", "debitCents": 100},
                                   {"accountId": "acc_bp_rent", "creditCents": 100}]}, "UNPROCESSABLE"),
    ("bill-payments", {"date": "2026-11-20", "sourceAccountId": "acc_bp_checking", "amountCents": 100000,
                       "allocations": [{"billId": "bill_bp_2011", "amountCents": 90000}]}, "UNPROCESSABLE"),
    ("bill-payments", {"date": "2026-11-20", "sourceAccountId": "acc_bp_checking", "amountCents": 120000,
                       "allocations": [{"billId": "bill_bp_2004", "amountCents": 120000}]}, "UNPROCESSABLE"),
]


def test_refused_postings_answer_422_and_leave_no_trace(client):
    before = books_snapshot(client)
    for route, body, code in REFUSED_POSTINGS:
        response = client.post(f"{COMPANY_PATH}/{route}", headers=posting_headers(), json=body)
        assert_error(response, code, 422)
    assert books_snapshot(client) == before


def test_unknown_account_names_its_field(client, post_purchase):
    error = assert_error(post_purchase(categoryAccountId="acc_nope"), "UNPROCESSABLE", 422)
    assert "categoryAccountId" in [detail["field"] for detail in error["details"]]


def test_archived_account_cannot_take_a_posting(client, post_purchase):
    patched = client.patch("/api/v1/accounts/acc_bp_meals", headers=ORG, json={"archived": True})
    assert patched.status_code == 200 and patched.json()["archived"] is True
    before = books_snapshot(client)
    assert_error(post_purchase(categoryAccountId="acc_bp_meals"), "UNPROCESSABLE", 422)
    assert books_snapshot(client) == before
