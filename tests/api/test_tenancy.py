"""Credentials and tenancy: 401 without a credential, 404 outside the caller's reach (R5, R9)."""

from __future__ import annotations

from tests.api.helpers import (
    API_KEY, AUTH, COMPANY_PATH, ORG, OTHER_COMPANY_ID, OTHER_FIRM_TOKEN, OTHER_ORGANIZATION_ID, SESSION_COOKIE,
    SISTER_COMPANY_ID, SISTER_ORGANIZATION_ID, assert_error, books_snapshot, posting_headers)

BAD_CREDENTIALS = [{}, {"Authorization": "Bearer mcp_at_unknown"}, {"Authorization": "Bearer "},
                   {"Authorization": "Basic dXNlcjpwYXNz"}, {"Authorization": "mcp_at_sandbox_summit_firm_token"},
                   {"Authorization": "Bearer dk_live_unknown"}, {"Cookie": "ledgerhq_session=sess_unknown"}]
OTHER_COMPANY_ROUTES = ["", "/accounts", "/journal-entries", "/journal-lines", "/bank-accounts", "/bank-transactions",
                        "/reconciliations", "/reports/profit-and-loss", "/reports/balance-sheet",
                        "/reports/trial-balance", "/reports/general-ledger"]


def test_missing_or_unknown_credentials_are_401_with_www_authenticate(client, purchase_body):
    before = books_snapshot(client)
    for path in ("/api/v1/companies", f"{COMPANY_PATH}/accounts", "/api/v1/accounts", f"{COMPANY_PATH}/purchases"):
        for credential in BAD_CREDENTIALS:
            headers = {**credential, "x-organization-id": "org_brightpixel", "Idempotency-Key": "k-401"}
            response = client.request("POST" if path.endswith("purchases") else "GET", path, headers=headers,
                                      json=purchase_body if path.endswith("purchases") else None)
            assert_error(response, "UNAUTHORIZED", 401)
            assert response.headers["www-authenticate"].startswith("Bearer"), (path, credential)
    assert books_snapshot(client) == before


def test_another_firms_company_is_404_and_shows_no_data(client):
    for suffix in OTHER_COMPANY_ROUTES:
        response = client.get(f"/api/v1/companies/{OTHER_COMPANY_ID}{suffix}", headers=AUTH)
        error = assert_error(response, "NOT_FOUND", 404)
        assert "data" not in response.json() and "Cedar" not in error["message"]
    other_firm = {"Authorization": f"Bearer {OTHER_FIRM_TOKEN}"}
    for suffix in OTHER_COMPANY_ROUTES:
        assert_error(client.get(f"{COMPANY_PATH}{suffix}", headers=other_firm), "NOT_FOUND", 404)
    companies = client.get("/api/v1/companies", headers=other_firm).json()["data"]
    assert [c["id"] for c in companies] == [OTHER_COMPANY_ID]


def test_posting_into_another_firms_company_is_404_and_posts_nothing(client):
    other_firm = {"Authorization": f"Bearer {OTHER_FIRM_TOKEN}"}
    before = books_snapshot(client)
    body = {"date": "2026-06-08", "sourceAccountId": "acc_bp_checking",
            "categoryAccountId": "acc_bp_office_supplies", "amountCents": 100}
    response = client.post(f"{COMPANY_PATH}/purchases", json=body, headers={**other_firm, "Idempotency-Key": "x-1"})
    assert_error(response, "NOT_FOUND", 404)
    headers = {**other_firm, "x-organization-id": "org_brightpixel", "Idempotency-Key": "x-2"}
    assert_error(client.post("/api/v1/purchases", json=body, headers=headers), "NOT_FOUND", 404)
    assert books_snapshot(client) == before


