"""One canned valid request per partner operation of the contract.

Bodies come from the contract's own request examples; path ids are fixture ids. Each row
is `operationId -> call(client) -> response`; rows that need a resource first make it.
"""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

from mock_server.contract import load_contract, operations
from tests.api.helpers import AUTH, COMPANY_PATH, ORG, REPORT_ALL_TIME, posting_headers

REDIRECT_URI = "http://127.0.0.1:8765/callback"
CODE_VERIFIER = "v" * 64


def example_body(operation_id: str) -> dict:
    for _, _, operation in operations(load_contract()):
        if operation["operationId"] == operation_id:
            return dict(operation["requestBody"]["content"]["application/json"]["example"])
    raise KeyError(operation_id)


def partner_operation_ids() -> list[str]:
    return [op["operationId"] for _, _, op in operations(load_contract()) if op["tags"][0] != "sandbox"]


def success_statuses(operation_id: str) -> frozenset[int]:
    """The 2xx/3xx statuses the contract declares for the operation."""
    for _, _, operation in operations(load_contract()):
        if operation["operationId"] == operation_id:
            return frozenset(int(code) for code in operation["responses"] if code.startswith(("2", "3")))
    raise KeyError(operation_id)


def _get(path: str, headers: dict = AUTH, **params):
    return lambda client: client.get(path, headers=headers, params=params)


def _post(path: str, operation_id: str, headers: dict = ORG):
    return lambda client: client.post(path, headers=headers, json=example_body(operation_id))


def _posting(path: str, operation_id: str, legacy: bool):
    return lambda client: client.post(path, headers=posting_headers(legacy=legacy),
                                      json=example_body(operation_id))


def _authorize(client):
    challenge = base64.urlsafe_b64encode(hashlib.sha256(CODE_VERIFIER.encode()).digest())
    return client.get("/api/oauth/authorize", follow_redirects=False, params={
        "response_type": "code", "client_id": "lhq_client_sandbox", "redirect_uri": REDIRECT_URI,
        "state": "st-1", "code_challenge": challenge.rstrip(b"=").decode(),
        "code_challenge_method": "S256"})


def _exchange_token(client):
    location = _authorize(client).headers["location"]
    code = parse_qs(urlsplit(location).query)["code"][0]
    return client.post("/api/oauth/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI,
        "client_id": "lhq_client_sandbox", "code_verifier": CODE_VERIFIER})


def _delete_new_webhook(client):
    made = client.post("/api/v1/webhooks", headers=ORG, json=example_body("createWebhook"))
    return client.delete(f"/api/v1/webhooks/{made.json()['id']}", headers=ORG)


def _delete_new_account(client):
    made = client.post("/api/v1/accounts", headers=ORG, json=example_body("createAccount"))
    return client.delete(f"/api/v1/accounts/{made.json()['id']}", headers=ORG)


def _post_new_draft(client):
    made = client.post("/api/v1/entries", headers=ORG, json=example_body("createEntry"))
    return client.post(f"/api/v1/entries/{made.json()['id']}/post", headers=ORG, json={})


def _void_new_entry(client):
    made = client.post("/api/v1/journal-entries", headers=posting_headers(legacy=True),
                       json=example_body("createJournalEntry"))
    return client.post(f"/api/v1/entries/{made.json()['journalEntryId']}/void", headers=ORG, json={})


def _match_open_invoice(client):
    invoice = {"number": "BP-9001", "contactName": "Zelle payer", "date": "2026-11-01",
               "dueDate": "2026-11-30", "totalCents": 64000, "accountId": "acc_bp_sales"}
    made = client.post(f"/api/v1/sandbox/companies/{COMPANY_PATH.rsplit('/', 1)[1]}/invoices",
                       headers=AUTH, json=invoice)
    return client.post("/api/v1/bank-transactions/btx_bp_feed_019/match", headers=ORG,
                       json={"documentType": "invoice", "documentId": made.json()["id"]})


def _split_over_invoices(client):
    ids = []
    for number, cents in (("BP-9002", 40000), ("BP-9003", 24000)):
        made = client.post("/api/v1/sandbox/companies/cmp_brightpixel/invoices", headers=AUTH, json={
            "number": number, "contactName": "J. Rivera", "date": "2026-11-01",
            "dueDate": "2026-11-30", "totalCents": cents, "accountId": "acc_bp_sales"})
        ids.append((made.json()["id"], cents))
    allocations = [{"documentType": "invoice", "documentId": i, "amountCents": c} for i, c in ids]
    return client.post("/api/v1/bank-transactions/btx_bp_feed_019/split", headers=ORG,
                       json={"allocations": allocations})


def _btx(action: str, transaction_id: str, body: dict):
    return lambda client: client.post(f"/api/v1/bank-transactions/{transaction_id}/{action}",
                                      headers=ORG, json=body)


