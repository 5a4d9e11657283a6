"""The bank transaction and journal entry lists filter (issue 18, item 6): each filter over HTTP,
walked page by page, lists exactly the items of the whole list that match; bad values are 400;
a cursor keeps its filters; journal entries carry `updatedAt`, moved by post and void."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.api.helpers import AUTH, COMPANY_PATH, ORG, PAGES_WALKED_MAX, assert_error, live, posting_headers

BANK_LISTS = ((f"{COMPANY_PATH}/bank-transactions", AUTH), ("/api/v1/bank-transactions", ORG),
              ("/api/v1/bank-accounts/ba_bp_checking/transactions", ORG))
ENTRY_LISTS = ((f"{COMPANY_PATH}/journal-entries", AUTH), ("/api/v1/entries", ORG))
FILTERED_PAGES = 3
T0 = dt.datetime(2026, 6, 8, 15, 4, 5, 250_000, tzinfo=dt.timezone.utc)


def walk(client, path: str, headers: dict, params: dict | None = None, limit: int = 200) -> list[dict]:
    items, cursor = [], None
    for _ in range(PAGES_WALKED_MAX):
        query = {**(params or {}), "limit": limit, **({"cursor": cursor} if cursor else {})}
        page = client.get(path, headers=headers, params=query)
        assert page.status_code == 200, page.text
        items += page.json()["data"]
        cursor = page.json()["nextCursor"]
        if cursor is None:
            return items
    raise AssertionError(f"{path} never ends")


def assert_filtered(client, path: str, headers: dict, params: dict, keeps,
                    whole: list[dict] | None = None) -> list[dict]:
    """Walked in about three pages with `params`: exactly the items of the whole list (`whole`, else walked
    now) that `keeps`, in order."""
    expected = [item["id"] for item in (walk(client, path, headers) if whole is None else whole) if keeps(item)]
    found = walk(client, path, headers, params, limit=max(1, -(-len(expected) // FILTERED_PAGES)))
    assert [item["id"] for item in found] == expected, (path, params)
    return found


def middle(values: list[str]) -> str:
    ordered = sorted(set(values))
    return ordered[len(ordered) // 2]


@pytest.mark.parametrize(("path", "headers"), BANK_LISTS)
def test_bank_transactions_filter_by_status_and_dates(client, path, headers) -> None:
    rows = walk(client, path, headers)
    for status in ("unreviewed", "categorized", "reconciled", "excluded"):
        assert_filtered(client, path, headers, {"status": status}, lambda row: row["status"] == status, rows)
    day = middle([row["date"] for row in rows])
    assert any(row["date"] == day for row in rows)
    assert_filtered(client, path, headers, {"startDate": day}, lambda row: row["date"] >= day, rows)
    found = assert_filtered(client, path, headers, {"endDate": day}, lambda row: row["date"] <= day, rows)
    assert day in {row["date"] for row in found}            # endDate is inclusive
    assert_filtered(client, path, headers, {"startDate": day, "endDate": day, "status": "reconciled"},
                    lambda row: row["date"] == day and row["status"] == "reconciled", rows)


def test_bank_transactions_filter_by_bank_account(client, post_purchase) -> None:
    assert post_purchase(sourceAccountId="acc_bp_card").status_code == 201
    for path, headers in BANK_LISTS[:2]:
        rows = walk(client, path, headers)
        accounts = {row["bankAccountId"] for row in rows}
        assert len(accounts) >= 2
        for bank_account_id in accounts:
            assert_filtered(client, path, headers, {"bankAccountId": bank_account_id},
                            lambda row: row["bankAccountId"] == bank_account_id, rows)
        assert walk(client, path, headers, {"bankAccountId": "ba_not_this_companys"}) == []


@pytest.mark.parametrize(("path", "headers"), ENTRY_LISTS)
def test_journal_entries_filter_by_status_and_dates(client, path, headers) -> None:
    entries = walk(client, path, headers)
    for status in ("draft", "posted", "voided"):
        assert_filtered(client, path, headers, {"status": status}, lambda entry: entry["status"] == status, entries)
    day = middle([entry["date"] for entry in entries])
    assert_filtered(client, path, headers, {"startDate": day}, lambda entry: entry["date"] >= day, entries)
    found = assert_filtered(client, path, headers, {"endDate": day}, lambda entry: entry["date"] <= day, entries)
    assert day in {entry["date"] for entry in found}


def set_clock(sandbox_app, moment: dt.datetime) -> None:
    live(sandbox_app).clock.source = lambda: moment


def test_entry_updated_at_moves_on_post_and_void(client, sandbox_app) -> None:
    set_clock(sandbox_app, T0)
    body = {"date": "2026-06-08", "description": "Accrual",
            "lines": [{"accountId": "acc_bp_office_supplies", "debitCents": 100},
                      {"accountId": "acc_bp_ap", "creditCents": 100}]}
    made = client.post("/api/v1/entries", headers=ORG, json=body).json()
    assert made["updatedAt"] == made["createdAt"] == "2026-06-08T15:04:05Z"
    set_clock(sandbox_app, T0 + dt.timedelta(minutes=1))
    posted = client.post(f"/api/v1/entries/{made['id']}/post", headers=ORG).json()
    assert posted["updatedAt"] == posted["postedAt"] == "2026-06-08T15:05:05Z"
    set_clock(sandbox_app, T0 + dt.timedelta(minutes=2))
    voided = client.post(f"/api/v1/entries/{made['id']}/void", headers=ORG).json()
    assert voided["updatedAt"] == voided["voidedAt"] == "2026-06-08T15:06:05Z"
    assert voided["createdAt"] == made["createdAt"]


def test_updated_since_lists_what_changed_from_that_second(client, sandbox_app) -> None:
    set_clock(sandbox_app, T0 + dt.timedelta(days=400))
    receipt = client.post(f"{COMPANY_PATH}/purchases", headers=posting_headers(), json={
        "date": "2026-06-08", "sourceAccountId": "acc_bp_checking", "categoryAccountId": "acc_bp_office_supplies",
        "amountCents": 4299}).json()
    since = "2027-07-13T15:04:05Z"          # the purchase's second, its fraction dropped
    for path, headers in ENTRY_LISTS:
        found = assert_filtered(client, path, headers, {"updatedSince": since},
                                lambda entry: entry["updatedAt"] >= since)
        assert [entry["id"] for entry in found] == [receipt["journalEntryId"]]
        assert walk(client, path, headers, {"updatedSince": "2027-07-13T15:04:06Z"}) == []
    for path, headers in BANK_LISTS:
        found = assert_filtered(client, path, headers, {"updatedSince": "2027-07-13T17:04:05+02:00"},
                                lambda row: row["updatedAt"] >= since)
        assert [row["id"] for row in found] == receipt["bankTransactionIds"]


BAD_FILTERS = (
    ({"status": "pending"}, "status"), ({"startDate": "2026-13-01"}, "startDate"), ({"endDate": "June 1"}, "endDate"),
    ({"startDate": "2026-06-02", "endDate": "2026-06-01"}, "startDate"),
    ({"updatedSince": "2026-06-08"}, "updatedSince"), ({"updatedSince": "yesterday"}, "updatedSince"),
)


def test_bad_filter_values_are_400_naming_the_field(client) -> None:
    cases = [(path, headers, params, field) for path, headers in BANK_LISTS[:2] + ENTRY_LISTS
             for params, field in BAD_FILTERS]
    cases += [(path, headers, {"bankAccountId": "ba bad"}, "bankAccountId") for path, headers in BANK_LISTS[:2]]
    cases += [(path, headers, {"status": "reconciled"}, "status") for path, headers in ENTRY_LISTS]
    for path, headers, params, field in cases:
        error = assert_error(client.get(path, headers=headers, params=params), "VALIDATION_ERROR", 400)
        assert [detail["field"] for detail in error["details"]] == [field], (path, params, error)


def test_a_cursor_keeps_its_filters(client) -> None:
    path, params = f"{COMPANY_PATH}/bank-transactions", {"status": "reconciled", "limit": 1}
    cursor = client.get(path, headers=AUTH, params=params).json()["nextCursor"]
    assert cursor
    assert client.get(path, headers=AUTH, params={**params, "cursor": cursor}).status_code == 200
    for other in ({"status": "unreviewed"}, {"status": None}, {"startDate": "2026-01-01"}):
        query = {k: v for k, v in {**params, **other, "cursor": cursor}.items() if v is not None}
        error = assert_error(client.get(path, headers=AUTH, params=query), "VALIDATION_ERROR", 400)
        assert error["details"][0]["field"] == "cursor"


def test_a_bank_action_moves_its_entrys_updated_at(client, sandbox_app) -> None:
    set_clock(sandbox_app, T0 + dt.timedelta(days=500))
    row = client.post("/api/v1/bank-transactions/btx_bp_feed_018/reclassify", headers=ORG,
                      json={"accountId": "acc_bp_travel"}).json()
    entry = client.get(f"/api/v1/entries/{row['journalEntryId']}", headers=ORG).json()
    assert entry["updatedAt"] == row["updatedAt"] == "2027-10-21T15:04:05Z"
    assert entry["postedAt"] < entry["updatedAt"]
    listed = walk(client, f"{COMPANY_PATH}/journal-entries", AUTH, {"updatedSince": "2027-10-21T15:04:05Z"})
    assert [e["id"] for e in listed] == [entry["id"]]
