"""Partner company routes and list paging (R5, R6)."""

from __future__ import annotations

from tests.api.helpers import AUTH, COMPANY_ID, COMPANY_PATH, ORG, assert_error, posting_headers, walk_pages

COMPANY_LISTS = ["accounts", "journal-entries", "journal-lines", "bank-accounts", "bank-transactions",
                 "reconciliations"]


def test_a_firm_token_lists_its_firm_companies_only(client):
    companies = walk_pages(client, "/api/v1/companies", AUTH, limit=1)
    assert [c["id"] for c in companies] == ["cmp_brightpixel", "cmp_harborcoffee"]
    assert {c["currency"] for c in companies} == {"USD"}
    assert {c["firmId"] for c in companies} == {"firm_summit"}
    organizations = walk_pages(client, "/api/v1/organizations", AUTH, limit=1)
    assert [(o["id"], o["companyId"]) for o in organizations] == [
        ("org_brightpixel", "cmp_brightpixel"), ("org_harborcoffee", "cmp_harborcoffee")]


def test_get_company(client):
    company = client.get(COMPANY_PATH, headers=AUTH).json()
    assert (company["id"], company["organizationId"], company["currency"]) == (COMPANY_ID, "org_brightpixel", "USD")
    assert company["name"] == "Bright Pixel Studio LLC"
    assert client.get("/api/v1/companies", headers=AUTH).json()["data"][0] == company


def test_company_lists_page_every_item_once(client):
    for resource in COMPANY_LISTS:
        path = f"{COMPANY_PATH}/{resource}"
        one_page = walk_pages(client, path, AUTH, limit=200)
        paged = walk_pages(client, path, AUTH, limit=3 if len(one_page) < 60 else 23)
        assert paged == one_page and one_page, resource
        assert len({item["id"] for item in paged}) == len(paged), resource
        if "companyId" in one_page[0]:
            assert {item["companyId"] for item in one_page} == {COMPANY_ID}, resource


def test_legacy_lists_page_every_item_once(client):
    for path in ("/api/v1/accounts", "/api/v1/entries", "/api/v1/bank-accounts", "/api/v1/bank-transactions",
                 "/api/v1/bank-feeds", "/api/v1/bank-accounts/ba_bp_checking/transactions"):
        one_page = walk_pages(client, path, ORG, limit=200)
        assert walk_pages(client, path, ORG, limit=1 if len(one_page) < 10 else 4) == one_page, path
        assert len({item["id"] for item in one_page}) == len(one_page) > 0, path


def test_paging_stays_exact_while_items_are_added(client, post_purchase):
    path = f"{COMPANY_PATH}/journal-entries"
    first = client.get(path, headers=AUTH, params={"limit": 5}).json()
    made = [post_purchase().json()["journalEntryId"] for _ in range(2)]
    rest = walk_pages(client, path, AUTH, limit=5, params={"cursor": first["nextCursor"]})
    seen = [e["id"] for e in first["data"]] + [e["id"] for e in rest]
    assert len(set(seen)) == len(seen)
    assert seen == [e["id"] for e in walk_pages(client, path, AUTH, limit=200)]
    assert seen[-2:] == made


def test_default_page_size_is_50(client):
    page = client.get(f"{COMPANY_PATH}/journal-lines", headers=AUTH).json()
    assert len(page["data"]) == 50 and page["nextCursor"]


def test_bad_page_parameters_are_400(client):
    for params in ({"limit": 0}, {"limit": 201}, {"limit": "ten"}, {"cursor": "not-a-cursor"}, {"cursor": ""}):
        assert_error(client.get(f"{COMPANY_PATH}/accounts", headers=AUTH, params=params), "VALIDATION_ERROR", 400)


def test_journal_lines_mirror_the_posted_entry(client):
    body = {"date": "2026-07-31", "description": "Accrual", "lines": [
        {"accountId": "acc_bp_rent", "debitCents": 7001}, {"accountId": "acc_bp_ap", "creditCents": 7001}]}
    receipt = client.post(f"{COMPANY_PATH}/journal-entries", headers=posting_headers(), json=body).json()
    lines = [l for l in walk_pages(client, f"{COMPANY_PATH}/journal-lines", AUTH, limit=200)
             if l["entryId"] == receipt["journalEntryId"]]
    assert [(l["accountId"], l["debitCents"], l["creditCents"], l["status"], l["date"]) for l in lines] == [
        ("acc_bp_rent", 7001, 0, "posted", "2026-07-31"), ("acc_bp_ap", 0, 7001, "posted", "2026-07-31")]
    legacy = walk_pages(client, "/api/v1/bank-transactions", ORG, limit=200)
    assert legacy == walk_pages(client, f"{COMPANY_PATH}/bank-transactions", AUTH, limit=200)