def test_another_firms_organization_header_is_404(client):
    headers = {**AUTH, "x-organization-id": OTHER_ORGANIZATION_ID}
    for path in ("/api/v1/accounts", "/api/v1/entries", "/api/v1/bank-transactions", "/api/v1/reports/trial-balance",
                 "/api/v1/webhooks", "/api/v1/accounts/acc_cp_checking"):
        response = client.get(path, headers=headers)
        assert_error(response, "NOT_FOUND", 404)
    assert_error(client.get("/api/v1/accounts", headers={**AUTH, "x-organization-id": "org_nope"}), "NOT_FOUND", 404)


def test_an_api_key_acts_only_for_its_own_organization(client):
    key = {"Authorization": f"Bearer {API_KEY}"}
    accounts = client.get("/api/v1/accounts", headers={**key, "x-organization-id": "org_brightpixel"})
    assert accounts.status_code == 200
    assert {a["companyId"] for a in accounts.json()["data"]} == {"cmp_brightpixel"}
    for organization_id in (SISTER_ORGANIZATION_ID, OTHER_ORGANIZATION_ID):
        response = client.get("/api/v1/accounts", headers={**key, "x-organization-id": organization_id})
        assert_error(response, "NOT_FOUND", 404)
    assert_error(client.get(f"/api/v1/companies/{SISTER_COMPANY_ID}", headers=key), "NOT_FOUND", 404)


def test_legacy_routes_need_the_organization_header(client):
    for headers in (AUTH, {"Authorization": f"Bearer {API_KEY}"}, {"Cookie": SESSION_COOKIE}):
        response = client.get("/api/v1/accounts", headers=headers)
        error = assert_error(response, "VALIDATION_ERROR", 400)
        assert "x-organization-id" in error["message"]
    response = client.post("/api/v1/purchases", headers={**AUTH, "Idempotency-Key": "no-org"},
                           json={"date": "2026-06-08", "sourceAccountId": "acc_bp_checking",
                                 "categoryAccountId": "acc_bp_office_supplies", "amountCents": 100})
    assert_error(response, "VALIDATION_ERROR", 400)


def test_a_session_cookie_reaches_its_users_organizations(client):
    cookie = {"Cookie": SESSION_COOKIE}
    for organization_id in ("org_brightpixel", SISTER_ORGANIZATION_ID):
        assert client.get("/api/v1/accounts", headers={**cookie, "x-organization-id": organization_id}).status_code == 200
    response = client.get("/api/v1/accounts", headers={**cookie, "x-organization-id": OTHER_ORGANIZATION_ID})
    assert_error(response, "NOT_FOUND", 404)


def test_a_resource_is_found_only_under_its_own_company(client, posted_entry_id):
    sister = {**AUTH, "x-organization-id": SISTER_ORGANIZATION_ID}
    for path in (f"/api/v1/entries/{posted_entry_id}", "/api/v1/accounts/acc_bp_checking",
                 "/api/v1/bank-accounts/ba_bp_checking/transactions"):
        assert_error(client.get(path, headers=sister), "NOT_FOUND", 404)
    before = books_snapshot(client)
    assert_error(client.post("/api/v1/bank-transactions/btx_bp_feed_018/reclassify", headers=sister,
                             json={"accountId": "acc_hc_rent"}), "NOT_FOUND", 404)
    assert_error(client.post(f"/api/v1/entries/{posted_entry_id}/void", headers=sister, json={}), "NOT_FOUND", 404)
    assert_error(client.delete("/api/v1/accounts/acc_bp_meals", headers=sister), "NOT_FOUND", 404)
    assert books_snapshot(client) == before
    assert client.get(f"/api/v1/entries/{posted_entry_id}", headers=ORG).status_code == 200


def test_another_companys_account_cannot_be_posted_to(client):
    before = books_snapshot(client)
    body = {"date": "2026-06-08", "sourceAccountId": "acc_hc_checking",
            "categoryAccountId": "acc_bp_office_supplies", "amountCents": 100}
    response = client.post(f"/api/v1/companies/{SISTER_COMPANY_ID}/purchases", headers=posting_headers(), json=body)
    assert_error(response, "UNPROCESSABLE", 422)
    assert books_snapshot(client) == before
