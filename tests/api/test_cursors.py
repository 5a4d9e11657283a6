"""A cursor the server did not issue for that list and company is 400 (issue 14, item 7):
forged `seq:N` cursors, another company's and another list's cursors are refused, and
nothing of another list leaks through them."""
from __future__ import annotations

import base64

from tests.api.helpers import AUTH, COMPANY_PATH, ORG, OTHER_FIRM_TOKEN, SISTER_COMPANY_ID, assert_error

OTHER_AUTH = {"Authorization": f"Bearer {OTHER_FIRM_TOKEN}"}


def cursor_of(client, path: str, headers: dict) -> str:
    page = client.get(path, headers=headers, params={"limit": 1}).json()
    assert page["nextCursor"], path
    return page["nextCursor"]


def refused(client, path: str, headers: dict, cursor: str) -> None:
    error = assert_error(client.get(path, headers=headers, params={"cursor": cursor}), "VALIDATION_ERROR", 400)
    assert error["details"][0]["field"] == "cursor"


def test_a_forged_seq_cursor_is_400(client) -> None:
    for text in (b"seq:1", b"seq:3", b"seq:999999"):
        forged = base64.urlsafe_b64encode(text).decode().rstrip("=")
        refused(client, f"{COMPANY_PATH}/accounts", AUTH, forged)
        refused(client, "/api/v1/accounts", ORG, forged)


def test_another_companys_cursor_is_400(client) -> None:
    own = cursor_of(client, f"{COMPANY_PATH}/accounts", AUTH)
    refused(client, f"/api/v1/companies/{SISTER_COMPANY_ID}/accounts", AUTH, own)
    refused(client, "/api/v1/companies/cmp_cedarplumbing/accounts", OTHER_AUTH, own)
    legacy = cursor_of(client, "/api/v1/accounts", ORG)
    refused(client, "/api/v1/accounts", {**AUTH, "x-organization-id": "org_harborcoffee"}, legacy)
    refused(client, "/api/v1/accounts", {**OTHER_AUTH, "x-organization-id": "org_cedarplumbing"}, legacy)


def test_another_lists_cursor_is_400_and_its_own_list_still_pages(client) -> None:
    accounts = cursor_of(client, f"{COMPANY_PATH}/accounts", AUTH)
    refused(client, f"{COMPANY_PATH}/journal-entries", AUTH, accounts)
    refused(client, f"{COMPANY_PATH}/journal-lines", AUTH, accounts)
    page = client.get(f"{COMPANY_PATH}/accounts", headers=AUTH, params={"cursor": accounts})
    assert page.status_code == 200 and page.json()["data"]
