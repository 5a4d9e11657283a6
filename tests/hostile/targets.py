"""What the hostile tests aim at, read from openapi.json: every operation that takes a JSON
body (with its example body and real ids of the default fixtures), and the books they must
leave unchanged."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from ledgerhq_contract import load_contract, operations, resolve_ref
from tests.e2e.contract_walk import example_body

TOKEN = {"Authorization": "Bearer mcp_at_sandbox_summit_firm_token"}
ORG = {**TOKEN, "x-organization-id": "org_brightpixel"}
COMPANY = "cmp_brightpixel"
IDS = {"companyId": COMPANY, "accountId": "acc_bp_office_supplies", "entryId": "je_bp_0001",
       "bankAccountId": "ba_bp_checking", "feedId": "feed_bp_firstbank",
       "bankTransactionId": "btx_bp_feed_020", "webhookId": "wh_unknown"}


@dataclass(frozen=True)
class Target:
    operation_id: str
    method: str
    path: str
    keyed: bool                 # takes an Idempotency-Key
    body: object                # the contract's example body ({} without one)
    statuses: frozenset[int]    # what the contract declares

    def headers(self, **more: str) -> dict[str, str]:
        headers = {**ORG, "Content-Type": "application/json", **more}
        if self.keyed:
            headers.setdefault("Idempotency-Key", f"hostile-{uuid.uuid4()}")
        return headers


def body_targets() -> list[Target]:
    spec = load_contract()
    found = []
    for method, template, operation in operations(spec):
        content = resolve_ref(spec, operation.get("requestBody", {})).get("content", {})
        if "application/json" not in content:
            continue
        parameters = [resolve_ref(spec, p) for p in operation.get("parameters", [])]
        path = template
        for name in (p["name"] for p in parameters if p["in"] == "path"):
            path = path.replace("{" + name + "}", IDS[name])
        keyed = any(p["in"] == "header" and p["name"].lower() == "idempotency-key" for p in parameters)
        statuses = frozenset(int(code) for code in operation["responses"] if code.isdigit())
        found.append(Target(operation["operationId"], method.upper(), path, keyed,
                            example_body(spec, operation) or {}, statuses))
    return found


def first_string_field(spec: dict, operation_id: str) -> str | None:
    """A top-level string property of the operation's JSON body with a maxLength."""
    for _, _, operation in operations(spec):
        if operation["operationId"] != operation_id:
            continue
        content = resolve_ref(spec, operation["requestBody"])["content"]
        schema = resolve_ref(spec, content["application/json"]["schema"])
        for name, field in schema.get("properties", {}).items():
            field = resolve_ref(spec, field)
            if field.get("type") == "string" and "maxLength" in field and "enum" not in field:
                return name
    return None


def books(client) -> tuple:
    """What an attack must not change: the trial balance and every list of the company;
    each of these reads must answer 200 (a stored lone surrogate made them 500)."""
    trial = client.get(f"/api/v1/companies/{COMPANY}/reports/trial-balance", headers=TOKEN)
    assert trial.status_code == 200, trial.text
    lists = []
    for path in ("/api/v1/entries", "/api/v1/accounts", "/api/v1/webhooks", "/api/v1/bank-transactions",
                 "/api/v1/bank-accounts", f"/api/v1/sandbox/companies/{COMPANY}/bills",
                 f"/api/v1/sandbox/companies/{COMPANY}/invoices", "/api/v1/companies"):
        response = client.get(path, headers=ORG, params={"limit": 200})
        assert response.status_code == 200, (path, response.text)
        lists.append(response.json()["data"])
    return trial.json()["rows"], lists


def assert_refused(response, status: int = 400, code: str = "VALIDATION_ERROR") -> dict:
    """A structured error of the contract (R4) with this status and code."""
    assert response.status_code == status, response.text[:500]
    error = response.json()["error"]
    assert error["code"] == code, error
    assert error["requestId"] == response.headers["x-request-id"]
    assert isinstance(error["message"], str) and error["message"]
    return error