CANNED_REQUESTS = {
    "getHealth": _get("/api/health", headers={}),
    "authorizeOAuth": _authorize,
    "exchangeOAuthToken": _exchange_token,
    "getOAuthAuthorizationServerMetadata": _get("/.well-known/oauth-authorization-server", {}),
    "listOrganizations": _get("/api/v1/organizations"),
    "listCompanies": _get("/api/v1/companies"),
    "getCompany": _get(COMPANY_PATH),
    "listCompanyAccounts": _get(f"{COMPANY_PATH}/accounts"),
    "listCompanyJournalEntries": _get(f"{COMPANY_PATH}/journal-entries"),
    "createCompanyJournalEntry": _posting(f"{COMPANY_PATH}/journal-entries", "createCompanyJournalEntry", False),
    "listCompanyJournalLines": _get(f"{COMPANY_PATH}/journal-lines"),
    "listCompanyBankAccounts": _get(f"{COMPANY_PATH}/bank-accounts"),
    "listCompanyBankTransactions": _get(f"{COMPANY_PATH}/bank-transactions"),
    "listCompanyReconciliations": _get(f"{COMPANY_PATH}/reconciliations"),
    "getCompanyProfitAndLoss": _get(f"{COMPANY_PATH}/reports/profit-and-loss", **REPORT_ALL_TIME),
    "getCompanyBalanceSheet": _get(f"{COMPANY_PATH}/reports/balance-sheet", asOf="2026-06-30"),
    "getCompanyTrialBalance": _get(f"{COMPANY_PATH}/reports/trial-balance", asOf="2026-06-30"),
    "getCompanyGeneralLedger": _get(f"{COMPANY_PATH}/reports/general-ledger", **REPORT_ALL_TIME),
    "listAccounts": _get("/api/v1/accounts", ORG),
    "createAccount": _post("/api/v1/accounts", "createAccount"),
    "getAccount": _get("/api/v1/accounts/acc_bp_checking", ORG),
    "deleteAccount": _delete_new_account,
    "updateAccount": lambda client: client.patch("/api/v1/accounts/acc_bp_office_supplies", headers=ORG,
                                                 json=example_body("updateAccount")),
    "listEntries": _get("/api/v1/entries", ORG),
    "createEntry": _post("/api/v1/entries", "createEntry"),
    "getEntry": _get("/api/v1/entries/je_bp_0001", ORG),
    "postEntry": _post_new_draft,
    "voidEntry": _void_new_entry,
    "createPurchase": _posting("/api/v1/purchases", "createPurchase", True),
    "createCompanyPurchase": _posting(f"{COMPANY_PATH}/purchases", "createCompanyPurchase", False),
    "createDeposit": _posting("/api/v1/deposits", "createDeposit", True),
    "createCompanyDeposit": _posting(f"{COMPANY_PATH}/deposits", "createCompanyDeposit", False),
    "createTransfer": _posting("/api/v1/transfers", "createTransfer", True),
    "createCompanyTransfer": _posting(f"{COMPANY_PATH}/transfers", "createCompanyTransfer", False),
    "createBillPayment": _posting("/api/v1/bill-payments", "createBillPayment", True),
    "createCompanyBillPayment": _posting(f"{COMPANY_PATH}/bill-payments", "createCompanyBillPayment", False),
    "createJournalEntry": _posting("/api/v1/journal-entries", "createJournalEntry", True),
    "listBankAccounts": _get("/api/v1/bank-accounts", ORG),
    "createBankAccount": _post("/api/v1/bank-accounts", "createBankAccount"),
    "listBankAccountTransactions": _get("/api/v1/bank-accounts/ba_bp_checking/transactions", ORG),
    "listBankTransactions": _get("/api/v1/bank-transactions", ORG),
    "listBankFeeds": _get("/api/v1/bank-feeds", ORG),
    "getBankFeedHealth": _get("/api/v1/bank-feeds/health", ORG),
    "reclassifyBankTransaction": _btx("reclassify", "btx_bp_feed_018", example_body("reclassifyBankTransaction")),
    "matchBankTransaction": _match_open_invoice,
    "splitBankTransaction": _split_over_invoices,
    "reconcileBankTransaction": _btx("reconcile", "btx_bp_feed_016", {"statementDate": "2026-10-31"}),
    "excludeBankTransaction": _btx("exclude", "btx_bp_feed_021", example_body("excludeBankTransaction")),
    "getFinancialPacket": _get("/api/v1/reports/financial-packet", ORG, **REPORT_ALL_TIME),
    "getTrialBalance": _get("/api/v1/reports/trial-balance", ORG, asOf="2026-06-30"),
    "getBalanceSheet": _get("/api/v1/reports/balance-sheet", ORG, asOf="2026-06-30"),
    "getProfitAndLoss": _get("/api/v1/reports/profit-and-loss", ORG, **REPORT_ALL_TIME),
    "getGeneralLedger": _get("/api/v1/reports/general-ledger", ORG, accountId="acc_bp_rent", **REPORT_ALL_TIME),
    "getBankReconciliationStatus": _get("/api/v1/reports/bank-reconciliation-status", ORG, asOf="2026-11-30"),
    "listWebhooks": _get("/api/v1/webhooks", ORG),
    "createWebhook": _post("/api/v1/webhooks", "createWebhook"),
    "deleteWebhook": _delete_new_webhook,
    "getOpenapiDocument": _get("/api/openapi.json", {}),
    "getApiDocs": _get("/api/docs", {}),
}
