"""Checks of the contract itself (openapi.json), independent of any implementation.

The route table below is typed from the published API reference on purpose: the contract must
cover every route of it, with the path parameter names the contract uses.
"""
from __future__ import annotations

import copy
import json
import re

import pytest
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from openapi_spec_validator import validate as validate_spec

from ledgerhq_contract import CONTRACT_PATH, HTTP_METHODS, inline_refs, resolve_ref
from mock_server.ledger import POSTING_KINDS

SPEC_PATH = CONTRACT_PATH
METHODS = HTTP_METHODS

# (method, path, first tag): every row of the reference's tables, plus OAuth and RFC 8414 metadata.
REFERENCE_ROUTES = [
    # Health (1)
    ("get", "/api/health", "health"),
    # Organizations (1)
    ("get", "/api/v1/organizations", "organizations"),
    # Partner Companies (12)
    ("get", "/api/v1/companies", "companies"),
    ("get", "/api/v1/companies/{companyId}", "companies"),
    ("get", "/api/v1/companies/{companyId}/accounts", "companies"),
    ("get", "/api/v1/companies/{companyId}/journal-entries", "companies"),
    ("get", "/api/v1/companies/{companyId}/journal-lines", "companies"),
    ("get", "/api/v1/companies/{companyId}/bank-accounts", "companies"),
    ("get", "/api/v1/companies/{companyId}/bank-transactions", "companies"),
    ("get", "/api/v1/companies/{companyId}/reconciliations", "companies"),
    ("get", "/api/v1/companies/{companyId}/reports/profit-and-loss", "companies"),
    ("get", "/api/v1/companies/{companyId}/reports/balance-sheet", "companies"),
    ("get", "/api/v1/companies/{companyId}/reports/trial-balance", "companies"),
    ("get", "/api/v1/companies/{companyId}/reports/general-ledger", "companies"),
    # Accounts (5)
    ("get", "/api/v1/accounts", "accounts"),
    ("post", "/api/v1/accounts", "accounts"),
    ("get", "/api/v1/accounts/{accountId}", "accounts"),
    ("patch", "/api/v1/accounts/{accountId}", "accounts"),
    ("delete", "/api/v1/accounts/{accountId}", "accounts"),
    # Journal Entries (5)
    ("get", "/api/v1/entries", "entries"),
    ("post", "/api/v1/entries", "entries"),
    ("get", "/api/v1/entries/{entryId}", "entries"),
    ("post", "/api/v1/entries/{entryId}/post", "entries"),
    ("post", "/api/v1/entries/{entryId}/void", "entries"),
    # Posting Resources, legacy (5)
    ("post", "/api/v1/purchases", "postings"),
    ("post", "/api/v1/deposits", "postings"),
    ("post", "/api/v1/transfers", "postings"),
    ("post", "/api/v1/bill-payments", "postings"),
    ("post", "/api/v1/journal-entries", "postings"),
    # Posting Resources, company path (5)
    ("post", "/api/v1/companies/{companyId}/purchases", "postings"),
    ("post", "/api/v1/companies/{companyId}/deposits", "postings"),
    ("post", "/api/v1/companies/{companyId}/transfers", "postings"),
    ("post", "/api/v1/companies/{companyId}/bill-payments", "postings"),
    ("post", "/api/v1/companies/{companyId}/journal-entries", "postings"),
    # Bank Activity (6)
    ("get", "/api/v1/bank-accounts", "bank"),
    ("post", "/api/v1/bank-accounts", "bank"),
    ("get", "/api/v1/bank-accounts/{bankAccountId}/transactions", "bank"),
    ("get", "/api/v1/bank-transactions", "bank"),
    ("get", "/api/v1/bank-feeds", "bank"),
    ("get", "/api/v1/bank-feeds/health", "bank"),
    # Bank Transaction Actions (5)
    ("post", "/api/v1/bank-transactions/{bankTransactionId}/reclassify", "bankActions"),
    ("post", "/api/v1/bank-transactions/{bankTransactionId}/match", "bankActions"),
    ("post", "/api/v1/bank-transactions/{bankTransactionId}/split", "bankActions"),
    ("post", "/api/v1/bank-transactions/{bankTransactionId}/reconcile", "bankActions"),
    ("post", "/api/v1/bank-transactions/{bankTransactionId}/exclude", "bankActions"),
    # Reports (6)
    ("get", "/api/v1/reports/financial-packet", "reports"),
    ("get", "/api/v1/reports/trial-balance", "reports"),
    ("get", "/api/v1/reports/balance-sheet", "reports"),
    ("get", "/api/v1/reports/profit-and-loss", "reports"),
    ("get", "/api/v1/reports/general-ledger", "reports"),
    ("get", "/api/v1/reports/bank-reconciliation-status", "reports"),
    # Webhooks (2)
    ("get", "/api/v1/webhooks", "webhooks"),
    ("post", "/api/v1/webhooks", "webhooks"),
    # OAuth (3)
    ("get", "/api/oauth/authorize", "oauth"),
    ("post", "/api/oauth/token", "oauth"),
    ("get", "/.well-known/oauth-authorization-server", "oauth"),
]

