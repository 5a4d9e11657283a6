"""Journal entries through draft -> posted -> voided; only posted entries count (R3, R9)."""

from __future__ import annotations

from tests.api.helpers import (
    ORG, REPORT_ALL_TIME, SISTER_ORGANIZATION_ID, AUTH, assert_error, balance_moves, balances_cents,
    books_snapshot, walk_pages)

DRAFT = {"date": "2026-06-30", "description": "June printer lease accrual", "reference": "accrual-2026-06",
         "lines": [{"accountId": "acc_bp_office_supplies", "debitCents": 15000, "description": "Printer lease"},
                   {"accountId": "acc_bp_ap", "creditCents": 15000}]}


def _create_draft(client, body=DRAFT) -> dict:
    response = client.post("/api/v1/entries", headers=ORG, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def _net_income_cents(client) -> int:
    return client.get("/api/v1/reports/profit-and-loss", headers=ORG, params=REPORT_ALL_TIME).json()["netIncomeCents"]


def test_a_draft_counts_nowhere_until_posted(client):
    before, income_before = balances_cents(client), _net_income_cents(client)
    draft = _create_draft(client)
    assert (draft["status"], draft["postedAt"], draft["voidedAt"]) == ("draft", None, None)
    assert draft["totalDebitCents"] == draft["totalCreditCents"] == 15000
    assert [(l["accountId"], l["debitCents"], l["creditCents"]) for l in draft["lines"]] == [
        ("acc_bp_office_supplies", 15000, 0), ("acc_bp_ap", 0, 15000)]
    assert balances_cents(client) == before and _net_income_cents(client) == income_before
    assert client.get(f"/api/v1/entries/{draft['id']}", headers=ORG).json() == draft

    posted = client.post(f"/api/v1/entries/{draft['id']}/post", headers=ORG, json={})
    assert posted.status_code == 200 and posted.json()["status"] == "posted" and posted.json()["postedAt"]
    assert balance_moves(before, balances_cents(client)) == {"acc_bp_office_supplies": 15000, "acc_bp_ap": -15000}
    assert _net_income_cents(client) == income_before - 15000


def test_void_takes_the_entry_out_of_every_report(client, posted_entry_id):
    before, income_before = balances_cents(client), _net_income_cents(client)
    voided = client.post(f"/api/v1/entries/{posted_entry_id}/void", headers=ORG, json={})
    assert voided.status_code == 200
    assert voided.json()["status"] == "voided" and voided.json()["voidedAt"]
    assert balance_moves(before, balances_cents(client)) == {"acc_bp_office_supplies": -15000, "acc_bp_ap": 15000}
    assert _net_income_cents(client) == income_before + 15000
    ledger = client.get("/api/v1/reports/general-ledger", headers=ORG,
                        params={**REPORT_ALL_TIME, "accountId": "acc_bp_office_supplies"}).json()
    assert posted_entry_id not in [line["entryId"] for line in ledger["accounts"][0]["lines"]]


def test_post_of_posted_and_void_of_voided_are_409(client, posted_entry_id):
    assert_error(client.post(f"/api/v1/entries/{posted_entry_id}/post", headers=ORG, json={}), "INVALID_STATE", 409)
    assert client.post(f"/api/v1/entries/{posted_entry_id}/void", headers=ORG).status_code == 200
    before = books_snapshot(client)
    assert_error(client.post(f"/api/v1/entries/{posted_entry_id}/void", headers=ORG, json={}), "INVALID_STATE", 409)
    assert_error(client.post(f"/api/v1/entries/{posted_entry_id}/post", headers=ORG, json={}), "INVALID_STATE", 409)
    assert books_snapshot(client) == before


def test_void_of_a_draft_is_409(client):
    draft = _create_draft(client)
    assert_error(client.post(f"/api/v1/entries/{draft['id']}/void", headers=ORG, json={}), "INVALID_STATE", 409)
    assert client.get(f"/api/v1/entries/{draft['id']}", headers=ORG).json()["status"] == "draft"


def test_an_unbalanced_draft_is_kept_but_cannot_post(client):
    body = {**DRAFT, "lines": [{"accountId": "acc_bp_office_supplies", "debitCents": 15000},
                               {"accountId": "acc_bp_ap", "creditCents": 14999}]}
    draft = _create_draft(client, body)
    before = books_snapshot(client)
    assert_error(client.post(f"/api/v1/entries/{draft['id']}/post", headers=ORG, json={}), "UNBALANCED_ENTRY", 422)
    assert client.get(f"/api/v1/entries/{draft['id']}", headers=ORG).json()["status"] == "draft"
    assert books_snapshot(client) == before


def test_bad_drafts_are_refused(client):
    one_line = {**DRAFT, "lines": DRAFT["lines"][:1]}
    both_sides = {**DRAFT, "lines": [{"accountId": "acc_bp_rent", "debitCents": 5, "creditCents": 5},
                                     {"accountId": "acc_bp_ap", "creditCents": 5}]}
    assert_error(client.post("/api/v1/entries", headers=ORG, json=one_line), "VALIDATION_ERROR", 400)
    response = client.post("/api/v1/entries", headers=ORG, json=both_sides)
    assert response.status_code in (400, 422), response.text
    bad_date = {**DRAFT, "date": "2026-02-30"}
    assert_error(client.post("/api/v1/entries", headers=ORG, json=bad_date), "VALIDATION_ERROR", 400)


def test_entries_list_pages_every_entry_once_in_creation_order(client):
    made = [_create_draft(client)["id"] for _ in range(3)]
    small = [entry["id"] for entry in walk_pages(client, "/api/v1/entries", ORG, limit=7)]
    large = [entry["id"] for entry in walk_pages(client, "/api/v1/entries", ORG, limit=200)]
    assert small == large and len(set(small)) == len(small)
    assert small[-3:] == made
    company = [entry["id"] for entry in walk_pages(client, "/api/v1/companies/cmp_brightpixel/journal-entries",
                                                     AUTH, limit=11)]
    assert company == small


def test_an_entry_is_found_only_under_its_own_company(client, posted_entry_id):
    other = {**ORG, "x-organization-id": SISTER_ORGANIZATION_ID}
    assert_error(client.get(f"/api/v1/entries/{posted_entry_id}", headers=other), "NOT_FOUND", 404)
    assert_error(client.post(f"/api/v1/entries/{posted_entry_id}/void", headers=other, json={}), "NOT_FOUND", 404)
    assert client.get(f"/api/v1/entries/{posted_entry_id}", headers=ORG).json()["status"] == "posted"
    assert_error(client.get("/api/v1/entries/je_nope", headers=ORG), "NOT_FOUND", 404)
