"""Another firm's token sees nothing of ours (R5): every operation of the contract that
names a company answers 404 NOT_FOUND with no data, and leaves no trace (R9)."""
from __future__ import annotations

from tests.e2e.contract_walk import WalkedOperation, company_operations

OUR_TOKEN = {"Authorization": "Bearer mcp_at_sandbox_summit_firm_token"}
OTHER_FIRM = {"Authorization": "Bearer mcp_at_sandbox_northgate_firm_token"}
OUR_COMPANY, OUR_ORGANIZATION = "cmp_brightpixel", "org_brightpixel"
THEIR_ORGANIZATION = "org_cedarplumbing"
OUR_IDS = {"companyId": OUR_COMPANY, "accountId": "acc_bp_checking", "entryId": "je_bp_0001",
           "bankAccountId": "ba_bp_checking", "feedId": "feed_bp_firstbank"}
OPERATIONS = company_operations()


def our_ids(client) -> dict[str, str]:
    """Real ids of our company, so a 404 cannot come from an id that does not exist."""
    headers = {**OUR_TOKEN, "x-organization-id": OUR_ORGANIZATION}
    rows = client.get("/api/v1/bank-transactions", headers=headers, params={"limit": 1}).json()
    hook = client.post("/api/v1/webhooks", headers=headers,
                       json={"url": "https://hooks.example/ours", "events": ["journal_entry.posted"]}).json()
    return {**OUR_IDS, "bankTransactionId": rows["data"][0]["id"], "webhookId": hook["id"]}


def our_books(client) -> tuple:
    """What a refused request must not change: entries, bank rows, accounts, webhooks."""
    headers = {**OUR_TOKEN, "x-organization-id": OUR_ORGANIZATION}
    trial = client.get(f"/api/v1/companies/{OUR_COMPANY}/reports/trial-balance", headers=OUR_TOKEN)
    counts = [len(client.get(path, headers=headers, params={"limit": 200}).json()["data"])
              for path in ("/api/v1/entries", "/api/v1/accounts", "/api/v1/webhooks",
                           "/api/v1/bank-transactions", "/api/v1/bank-accounts")]
    return trial.json()["rows"], counts


def assert_not_found(response, operation: WalkedOperation) -> None:
    assert response.status_code == 404, (operation.operation_id, response.text)
    body = response.json()
    assert set(body) == {"error"}, operation.operation_id
    assert body["error"]["code"] == "NOT_FOUND" and body["error"]["retryable"] is False
    assert body["error"]["requestId"] == response.headers["x-request-id"]
    assert "Bright Pixel" not in response.text and "balanceCents" not in response.text


def test_the_walk_covers_every_company_route() -> None:
    walked = {operation.operation_id for operation in OPERATIONS}
    assert len(walked) == len(OPERATIONS) >= 50
    assert {"getCompany", "createCompanyPurchase", "reclassifyBankTransaction", "createWebhook",
            "getBankReconciliationStatus", "createSandboxInvoice"} <= walked


def test_another_firms_token_gets_404_on_every_company_route(client) -> None:
    ids, before = our_ids(client), our_books(client)
    for operation in OPERATIONS:
        kwargs = {} if operation.body is None else {"json": operation.body}
        response = client.request(operation.method, operation.path(ids), **kwargs,
                                  headers={**OTHER_FIRM, **operation.headers(OUR_ORGANIZATION)})
        assert_not_found(response, operation)
    assert our_books(client) == before


OUR_RESOURCES = [
    ("GET", "/api/v1/entries/je_bp_0001", None),
    ("POST", "/api/v1/entries/je_bp_0001/void", {}),
    ("GET", "/api/v1/accounts/acc_bp_checking", None),
    ("PATCH", "/api/v1/accounts/acc_bp_rent", {"name": "Taken"}),
    ("DELETE", "/api/v1/accounts/acc_bp_rent", None),
    ("GET", "/api/v1/bank-accounts/ba_bp_checking/transactions", None),
    ("POST", "/api/v1/bank-transactions/{btx}/exclude", {}),
    ("POST", "/api/v1/bank-transactions/{btx}/reconcile", {}),
]
OUR_SANDBOX_RESOURCES = [
    ("POST", "/api/v1/sandbox/bank-accounts/ba_bp_checking/sync"),
    ("POST", "/api/v1/sandbox/bank-feeds/feed_bp_firstbank/fail"),
    ("POST", "/api/v1/sandbox/webhooks/{webhook}/test"),
    ("GET", "/api/v1/sandbox/webhooks/{webhook}/deliveries"),
]


def test_our_resources_under_their_own_organization_are_404(client) -> None:
    ids, before = our_ids(client), our_books(client)
    for method, path, body in OUR_RESOURCES:
        path = path.replace("{btx}", ids["bankTransactionId"])
        kwargs = {} if body is None else {"json": body}
        response = client.request(method, path, **kwargs,
                                  headers={**OTHER_FIRM, "x-organization-id": THEIR_ORGANIZATION})
        assert_not_found(response, WalkedOperation(path, method, path, (), True, False, body))
    assert our_books(client) == before


def test_sandbox_controls_on_our_resources_are_404_to_them(client) -> None:
    webhook = client.post("/api/v1/webhooks", json={"url": "http://127.0.0.1:9/hook",
                                                   "events": ["webhook.test"]},
                          headers={**OUR_TOKEN, "x-organization-id": OUR_ORGANIZATION}).json()
    before = our_books(client)
    for method, path in OUR_SANDBOX_RESOURCES:
        path = path.replace("{webhook}", webhook["id"])
        kwargs = {"json": {}} if method == "POST" else {}
        response = client.request(method, path, headers=OTHER_FIRM, **kwargs)
        assert_not_found(response, WalkedOperation(path, method, path, (), False, False, None))
    assert our_books(client) == before