# Beyond the reference's tables: the contract document the reference says the service serves, and routes
# the reference lacks, each marked "Addition to the API reference" in its description.
SERVED_CONTRACT_ROUTE = ("get", "/api/openapi.json", "health")
ADDITION_ROUTES = [("delete", "/api/v1/webhooks/{webhookId}", "webhooks"), ("get", "/api/docs", "health")]

SANDBOX_ROUTES = [
    ("post", "/api/v1/sandbox/reset"),
    ("post", "/api/v1/sandbox/fixtures"),
    ("post", "/api/v1/sandbox/bank-accounts/{bankAccountId}/sync"),
    ("post", "/api/v1/sandbox/bank-feeds/{feedId}/fail"),
    ("post", "/api/v1/sandbox/webhooks/{webhookId}/test"),
    ("get", "/api/v1/sandbox/webhooks/{webhookId}/deliveries"),
    ("get", "/api/v1/sandbox/faults"),
    ("put", "/api/v1/sandbox/faults"),
    ("delete", "/api/v1/sandbox/faults"),
    ("get", "/api/v1/sandbox/companies/{companyId}/bills"),
    ("post", "/api/v1/sandbox/companies/{companyId}/bills"),
    ("get", "/api/v1/sandbox/companies/{companyId}/invoices"),
    ("post", "/api/v1/sandbox/companies/{companyId}/invoices"),
    ("post", "/api/v1/sandbox/companies/{companyId}/events"),
    ("get", "/api/v1/sandbox/clock"),
    ("put", "/api/v1/sandbox/clock"),
    ("post", "/api/v1/sandbox/session"),
]

OPERATION_IDS = """
getHealth listOrganizations listCompanies getCompany listCompanyAccounts listCompanyJournalEntries
listCompanyJournalLines listCompanyBankAccounts listCompanyBankTransactions listCompanyReconciliations
getCompanyProfitAndLoss getCompanyBalanceSheet getCompanyTrialBalance getCompanyGeneralLedger listAccounts
createAccount getAccount updateAccount deleteAccount listEntries createEntry getEntry postEntry voidEntry
createPurchase createDeposit createTransfer createBillPayment createJournalEntry createCompanyPurchase
createCompanyDeposit createCompanyTransfer createCompanyBillPayment createCompanyJournalEntry listBankAccounts
createBankAccount listBankAccountTransactions listBankTransactions listBankFeeds getBankFeedHealth
reclassifyBankTransaction matchBankTransaction splitBankTransaction reconcileBankTransaction
excludeBankTransaction getFinancialPacket getTrialBalance getBalanceSheet getProfitAndLoss getGeneralLedger
getBankReconciliationStatus listWebhooks createWebhook deleteWebhook getOpenapiDocument getApiDocs authorizeOAuth exchangeOAuthToken
getOAuthAuthorizationServerMetadata resetSandbox loadSandboxFixtures syncSandboxBankAccount
failSandboxBankFeed sendSandboxWebhookTest listSandboxWebhookDeliveries getSandboxFaults setSandboxFaults
clearSandboxFaults listSandboxBills createSandboxBill listSandboxInvoices createSandboxInvoice
createSandboxSession getSandboxClock setSandboxClock triggerSandboxEvent
""".split()

# operationId -> posting kind (the idempotency "route"), from the one table of posting kinds.
POSTING_OPS = {
    f"create{prefix}{''.join(part.title() for part in kind.name.split('_'))}": kind.name
    for kind in POSTING_KINDS for prefix in ("", "Company")
}
POSTING_STATUSES = {"201", "400", "401", "404", "409", "413", "415", "422", "429", "500"}

