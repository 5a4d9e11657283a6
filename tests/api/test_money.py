"""Money is an integer count of cents in 1..10**12; anything else is 400 and posts nothing (R1)."""

from __future__ import annotations

import json

from tests.api.helpers import COMPANY_PATH, ORG, assert_error, books_snapshot, posting_headers

BAD_AMOUNTS = [12.5, "1250", True, False, None, 0, -1, 10**12 + 1, 10**30, [1250], {"cents": 1250}]
AMOUNT_MAX = 10**12


def _purchase(amount) -> dict:
    return {"date": "2026-06-08", "sourceAccountId": "acc_bp_checking",
            "categoryAccountId": "acc_bp_office_supplies", "amountCents": amount}


def _journal_entry(amount) -> dict:
    return {"date": "2026-07-31", "description": "Bad money",
            "lines": [{"accountId": "acc_bp_rent", "debitCents": amount},
                      {"accountId": "acc_bp_ap", "creditCents": 1250}]}


def _bill_payment(amount) -> dict:
    return {"date": "2026-11-20", "sourceAccountId": "acc_bp_checking", "amountCents": 1250,
            "allocations": [{"billId": "bill_bp_2011", "amountCents": amount}]}


def test_bad_amounts_are_400_and_post_nothing(client):
    before = books_snapshot(client)
    for route, make_body in [("purchases", _purchase), ("journal-entries", _journal_entry),
                             ("bill-payments", _bill_payment)]:
        for amount in BAD_AMOUNTS:
            key = f"bad-money-{route}-{json.dumps(amount)}"
            response = client.post(f"{COMPANY_PATH}/{route}", headers=posting_headers(key), json=make_body(amount))
            error = assert_error(response, "VALIDATION_ERROR", 400)
            assert error["details"], (route, amount)
    assert books_snapshot(client) == before


def test_raw_json_numbers_that_are_not_cents_are_400(client):
    before = books_snapshot(client)
    for raw_amount in ("1e400", "-1e400", "12.50", "0x10", "NaN", "Infinity", "1_000"):
        text = json.dumps(_purchase(0)).replace('"amountCents": 0', f'"amountCents": {raw_amount}')
        response = client.post(f"{COMPANY_PATH}/purchases", content=text.encode(),
                               headers={**posting_headers(), "Content-Type": "application/json"})
        assert_error(response, "VALIDATION_ERROR", 400)
    assert books_snapshot(client) == before


def test_bounds_are_inclusive(client):
    for amount in (1, AMOUNT_MAX):
        response = client.post(f"{COMPANY_PATH}/purchases", headers=posting_headers(), json=_purchase(amount))
        assert response.status_code == 201, response.text


def test_large_totals_stay_exact_integers(client):
    for _ in range(3):
        response = client.post(f"{COMPANY_PATH}/purchases", headers=posting_headers(), json=_purchase(AMOUNT_MAX))
        assert response.status_code == 201
    supplies = client.get("/api/v1/accounts/acc_bp_office_supplies", headers=ORG).json()["balanceCents"]
    assert type(supplies) is int and supplies > 3 * AMOUNT_MAX
    report = client.get(f"{COMPANY_PATH}/reports/trial-balance", headers=ORG, params={"asOf": "2099-12-31"}).json()
    assert report["totalDebitCents"] == report["totalCreditCents"]
    assert all(type(row["debitCents"]) is int for row in report["rows"])


def test_a_currency_other_than_usd_is_400(client):
    for currency in ("EUR", "usd", "USD "):
        response = client.post(f"{COMPANY_PATH}/purchases", headers=posting_headers(),
                               json={**_purchase(1250), "currency": currency})
        error = assert_error(response, "VALIDATION_ERROR", 400)
        assert error["details"] == [{"field": "currency", "issue": "not allowed"}]
    response = client.post("/api/v1/accounts", headers=ORG,
                           json={"code": "6350", "name": "Marketing", "type": "expense", "currency": "EUR"})
    assert_error(response, "VALIDATION_ERROR", 400)
