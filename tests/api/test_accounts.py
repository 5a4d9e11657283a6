"""The chart of accounts: create, read, patch, archive, delete (R3)."""

from __future__ import annotations

from tests.api.helpers import AUTH, COMPANY_PATH, ORG, assert_error, books_snapshot, walk_pages

MARKETING = {"code": "6350", "name": "Marketing", "type": "expense", "subtype": "expense",
             "description": "Ads and sponsorships"}


def _create(client, body=MARKETING) -> dict:
    response = client.post("/api/v1/accounts", headers=ORG, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_created_account_is_listed_last_with_a_zero_balance(client):
    account = _create(client)
    assert account["id"].startswith("acc_") and account["companyId"] == "cmp_brightpixel"
    assert (account["normalBalance"], account["balanceCents"], account["archived"]) == ("debit", 0, False)
    assert (account["isBankAccount"], account["bankAccountId"]) == (False, None)
    assert client.get(f"/api/v1/accounts/{account['id']}", headers=ORG).json() == account
    listed = walk_pages(client, "/api/v1/accounts", ORG, limit=200)
    assert listed[-1] == account
    company_listed = walk_pages(client, f"{COMPANY_PATH}/accounts", AUTH, limit=200)
    assert company_listed == listed


def test_normal_balance_follows_the_type(client):
    expected = {"asset": "debit", "expense": "debit", "liability": "credit", "equity": "credit", "income": "credit"}
    for account in walk_pages(client, "/api/v1/accounts", ORG, limit=200):
        assert account["normalBalance"] == expected[account["type"]], account["id"]


def test_account_list_pages_every_account_once(client):
    small = [a["id"] for a in walk_pages(client, "/api/v1/accounts", ORG, limit=4)]
    large = [a["id"] for a in walk_pages(client, "/api/v1/accounts", ORG, limit=200)]
    assert small == large and len(set(small)) == len(small) > 20


def test_patch_renames_and_archives(client):
    renamed = client.patch("/api/v1/accounts/acc_bp_office_supplies", headers=ORG,
                           json={"name": "Office Supplies & Postage", "code": "6210"})
    assert renamed.status_code == 200
    assert (renamed.json()["name"], renamed.json()["code"]) == ("Office Supplies & Postage", "6210")
    archived = client.patch("/api/v1/accounts/acc_bp_office_supplies", headers=ORG, json={"archived": True})
    assert archived.json()["archived"] is True
    assert archived.json()["balanceCents"] == renamed.json()["balanceCents"]


def test_a_duplicate_code_is_409_invalid_state(client):
    before = books_snapshot(client)
    error = assert_error(client.post("/api/v1/accounts", headers=ORG, json={**MARKETING, "code": "6300"}),
                         "INVALID_STATE", 409)
    assert error["details"][0]["field"] == "code"
    response = client.patch("/api/v1/accounts/acc_bp_meals", headers=ORG, json={"code": "6200"})
    assert_error(response, "INVALID_STATE", 409)
    assert client.get("/api/v1/accounts/acc_bp_meals", headers=ORG).json()["code"] == "6300"
    assert books_snapshot(client) == before


def test_a_subtype_of_another_type_is_422(client):
    response = client.post("/api/v1/accounts", headers=ORG, json={**MARKETING, "subtype": "bank"})
    error = assert_error(response, "UNPROCESSABLE", 422)
    assert error["details"][0]["field"] == "subtype"


def test_malformed_accounts_are_400(client):
    for body in ({**MARKETING, "type": "expenses"}, {**MARKETING, "code": ""}, {"name": "No code", "type": "asset"},
                 {**MARKETING, "balanceCents": 5}):
        assert_error(client.post("/api/v1/accounts", headers=ORG, json=body), "VALIDATION_ERROR", 400)
    assert_error(client.patch("/api/v1/accounts/acc_bp_meals", headers=ORG, json={"type": "income"}),
                 "VALIDATION_ERROR", 400)


def test_delete_without_activity_removes_the_account(client):
    account = _create(client)
    response = client.delete(f"/api/v1/accounts/{account['id']}", headers=ORG)
    assert response.status_code == 204 and response.content == b""
    assert_error(client.get(f"/api/v1/accounts/{account['id']}", headers=ORG), "NOT_FOUND", 404)
    assert_error(client.delete(f"/api/v1/accounts/{account['id']}", headers=ORG), "NOT_FOUND", 404)


def test_delete_of_an_account_with_activity_is_409_account_in_use(client):
    before = books_snapshot(client)
    for account_id in ("acc_bp_checking", "acc_bp_rent", "acc_bp_ap"):
        assert_error(client.delete(f"/api/v1/accounts/{account_id}", headers=ORG), "ACCOUNT_IN_USE", 409)
        assert client.get(f"/api/v1/accounts/{account_id}", headers=ORG).status_code == 200
    assert books_snapshot(client) == before


def test_an_account_with_only_a_draft_line_has_activity(client):
    account = _create(client)
    draft = {"date": "2026-06-30", "description": "Draft", "lines": [
        {"accountId": account["id"], "debitCents": 100}, {"accountId": "acc_bp_ap", "creditCents": 100}]}
    assert client.post("/api/v1/entries", headers=ORG, json=draft).status_code == 201
    assert_error(client.delete(f"/api/v1/accounts/{account['id']}", headers=ORG), "ACCOUNT_IN_USE", 409)