# Routes that take the company from `x-organization-id`.
LEGACY_ORG_TAGS = {"accounts", "entries", "postings", "bank", "bankActions", "reports", "webhooks"}

ERROR_CODES = {
    "VALIDATION_ERROR": (400, False),
    "IDEMPOTENCY_KEY_REQUIRED": (400, False),
    "UNAUTHORIZED": (401, False),
    "FORBIDDEN": (403, False),
    "NOT_FOUND": (404, False),
    "METHOD_NOT_ALLOWED": (405, False),
    "INVALID_STATE": (409, False),
    "ACCOUNT_IN_USE": (409, False),
    "IDEMPOTENCY_KEY_IN_USE": (409, True),
    "PAYLOAD_TOO_LARGE": (413, False),
    "UNSUPPORTED_MEDIA_TYPE": (415, False),
    "IDEMPOTENCY_KEY_REUSED": (422, False),
    "UNBALANCED_ENTRY": (422, False),
    "UNPROCESSABLE": (422, False),
    "RATE_LIMITED": (429, True),
    "INTERNAL_ERROR": (500, True),
    "SERVICE_UNAVAILABLE": (503, True),
}

REPORT_SCHEMAS = ["TrialBalance", "BalanceSheet", "ProfitAndLoss", "GeneralLedger", "BankReconciliationStatus", "FinancialPacket"]
PATH_PARAM_SCHEMA = {"type": "string", "minLength": 1, "maxLength": 100, "pattern": "^[A-Za-z0-9_-]+$"}


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def spec() -> dict:
    with SPEC_PATH.open(encoding="utf-8") as fh:
        return json.load(fh)


deref = resolve_ref
inline = inline_refs


def operations(spec: dict):
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                yield method, path, item[method], item.get("parameters", [])


def op_by_id(spec: dict) -> dict:
    return {op["operationId"]: (method, path, op) for method, path, op, _ in operations(spec)}


def params_of(spec: dict, op: dict, path_level=()) -> list[dict]:
    return [deref(spec, p) for p in list(path_level) + list(op.get("parameters", []))]


def responses_of(spec: dict, op: dict) -> dict:
    return {status: deref(spec, resp) for status, resp in op["responses"].items()}


def effective_types(schema: dict) -> set:
    """Types a (resolved) schema can have, looking through allOf."""
    types = set()
    if "type" in schema:
        types.add(schema["type"])
    for sub in schema.get("allOf", []):
        types |= effective_types(sub)
    return types


