"""Posting routes behind Idempotency-Key: replay, refusal, scope (R2)."""

from __future__ import annotations

from tests.api.helpers import (
    AUTH, COMPANY_PATH, ORG, SISTER_COMPANY_ID, assert_error, balance_moves, balances_cents,
    books_snapshot, entry_ids, posting_headers)

POSTING_PATHS = [f"{COMPANY_PATH}/{route}" for route in
                 ("purchases", "deposits", "transfers", "bill-payments", "journal-entries")]


def test_missing_key_is_400_idempotency_key_required(client, purchase_body):
    before = books_snapshot(client)
    for path in POSTING_PATHS + ["/api/v1/purchases", "/api/v1/journal-entries"]:
        headers = AUTH if path.startswith(COMPANY_PATH) else ORG
        response = client.post(path, headers=headers, json=purchase_body)
        error = assert_error(response, "IDEMPOTENCY_KEY_REQUIRED", 400)
        assert error["details"][0]["field"] == "Idempotency-Key", path
    assert books_snapshot(client) == before


def test_malformed_keys_are_400_validation_error(client, post_purchase):
    before = books_snapshot(client)
    for key in ("", " ", "x" * 256, "has space", "tab\there", "caf\u00e9".encode(), b"a\x00b"):
        assert_error(post_purchase(key), "VALIDATION_ERROR", 400)
    assert books_snapshot(client) == before
    assert post_purchase("x" * 255).status_code == 201


def test_replay_returns_the_stored_result_and_posts_once(client, post_purchase):
    before, entries_before = balances_cents(client), entry_ids(client)
    first = post_purchase("replay-1")
    again = post_purchase("replay-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert (first.headers["idempotent-replayed"], again.headers["idempotent-replayed"]) == ("false", "true")
    assert again.headers["x-request-id"] != first.headers["x-request-id"]
    assert entry_ids(client) == [*entries_before, first.json()["journalEntryId"]]
    assert balance_moves(before, balances_cents(client)) == {"acc_bp_office_supplies": 4299,
                                                              "acc_bp_checking": -4299}


def test_legacy_and_company_path_forms_share_one_route(client, purchase_body):
    first = client.post(f"{COMPANY_PATH}/purchases", headers=posting_headers("shared-1"), json=purchase_body)
    again = client.post("/api/v1/purchases", headers=posting_headers("shared-1", legacy=True), json=purchase_body)
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"


def test_same_key_with_another_body_is_422_reused(client, post_purchase):
    assert post_purchase("reuse-1").status_code == 201
    before = books_snapshot(client)
    assert_error(post_purchase("reuse-1", amountCents=4300), "IDEMPOTENCY_KEY_REUSED", 422)
    assert_error(post_purchase("reuse-1", description="Another"), "IDEMPOTENCY_KEY_REUSED", 422)
    assert books_snapshot(client) == before


def test_same_key_on_another_route_is_422_reused(client, post_purchase):
    assert post_purchase("reuse-2").status_code == 201
    before = books_snapshot(client)
    deposit = {"date": "2026-06-12", "destinationAccountId": "acc_bp_checking",
               "categoryAccountId": "acc_bp_sales", "amountCents": 4299}
    response = client.post(f"{COMPANY_PATH}/deposits", headers=posting_headers("reuse-2"), json=deposit)
    assert_error(response, "IDEMPOTENCY_KEY_REUSED", 422)
    assert books_snapshot(client) == before


def test_keys_are_scoped_per_company(client, post_purchase):
    assert post_purchase("scoped-1").status_code == 201
    sister = {"date": "2026-06-08", "sourceAccountId": "acc_hc_checking",
              "categoryAccountId": "acc_hc_rent", "amountCents": 4299}
    response = client.post(f"/api/v1/companies/{SISTER_COMPANY_ID}/purchases",
                           headers=posting_headers("scoped-1"), json=sister)
    assert response.status_code == 201
    assert response.headers["idempotent-replayed"] == "false"


def test_a_refused_request_leaves_its_key_unused(client, post_purchase):
    assert_error(post_purchase("refused-1", categoryAccountId="acc_nope"), "UNPROCESSABLE", 422)
    assert_error(post_purchase("refused-1", amountCents=0), "VALIDATION_ERROR", 400)
    response = post_purchase("refused-1")
    assert response.status_code == 201
    assert response.headers["idempotent-replayed"] == "false"


def test_journal_entry_replay_keeps_its_status(client):
    body = {"date": "2026-07-31", "description": "Unbalanced",
            "lines": [{"accountId": "acc_bp_rent", "debitCents": 100},
                      {"accountId": "acc_bp_ap", "creditCents": 99}]}
    for _ in range(2):
        response = client.post(f"{COMPANY_PATH}/journal-entries", headers=posting_headers("je-1"), json=body)
        assert_error(response, "UNBALANCED_ENTRY", 422)
    body["lines"][1]["creditCents"] = 100
    response = client.post(f"{COMPANY_PATH}/journal-entries", headers=posting_headers("je-1"), json=body)
    assert response.status_code == 201
