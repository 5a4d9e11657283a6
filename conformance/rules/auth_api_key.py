"""R5 API keys: a `dk_live_` key works for its own organization only, named in x-organization-id."""
from __future__ import annotations

from conformance.contract_map import Operation
from conformance.expect import expect_status
from conformance.failures import DataLeaked, Skip, WrongStatus
from conformance.http import Exchange
from conformance.registry import rule_check
from conformance.rules.auth import expect_hidden, protected_operations
from conformance.suite import Suite
from conformance.world import fill_path, needs_organization


def key_routes(suite: Suite) -> list[Operation]:
    """Legacy reads that need no id: the routes where only the key and the organization matter."""
    return [op for op in protected_operations(suite)
            if op.method == "GET" and not op.path_params and needs_organization(suite.contract, op)]


def api_key(suite: Suite) -> tuple[str, str]:
    if not suite.config.api_key:
        raise Skip("no --api-key given: API-key checks not run")
    if not suite.config.organization_id:
        raise Skip("no --organization-id given for the API key: API-key checks not run")
    return suite.config.api_key, suite.config.organization_id


def send_with_key(suite: Suite, op: Operation, org: str | None) -> Exchange:
    key, _ = api_key(suite)
    return suite.api.request(op.method, fill_path(op, suite.world), token=key, org=org)


def firm_organizations(suite: Suite) -> list[str]:
    """Organizations the run's firm credential reaches (one page is enough to find another one)."""
    if suite.cache.firm_organizations is None:
        limit = suite.contract.largest_page_of("/api/v1/organizations")
        listed = suite.api.request("GET", "/api/v1/organizations", params={"limit": limit})
        rows = listed.json.get("data") if listed.status == 200 and isinstance(listed.json, dict) else None
        suite.cache.firm_organizations = [row["id"] for row in rows or []
                                          if isinstance(row, dict) and isinstance(row.get("id"), str)]
    return suite.cache.firm_organizations


def other_organizations(suite: Suite) -> list[str]:
    """Organizations other than the key's: the firm's other ones first, then another firm's if known."""
    _, own = api_key(suite)
    others = [org for org in firm_organizations(suite) if org != own]
    if suite.other_api is not None and suite.config.other_company_id:
        found = suite.other_api.request("GET", f"/api/v1/companies/{suite.config.other_company_id}")
        org = found.json.get("organizationId") if isinstance(found.json, dict) else None
        if found.status == 200 and isinstance(org, str) and org != own:
            others.append(org)
    if not others:
        raise Skip("no organization other than the key's is known: nothing to refuse the key for")
    return others


@rule_check(targets=key_routes)
def check_api_key_works_for_its_organization(suite: Suite, op: Operation) -> None:
    _, own = api_key(suite)
    answer = send_with_key(suite, op, own)
    expect_status(answer, {200}, f"API key with its own organization {own}")


@rule_check(targets=key_routes)
def check_api_key_refused_for_other_organization(suite: Suite, op: Operation) -> None:
    for org in other_organizations(suite):
        answer = send_with_key(suite, op, org)
        if 200 <= answer.status < 300:
            raise DataLeaked(f"the API key answered data for x-organization-id {org}, not its own", answer)
        expect_hidden(answer, f"API key with x-organization-id {org}")


@rule_check(targets=key_routes)
def check_api_key_needs_organization_header(suite: Suite, op: Operation) -> None:
    answer = send_with_key(suite, op, None)
    what = "API key without x-organization-id on a legacy route"
    if answer.status != 400:
        raise WrongStatus(f"{what}: expected 400, got {answer.status}", answer)
    if answer.error() is not None and answer.error_code != "VALIDATION_ERROR":
        raise WrongStatus(f"{what}: 400 with code {answer.error_code}, expected VALIDATION_ERROR", answer)
