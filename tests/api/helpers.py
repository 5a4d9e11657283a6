"""What the HTTP tests share: the fixture credentials, error checks and book snapshots."""

from __future__ import annotations

import itertools
from collections import Counter

TOKEN = "mcp_at_sandbox_summit_firm_token"
OTHER_FIRM_TOKEN = "mcp_at_sandbox_northgate_firm_token"
API_KEY = "dk_live_sandbox_brightpixel_key"
SESSION_COOKIE = "ledgerhq_session=sess_sandbox_summit_owner"
COMPANY_ID = "cmp_brightpixel"
ORGANIZATION_ID = "org_brightpixel"
SISTER_COMPANY_ID = "cmp_harborcoffee"            # same firm (firm_summit)
SISTER_ORGANIZATION_ID = "org_harborcoffee"
OTHER_COMPANY_ID = "cmp_cedarplumbing"            # firm_northgate
OTHER_ORGANIZATION_ID = "org_cedarplumbing"
COMPANY_PATH = f"/api/v1/companies/{COMPANY_ID}"
REPORT_ALL_TIME = {"startDate": "2000-01-01", "endDate": "2099-12-31"}
AS_OF_ALL_TIME = {"asOf": "2099-12-31"}
PAGES_WALKED_MAX = 500

AUTH = {"Authorization": f"Bearer {TOKEN}"}
ORG = {**AUTH, "x-organization-id": ORGANIZATION_ID}

_keys = itertools.count(1)


def live(app):
    """The sandbox state behind an app made by create_app (its outermost middleware's)."""
    return getattr(app, "service", None) or app.state


def admin_headers(app) -> dict:
    return {"X-Admin-Key": live(app).admin_key}


def firm_part_of_default_fixtures(firm_id: str = "firm_summit") -> dict:
    """The default fixtures with only this firm's organizations and companies: what a firm's
    credential may load (POST /api/v1/sandbox/fixtures)."""
    import yaml
    from mock_server.ledger.fixtures import DEFAULT_FIXTURE_PATH
    data = yaml.safe_load(DEFAULT_FIXTURE_PATH.read_text())
    data["organizations"] = [o for o in data["organizations"] if o["firmId"] == firm_id]
    data["companies"] = [c for c in data["companies"] if c["firmId"] == firm_id]
    return data


def new_key(label: str = "test") -> str:
    return f"{label}-{next(_keys):06d}"


def posting_headers(key: str | None = None, legacy: bool = False) -> dict:
    return {**(ORG if legacy else AUTH), "Idempotency-Key": new_key() if key is None else key}


def assert_error(response, code: str, status: int, retryable: bool = False) -> dict:
    """The structured error of R4, with requestId == X-Request-Id; returns `error`."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code, error
    assert error["retryable"] is retryable, error
    assert error["requestId"].startswith("req_")
    assert error["requestId"] == response.headers["x-request-id"]
    return error


def walk_pages(client, path: str, headers: dict, limit: int, params: dict | None = None) -> list:
    """Every item of a list route, page by page (R6); fails on a page loop."""
    items, cursor = [], None
    for _ in range(PAGES_WALKED_MAX):
        query = {**(params or {}), "limit": limit, **({"cursor": cursor} if cursor else {})}
        response = client.get(path, headers=headers, params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["data"]) <= limit
        items.extend(page["data"])
        cursor = page["nextCursor"]
        if cursor is None:
            return items
    raise AssertionError(f"{path}: more than {PAGES_WALKED_MAX} pages")


def balances_cents(client, company_id: str = COMPANY_ID, as_of: str = "2099-12-31") -> dict:
    """accountId -> debit minus credit, from the company trial balance."""
    response = client.get(f"/api/v1/companies/{company_id}/reports/trial-balance",
                          headers=AUTH, params={"asOf": as_of})
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["totalDebitCents"] == report["totalCreditCents"]
    return {row["accountId"]: row["debitCents"] - row["creditCents"] for row in report["rows"]}


def balance_moves(before: dict, after: dict) -> dict:
    """accountId -> change in debit-minus-credit cents; zero changes left out."""
    moves = Counter(after)
    moves.subtract(before)
    return {account_id: cents for account_id, cents in moves.items() if cents}


def account_balance_cents(client, account_id: str) -> int:
    response = client.get(f"/api/v1/accounts/{account_id}", headers=ORG)
    assert response.status_code == 200, response.text
    return response.json()["balanceCents"]


def entry_ids(client, company_id: str = COMPANY_ID) -> list[str]:
    path = f"/api/v1/companies/{company_id}/journal-entries"
    return [entry["id"] for entry in walk_pages(client, path, AUTH, limit=200)]


def books_snapshot(client, company_id: str = COMPANY_ID) -> tuple:
    """What a refused request must leave unchanged (R9): balances, entries, bank rows."""
    bank_rows = walk_pages(client, f"/api/v1/companies/{company_id}/bank-transactions", AUTH, 200)
    return balances_cents(client, company_id), entry_ids(client, company_id), len(bank_rows)
