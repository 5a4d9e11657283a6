"""R5 Auth and tenancy: 401 without a valid credential, another firm's company never answers data."""
from __future__ import annotations

import json

from conformance.books import own_balances, shaped_body
from conformance.contract_map import Operation
from conformance.failures import AuthNotEnforced, DataLeaked, Skip, WrongStatus
from conformance.http import Exchange, new_idempotency_key
from conformance.registry import rule_check
from conformance.suite import Suite
from conformance.world import fill_path, needs_organization

BAD_CREDENTIALS = ("mcp_at_conformance_unknown_token", "dk_live_conformance_unknown_key", "not-a-token")
ACCEPTED_FOR_FOREIGN_COMPANY = frozenset({403, 404})       # R5: never 2xx, never data
PLACEHOLDER_ID = "acc_conformance_missing"
LOOPBACK_HOOK_URL = "http://127.0.0.1:9/conformance-hook"


def protected_operations(suite: Suite) -> list[Operation]:
    return [op for op in suite.contract.partner_operations() if not suite.contract.is_public(op)]


def company_path_operations(suite: Suite) -> list[Operation]:
    return [op for op in protected_operations(suite) if op.is_company_path]


def legacy_operations(suite: Suite) -> list[Operation]:
    return [op for op in protected_operations(suite) if needs_organization(suite.contract, op)]


def send(suite: Suite, op: Operation, token, *, company_id: str | None = None, org: str | None = None,
         api=None, ids: dict[str, str] | None = None) -> Exchange:
    """The operation with a plausible request, changing only the credential and the tenant; `ids`: path
    segment -> a real id to name (`entries` -> an entry of this company), else a placeholder."""
    values = {name: (ids or {}).get(op.path.split("/{" + name + "}")[0].rsplit("/", 1)[-1], PLACEHOLDER_ID)
              for name in op.path_params}
    values["companyId"] = company_id or suite.world.company_id
    headers = {}
    if "idempotency-key" in suite.contract.header_params(op):
        headers["Idempotency-Key"] = new_idempotency_key()
    body = None
    if op.method in ("POST", "PUT", "PATCH"):
        body = json.dumps(request_body(suite, op)).encode()
    if org is None and needs_organization(suite.contract, op):
        org = suite.world.organization_id
    return (api or suite.api).request(op.method, fill_path(op, suite.world, values), token=token, org=org,
                                      content=body, headers=headers)


def request_body(suite: Suite, op: Operation) -> object:
    """A well-formed body, so that only the credential or the tenant is wrong."""
    if op in suite.posting_operations:
        return shaped_body(suite, op, 100)
    example = suite.contract.request_example(op)
    if isinstance(example, dict) and isinstance(example.get("url"), str):
        example = {**example, "url": LOOPBACK_HOOK_URL}          # never a delivery off this machine
    return example if example is not None else {}


def expect_unauthorized(exchange: Exchange, what: str) -> None:
    if exchange.status != 401:
        raise AuthNotEnforced(f"{what}: expected 401, got {exchange.status}", exchange)
    if exchange.error_code not in (None, "UNAUTHORIZED") and exchange.error() is not None:
        raise WrongStatus(f"{what}: 401 with code {exchange.error_code}, expected UNAUTHORIZED", exchange)
    challenge = exchange.headers.get("www-authenticate", "")
    if not challenge.lower().startswith("bearer"):
        raise AuthNotEnforced(f"{what}: WWW-Authenticate is {challenge!r}, expected Bearer", exchange)


@rule_check(targets=protected_operations)
def check_missing_credential_is_401(suite: Suite, op: Operation) -> None:
    expect_unauthorized(send(suite, op, None), "no credential")


@rule_check(targets=protected_operations)
def check_bad_credential_is_401(suite: Suite, op: Operation) -> None:
    for token in BAD_CREDENTIALS:
        expect_unauthorized(send(suite, op, token), f"credential {token!r}")


def other_company(suite: Suite) -> str:
    if not suite.config.other_company_id:
        raise Skip("no --other-company-id given: tenancy of another firm's company not checked")
    return suite.config.other_company_id


def expect_no_resource(refusal: Exchange, what: str) -> None:
    """A refusal's body is an error: no resource (`id`) and no list (`data`) in it."""
    body = refusal.json
    if isinstance(body, dict) and ("data" in body or "id" in body):
        raise DataLeaked(f"{what}: the refusal carries data", refusal)


def expect_hidden(exchange: Exchange, what: str) -> None:
    if exchange.status not in ACCEPTED_FOR_FOREIGN_COMPANY:
        raise DataLeaked(f"{what}: expected 403 or 404, got {exchange.status}", exchange)
    expect_no_resource(exchange, what)


@rule_check(targets=company_path_operations)
def check_foreign_company_is_hidden(suite: Suite, op: Operation) -> None:
    foreign = other_company(suite)
    before = own_balances(suite)
    expect_hidden(send(suite, op, suite.config.token, company_id=foreign), f"company {foreign}")
    if own_balances(suite) != before:
        raise DataLeaked("a refused request to another company changed this company's books")


def foreign_organization(suite: Suite) -> str:
    foreign = other_company(suite)
    if suite.other_api is None:
        raise Skip("no --other-token given: the other company's organization cannot be looked up")
    found = suite.other_api.request("GET", f"/api/v1/companies/{foreign}")
    org = found.json.get("organizationId") if isinstance(found.json, dict) else None
    if found.status != 200 or not org:
        raise Skip(f"the other credential cannot read company {foreign} (status {found.status})")
    return org


@rule_check(targets=legacy_operations)
def check_foreign_organization_is_hidden(suite: Suite, op: Operation) -> None:
    org = foreign_organization(suite)
    expect_hidden(send(suite, op, suite.config.token, org=org), f"x-organization-id {org}")


# Operations another firm may call with a path or header naming this company, because what they answer is
# the caller's own (none today: every company-path and legacy operation is this company's alone).
SHARED_OPERATIONS: frozenset[str] = frozenset()


def this_company_operations(suite: Suite) -> list[Operation]:
    """Every company-path and legacy operation, less the shared ones."""
    found = company_path_operations(suite) + [op for op in legacy_operations(suite) if not op.is_company_path]
    return [op for op in found if op.label not in SHARED_OPERATIONS]


@rule_check()
def check_other_firm_cannot_see_this_company(suite: Suite) -> None:
    """Another firm's credential, naming this company by path or by x-organization-id, on every operation:
    403/404, no data, and this company's books unchanged."""
    if suite.other_api is None:
        raise Skip("no --other-token given: this company is not probed with another firm's credential")
    from conformance.rules.edges import known_ids      # R9 makes the ids; it builds on this module
    ids = known_ids(suite)
    before = own_balances(suite)
    for op in this_company_operations(suite):
        found = send(suite, op, suite.config.other_token, api=suite.other_api, ids=ids)
        expect_hidden(found, f"other firm calling {op.label} of company {suite.world.company_id}")
    if own_balances(suite) != before:
        raise DataLeaked("requests of another firm naming this company changed its books")
