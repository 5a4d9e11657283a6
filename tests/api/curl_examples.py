"""The three curl examples of the published API reference, with only the host, token and
ids swapped for the sandbox's, and a reader of the curl options they use."""

from __future__ import annotations

import shlex
from dataclasses import dataclass

PURCHASE = """curl -X POST \\
-H "Authorization: Bearer mcp_at_your_token" \\
-H "Idempotency-Key: ledgerhq-purchase-1001" \\
-H "Content-Type: application/json" \\
-d '{
"date": "2026-06-08",
"sourceAccountId": "checking_gl_account_id",
"amountCents": 4299,
"categoryAccountId": "office_supplies_expense_id",
"description": "Office supplies",
"reference": "office-depot-1001"
}' \\
https://ledgerhq.pro/api/v1/companies/company_uuid/purchases"""

RECLASSIFY = """curl -X POST \\
-H "Authorization: Bearer mcp_at_your_token" \\
-H "x-organization-id: org_id" \\
-H "Content-Type: application/json" \\
-d '{ "accountId": "expense_account_id", "reason": "Category review" }' \\
https://ledgerhq.pro/api/v1/bank-transactions/bank_transaction_id/reclassify"""

PROFIT_AND_LOSS = """curl -H "Authorization: Bearer mcp_at_your_token" \\
"https://ledgerhq.pro/api/v1/companies/company_uuid/reports/profit-and-loss?startDate=2026-01-01&endDate=2026-06-30\""""

SANDBOX_VALUES = {
    "mcp_at_your_token": "mcp_at_sandbox_summit_firm_token",
    "checking_gl_account_id": "acc_bp_checking",
    "office_supplies_expense_id": "acc_bp_office_supplies",
    "expense_account_id": "acc_bp_office_supplies",
    "bank_transaction_id": "btx_bp_feed_018",
    "company_uuid": "cmp_brightpixel",
    "org_id": "org_brightpixel",
}


@dataclass(frozen=True)
class CurlCall:
    method: str
    url: str
    headers: dict[str, str]
    data: str | None


def sandbox_argv(example: str, base_url: str) -> list[str]:
    """The example as argv, pointed at `base_url` with the sandbox's token and ids."""
    text = example.replace("\\\n", " ").replace("https://ledgerhq.pro", base_url)   # shell line joins
    for placeholder, value in SANDBOX_VALUES.items():
        text = text.replace(placeholder, value)
    return shlex.split(text)


def read_curl(argv: list[str]) -> CurlCall:
    """Method, URL, headers and body of a curl command using -X, -H and -d only."""
    assert argv[0] == "curl"
    method, url, headers, data = None, None, {}, None
    options = iter(argv[1:])
    for option in options:
        if option == "-X":
            method = next(options)
        elif option == "-H":
            name, _, value = next(options).partition(":")
            headers[name.strip()] = value.strip()
        elif option == "-d":
            data = next(options)
        else:
            assert not option.startswith("-"), f"unexpected curl option {option}"
            url = option
    assert url is not None
    return CurlCall(method or ("POST" if data is not None else "GET"), url, headers, data)