def walk_schemas(node, path="#"):
    """Yield (location, schema) for every schema-looking dict with properties."""
    if isinstance(node, dict):
        if isinstance(node.get("properties"), dict):
            yield path, node
        for key, value in node.items():
            yield from walk_schemas(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk_schemas(value, f"{path}/{i}")


def is_company_path(path: str) -> bool:
    return path.startswith("/api/v1/companies/{companyId}")


# ---------------------------------------------------------------------------
# tests
# ---------------------------------------------------------------------------
def test_document_validates(spec):
    assert spec["openapi"] == "3.0.3"
    validate_spec(spec)


def test_servers(spec):
    assert spec["servers"] == [
        {"url": "http://127.0.0.1:8080", "description": "sandbox"},
        {"url": "https://ledgerhq.pro", "description": "production"},
    ]


def test_every_reference_route_is_present_with_its_tag(spec):
    assert len(REFERENCE_ROUTES) == 56
    assert len(set((m, p) for m, p, _ in REFERENCE_ROUTES)) == 56
    missing, wrong_tag = [], []
    for method, path, tag in REFERENCE_ROUTES:
        op = spec["paths"].get(path, {}).get(method)
        if op is None:
            missing.append(f"{method.upper()} {path}")
        elif op.get("tags", [None])[0] != tag:
            wrong_tag.append(f"{method.upper()} {path}: {op.get('tags')} != {tag}")
    assert not missing, missing
    assert not wrong_tag, wrong_tag


def test_sandbox_routes_are_present_and_tagged(spec):
    assert SANDBOX_ROUTES
    for method, path in SANDBOX_ROUTES:
        op = spec["paths"].get(path, {}).get(method)
        assert op is not None, f"{method.upper()} {path} missing"
        assert op["tags"] == ["sandbox"], path
    sandbox_ops = {(m, p) for m, p, op, _ in operations(spec) if op["tags"][0] == "sandbox"}
    assert sandbox_ops == set(SANDBOX_ROUTES)


def test_no_route_outside_reference_and_sandbox(spec):
    declared = {(m, p) for m, p, _, _ in operations(spec)}
    beyond = [SERVED_CONTRACT_ROUTE] + ADDITION_ROUTES
    expected = {(m, p) for m, p, _ in REFERENCE_ROUTES + beyond} | set(SANDBOX_ROUTES)
    assert declared == expected, sorted(declared ^ expected)


def test_additions_to_the_reference_say_so(spec):
    for method, path, tag in ADDITION_ROUTES + [SERVED_CONTRACT_ROUTE]:
        operation = spec["paths"][path][method]
        assert operation["tags"][0] == tag
    for method, path, _ in ADDITION_ROUTES:
        assert spec["paths"][path][method]["description"].startswith("Addition to the API reference")


def test_operation_ids_are_the_agreed_unique_camel_case_names(spec):
    ids = [op.get("operationId") for _, _, op, _ in operations(spec)]
    assert ids
    assert len(ids) == len(set(ids)), "duplicate operationId"
    bad = [i for i in ids if not i or not re.fullmatch(r"[a-z][a-zA-Z0-9]*", i)]
    assert not bad, bad
    assert sorted(ids) == sorted(OPERATION_IDS)


def test_tags_are_known_and_described(spec):
    tags = {t["name"]: t for t in spec["tags"]}
    assert set(tags) == {"health", "organizations", "companies", "accounts", "entries", "postings", "bank",
                         "bankActions", "reports", "webhooks", "oauth", "sandbox"}
    for tag in tags.values():
        assert tag.get("description", "").strip(), tag["name"]
    assert "Prefer" in tags["sandbox"]["description"]
    for _, path, op, _ in operations(spec):
        assert op.get("tags") and op["tags"][0] in tags, path
        assert op.get("summary") and op.get("description"), op["operationId"]


def test_security_schemes_and_public_routes(spec):
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearerAuth"]["type"] == "http" and schemes["bearerAuth"]["scheme"] == "bearer"
    assert "mcp_at_" in schemes["bearerAuth"]["description"] and "dk_live_" in schemes["bearerAuth"]["description"]
    assert schemes["sessionCookie"] == {**schemes["sessionCookie"], "type": "apiKey", "in": "cookie", "name": "ledgerhq_session"}
    flow = schemes["oauth2"]["flows"]["authorizationCode"]
    assert flow["authorizationUrl"] == "/api/oauth/authorize" and flow["tokenUrl"] == "/api/oauth/token"
    assert "accounting" in flow["scopes"] and "S256" in schemes["oauth2"]["description"]
    assert spec["security"] == [{"bearerAuth": []}, {"sessionCookie": []}]
    public = {op["operationId"] for _, _, op, _ in operations(spec) if op.get("security") == []}
    assert public == {"getHealth", "getOpenapiDocument", "getApiDocs", "authorizeOAuth", "exchangeOAuthToken", "getOAuthAuthorizationServerMetadata",
                      "createSandboxSession"}


def test_authenticated_operations_declare_401_429_500(spec):
    checked = 0
    for _, path, op, _ in operations(spec):
        if op.get("security") == []:
            continue
        checked += 1
        for status in ("401", "429", "500"):
            assert status in op["responses"], f"{op['operationId']} lacks {status}"
        if op["tags"][0] != "sandbox":
            assert "400" in op["responses"], op["operationId"]
            if "{" in path:
                assert "404" in op["responses"], op["operationId"]
        if "requestBody" in op:
            for status in ("413", "415"):
                assert status in op["responses"], f"{op['operationId']} lacks {status}"
    assert checked > 50


def test_oauth_token_endpoint_is_rfc6749(spec):
    _, _, op = op_by_id(spec)["exchangeOAuthToken"]
    content = op["requestBody"]["content"]
    assert list(content) == ["application/x-www-form-urlencoded"]
    props = deref(spec, content["application/x-www-form-urlencoded"]["schema"])["properties"]
    assert {"grant_type", "code", "redirect_uri", "client_id", "code_verifier", "refresh_token"} <= set(props)
    err = inline(spec, responses_of(spec, op)["400"]["content"]["application/json"]["schema"])
    assert "invalid_grant" in err["properties"]["error"]["enum"]
    assert "error_description" in err["properties"]
    token = deref(spec, responses_of(spec, op)["200"]["content"]["application/json"]["schema"])
    assert {"access_token", "token_type", "expires_in", "refresh_token"} <= set(token["required"])


def test_path_parameters_share_one_schema(spec):
    seen = 0
    for _, path, op, path_params in operations(spec):
        names = set(re.findall(r"{([^}]+)}", path))
        declared = {p["name"]: p for p in params_of(spec, op, path_params) if p["in"] == "path"}
        assert set(declared) == names, path
        for param in declared.values():
            seen += 1
            assert param["required"] is True
            assert param["schema"] == PATH_PARAM_SCHEMA, (path, param["name"])
    assert seen > 30


def test_money_properties_are_integers(spec):
    cents = []
    for location, schema in walk_schemas({"components": spec["components"], "paths": spec["paths"]}):
        for name, prop in schema["properties"].items():
            if name.endswith("Cents"):
                resolved = inline(spec, prop)
                types = effective_types(resolved)
                assert types == {"integer"}, f"{location}/properties/{name}: {types}"
                cents.append(f"{location}/{name}")
    assert len(cents) > 40
    amount = spec["components"]["schemas"]["AmountCents"]
    assert amount == {**amount, "type": "integer", "format": "int64", "minimum": 1, "maximum": 1_000_000_000_000}
    money = spec["components"]["schemas"]["MoneyCents"]
    assert money["type"] == "integer" and money["format"] == "int64"


def test_no_floating_point_numbers_anywhere(spec):
    text = json.dumps(spec)
    assert '"type": "integer"' in text
    assert '"type": "number"' not in text


def test_request_bodies_are_closed_and_never_name_a_currency(spec):
    open_by_design = {"loadSandboxFixtures", "exchangeOAuthToken"}  # fixture format / RFC 6749 ignores unknown params
    checked = 0
    for _, _, op, _ in operations(spec):
        body = deref(spec, op.get("requestBody"))
        if not body:
            continue
        for media, content in body["content"].items():
            schema = inline(spec, content["schema"])
            assert "currency" not in schema.get("properties", {}), op["operationId"]
            if op["operationId"] in open_by_design:
                continue
            checked += 1
            assert schema.get("additionalProperties") is False, f"{op['operationId']} {media}"
    assert checked > 25


def test_posting_operations(spec):
    by_id = op_by_id(spec)
    with_key = set()
    for _, _, op, path_params in operations(spec):
        names = {p["name"] for p in params_of(spec, op, path_params)}
        if "Idempotency-Key" in names:
            with_key.add(op["operationId"])
    assert with_key == set(POSTING_OPS)
    for op_id, kind in POSTING_OPS.items():
        method, path, op = by_id[op_id]
        assert method == "post" and op["tags"] == ["postings"]
        key = next(p for p in params_of(spec, op) if p["name"] == "Idempotency-Key")
        assert key["in"] == "header" and key["required"] is True
        assert key["schema"] == {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7E]+$"}
        responses = responses_of(spec, op)
        assert POSTING_STATUSES <= set(responses), (op_id, POSTING_STATUSES - set(responses))
        created = responses["201"]
        assert created["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/PostingReceipt"}
        replayed = deref(spec, created["headers"]["Idempotent-Replayed"])
        assert replayed["schema"]["enum"] == ["true", "false"]
        for status, resp in responses.items():
            if status.startswith(("4", "5")):
                assert resp["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}, (op_id, status)
        codes = {deref(spec, ex)["value"]["error"]["code"]
                 for status in ("400", "409", "422")
                 for ex in responses[status]["content"]["application/json"]["examples"].values()}
        assert {"VALIDATION_ERROR", "IDEMPOTENCY_KEY_REQUIRED", "IDEMPOTENCY_KEY_IN_USE", "IDEMPOTENCY_KEY_REUSED",
                "UNBALANCED_ENTRY", "UNPROCESSABLE"} <= codes
        assert op["x-idempotency"] == {"scope": ["companyId", "Idempotency-Key"], "route": kind, "ttlSeconds": 86400}
        for word in ("Idempotent-Replayed", "IDEMPOTENCY_KEY_REUSED", "IDEMPOTENCY_KEY_IN_USE", "24 hours"):
            assert word in op["description"], (op_id, word)


def test_error_shapes(spec):
    err = spec["components"]["schemas"]["Error"]
    info = inline(spec, err["properties"]["error"])
    assert err["required"] == ["error"]
    assert set(info["required"]) == {"code", "message", "retryable", "requestId"}
    assert info["properties"]["requestId"]["pattern"] == "^req_"
    assert info["properties"]["retryable"]["type"] == "boolean"
    assert set(info["properties"]["details"]["items"]["required"]) == {"field", "issue"}
    assert sorted(info["properties"]["code"]["enum"]) == sorted(ERROR_CODES)
    table = spec["components"]["schemas"]["ErrorCode"]["x-error-codes"]
    assert {c: (v["status"], v["retryable"]) for c, v in table.items()} == ERROR_CODES
    legacy = spec["components"]["schemas"]["LegacyError"]
    assert legacy["properties"]["error"]["type"] == "string" and legacy["required"] == ["error"]

    legacy_ref = {"$ref": "#/components/schemas/LegacyError"}
    checked_legacy = checked_strict = 0
    for _, path, op, _ in operations(spec):
        tag = op["tags"][0]
        for status, resp in responses_of(spec, op).items():
            if not status.startswith(("4", "5")):
                continue
            content = resp.get("content")
            assert content and list(content) == ["application/json"], (op["operationId"], status)
            schema = content["application/json"]["schema"]
            allows_legacy = legacy_ref in schema.get("oneOf", [])
            if tag in ("postings", "companies", "sandbox", "health") or is_company_path(path):
                assert not allows_legacy, (op["operationId"], status)
                checked_strict += 1
            elif tag in LEGACY_ORG_TAGS | {"organizations"}:
                assert schema == {"oneOf": [{"$ref": "#/components/schemas/Error"}, legacy_ref]}, (op["operationId"], status)
                checked_legacy += 1
    assert checked_legacy > 100 and checked_strict > 100


def test_every_response_declares_request_id(spec):
    count = 0
    for _, _, op, _ in operations(spec):
        for status, resp in responses_of(spec, op).items():
            count += 1
            headers = resp.get("headers", {})
            assert "X-Request-Id" in headers, (op["operationId"], status)
            header = deref(spec, headers["X-Request-Id"])
            assert header["required"] is True and header["schema"]["pattern"] == "^req_"
            if status == "401":
                assert "WWW-Authenticate" in headers, op["operationId"]
    assert count > 500


def test_legacy_routes_take_the_organization_header(spec):
    legacy = [(p, op) for _, p, op, _ in operations(spec)
              if op["tags"][0] in LEGACY_ORG_TAGS and not is_company_path(p)]
    assert len(legacy) == 35
    for path, op in legacy:
        header = [p for p in params_of(spec, op) if p["name"] == "x-organization-id"]
        assert len(header) == 1, op["operationId"]
        assert header[0]["in"] == "header" and header[0]["required"] is False
    others = [(p, op) for _, p, op, _ in operations(spec) if (p, op) not in legacy]
    assert others
    for path, op in others:
        assert "x-organization-id" not in {p["name"] for p in params_of(spec, op)}, op["operationId"]


def test_list_routes_paginate_with_an_envelope(spec):
    lists = [(p, op) for _, p, op, _ in operations(spec) if op["operationId"].startswith("list")]
    assert {op["operationId"] for _, op in lists} == {
        "listOrganizations", "listCompanies", "listCompanyAccounts", "listCompanyJournalEntries",
        "listCompanyJournalLines", "listCompanyBankAccounts", "listCompanyBankTransactions",
        "listCompanyReconciliations", "listAccounts", "listEntries", "listBankAccounts",
        "listBankAccountTransactions", "listBankTransactions", "listBankFeeds", "listWebhooks",
        "listSandboxWebhookDeliveries", "listSandboxBills", "listSandboxInvoices",
    }
    for path, op in lists:
        params = {p["name"]: p for p in params_of(spec, op)}
        assert params["limit"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}, path
        assert params["cursor"]["schema"]["type"] == "string" and params["cursor"]["schema"]["maxLength"] == 512
        ref = responses_of(spec, op)["200"]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith("List"), ref
        envelope = inline(spec, {"$ref": ref})
        assert set(envelope["required"]) == {"data", "nextCursor"}
        assert envelope["properties"]["data"]["type"] == "array"
        assert envelope["properties"]["nextCursor"] == {**envelope["properties"]["nextCursor"], "type": "string", "nullable": True}


def test_report_routes_and_invariants(spec):
    schemas = spec["components"]["schemas"]
    for name in REPORT_SCHEMAS:
        inv = schemas[name].get("x-invariants")
        assert inv and all(isinstance(s, str) and s for s in inv), name
        assert schemas[name]["properties"]["currency"] == {"$ref": "#/components/schemas/Currency"}
    assert schemas["Currency"]["enum"] == ["USD"]
    assert schemas["Company"]["properties"]["currency"] == {"$ref": "#/components/schemas/Currency"}
    reports = [op for _, p, op, _ in operations(spec) if "/reports/" in p]
    assert len(reports) == 10
    for op in reports:
        names = {p["name"]: p for p in params_of(spec, op)}
        ref = responses_of(spec, op)["200"]["content"]["application/json"]["schema"]["$ref"]
        report = ref.rsplit("/", 1)[1]
        if "asOf" in schemas[report]["properties"]:
            assert "asOf" in names and "startDate" not in names, op["operationId"]
        else:
            assert {"startDate", "endDate"} <= set(names) and "asOf" not in names, op["operationId"]
        for p in names.values():
            if p["name"] in ("asOf", "startDate", "endDate"):
                assert p["schema"] == {"type": "string", "format": "date", "maxLength": 10}


def test_webhook_contract(spec):
    schemas = spec["components"]["schemas"]
    created = inline(spec, schemas["WebhookCreated"])
    secret = [s for s in created["allOf"] if "secret" in s.get("properties", {})][0]["properties"]["secret"]
    assert secret["pattern"].startswith("^whsec_")
    assert {"journal_entry.posted", "journal_entry.voided", "bank_transaction.created",
            "bank_transaction.updated"} <= set(schemas["WebhookEventType"]["enum"])
    assert set(schemas["WebhookEvent"]["required"]) == {"id", "type", "createdAt", "companyId", "data"}
    _, _, op = op_by_id(spec)["createWebhook"]
    delivery = op["x-webhook-delivery"]
    assert set(delivery["headers"]) == {"LedgerHQ-Signature", "LedgerHQ-Event-Id", "LedgerHQ-Delivery-Attempt"}
    assert delivery["signature"]["algorithm"] == "HMAC-SHA256"


def test_every_component_is_used(spec):
    text = json.dumps(spec["paths"]) + json.dumps({k: v for k, v in spec["components"].items() if k != "securitySchemes"})
    unused = []
    for kind in ("schemas", "parameters", "responses", "headers", "examples"):
        names = spec["components"].get(kind, {})
        assert names, kind
        for name in names:
            if f'"#/components/{kind}/{name}"' not in text:
                unused.append(f"{kind}/{name}")
    assert not unused, unused


def _validate(spec, schema, value, where, errors):
    resolved = inline(spec, schema)
    validator = OAS30Validator(resolved, format_checker=oas30_format_checker)
    problems = sorted(validator.iter_errors(value), key=lambda e: list(e.path))
    for problem in problems[:3]:
        errors.append(f"{where}: {problem.message} at {list(problem.absolute_path)}")


def _media_examples(spec, content: dict, where: str, errors: list) -> int:
    count = 0
    for media, obj in content.items():
        schema = obj.get("schema")
        if schema is None:
            continue
        if "example" in obj:
            _validate(spec, schema, obj["example"], f"{where} {media}", errors)
            count += 1
        for name, ex in obj.get("examples", {}).items():
            _validate(spec, schema, deref(spec, ex)["value"], f"{where} {media} examples/{name}", errors)
            count += 1
    return count


def test_every_example_validates_against_its_schema(spec):
    errors: list[str] = []
    count = 0
    for _, path, op, path_params in operations(spec):
        op_id = op["operationId"]
        for param in params_of(spec, op, path_params):
            if "example" in param:
                _validate(spec, param["schema"], param["example"], f"{op_id} param {param['name']}", errors)
                count += 1
        body = deref(spec, op.get("requestBody"))
        if body:
            for media, obj in body["content"].items():
                assert "example" in obj or "examples" in obj, f"{op_id} request {media} has no example"
            count += _media_examples(spec, body["content"], f"{op_id} request", errors)
        for status, resp in responses_of(spec, op).items():
            if status.startswith("2") and resp.get("content"):
                for media, obj in resp["content"].items():
                    assert "example" in obj or "examples" in obj, f"{op_id} {status} {media} has no example"
            count += _media_examples(spec, resp.get("content", {}), f"{op_id} {status}", errors)
            for name, header in resp.get("headers", {}).items():
                header = deref(spec, header)
                if "example" in header:
                    _validate(spec, header["schema"], header["example"], f"{op_id} {status} header {name}", errors)
                    count += 1
    for name, schema in spec["components"]["schemas"].items():
        if "example" in schema:
            _validate(spec, {k: v for k, v in schema.items() if k != "example"}, schema["example"], f"schemas/{name}", errors)
            count += 1
    assert not errors, "\n".join(errors[:40])
    assert count > 300


def test_example_validation_catches_a_bad_example(spec):
    """The example check must be able to fail: a float amount is refused."""
    _, _, op = op_by_id(spec)["createCompanyPurchase"]
    example = copy.deepcopy(op["requestBody"]["content"]["application/json"]["example"])
    example["amountCents"] = 42.99
    errors: list[str] = []
    _validate(spec, op["requestBody"]["content"]["application/json"]["schema"], example, "probe", errors)
    assert errors
    example["amountCents"] = 4299
    example["currency"] = "USD"
    errors = []
    _validate(spec, op["requestBody"]["content"]["application/json"]["schema"], example, "probe", errors)
    assert errors


# x-posting: the entry each posting operation makes, in the terms of its own request body.
POSTING_SIDE_KEYS = {"account", "accountSubtype", "accountTypes"}


def request_properties(spec: dict, op: dict) -> dict:
    schema = inline(spec, op["requestBody"]["content"]["application/json"]["schema"])
    return schema["properties"]


def item_properties(spec: dict, properties: dict, field: str) -> dict:
    assert properties[field]["type"] == "array", field
    return inline(spec, properties[field]["items"])["properties"]


def assert_amount_field(properties: dict, field: str, where: str) -> None:
    assert field in properties, (where, field)
    assert effective_types(properties[field]) == {"integer"} and field.endswith("Cents"), (where, field)


def assert_posting_side(spec: dict, properties: dict, side: dict, where: str) -> None:
    assert set(side) <= POSTING_SIDE_KEYS and ("account" in side) != ("accountSubtype" in side), (where, side)
    if "account" in side:
        assert side["account"] in properties and properties[side["account"]]["type"] == "string", (where, side)
    else:
        assert side["accountSubtype"] in spec["components"]["schemas"]["AccountSubtype"]["enum"], (where, side)
    types = side.get("accountTypes", [])
    assert set(types) <= set(spec["components"]["schemas"]["AccountType"]["enum"]), (where, types)


def test_every_posting_operation_states_its_effects(spec):
    by_id = op_by_id(spec)
    stated = {op["operationId"] for _, _, op, _ in operations(spec) if "x-posting" in op}
    assert stated == set(POSTING_OPS)
    assert "## Posting effects (x-posting)" in spec["info"]["description"]
    for op_id, kind in POSTING_OPS.items():
        _, _, op = by_id[op_id]
        effect, properties = op["x-posting"], request_properties(spec, op)
        assert effect["kind"] == kind == op["x-idempotency"]["route"], op_id
        if "lines" in effect:
            assert set(effect) == {"kind", "lines"}, op_id
            lines = effect["lines"]
            assert set(lines) == {"items", "account", "debit", "credit"}, op_id
            line = item_properties(spec, properties, lines["items"])
            assert line[lines["account"]]["type"] == "string", op_id
            assert_amount_field(line, lines["debit"], op_id)
            assert_amount_field(line, lines["credit"], op_id)
            continue
        assert set(effect) - {"allocations"} == {"kind", "amount", "debit", "credit"}, op_id
        assert_amount_field(properties, effect["amount"], op_id)
        assert_posting_side(spec, properties, effect["debit"], f"{op_id} debit")
        assert_posting_side(spec, properties, effect["credit"], f"{op_id} credit")
        if "allocations" in effect:
            allocations = effect["allocations"]
            assert set(allocations) == {"items", "documentType", "document", "amount"}, op_id
            item = item_properties(spec, properties, allocations["items"])
            assert item[allocations["document"]]["type"] == "string", op_id
            assert_amount_field(item, allocations["amount"], op_id)
            assert allocations["documentType"] in ("bill", "invoice"), op_id


def test_posting_effects_agree_with_the_words_of_each_request_schema(spec):
    """The request schema's own description says which field is debited and which credited."""
    for op_id in POSTING_OPS:
        _, _, op = op_by_id(spec)[op_id]
        effect = op["x-posting"]
        schema = deref(spec, op["requestBody"]["content"]["application/json"]["schema"])
        for side in ("debit", "credit"):
            if "account" in effect.get(side, {}):
                assert f"{side} {effect[side]['account']}" in schema["description"], (op_id, side)
