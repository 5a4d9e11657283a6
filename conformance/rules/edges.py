"""R9 edges: hierarchy. A resource is found only under its own company, even by a caller who manages both."""
from __future__ import annotations

from conformance.books import post, posting_for
from conformance.contract_map import Operation
from conformance.expect import expect_status, json_object
from conformance.failures import DataLeaked, LedgerChanged, Skip
from conformance.registry import rule_check
from conformance.rules.auth import protected_operations
from conformance.suite import Suite
from conformance.world import needs_organization

ACTION_METHODS = frozenset({"GET", "POST"})     # reads and entry actions; never a PATCH or DELETE elsewhere
KNOWN_SEGMENTS = ("accounts", "entries")        # the own resources the suite can name by id


def known_ids(suite: Suite) -> dict[str, str]:
    """Path segment -> an id of the suite's own, in the company under test (one posted entry, made once)."""
    if suite.cache.edge_ids is None:
        op = suite.op("POST", "/journal-entries")
        receipt = post(suite, op, posting_for(suite, op, 4100, description="conformance hierarchy").body)
        expect_status(receipt, {201}, "a posted journal entry of the company under test")
        entry_id = json_object(receipt, "receipt").get("journalEntryId")
        suite.cache.edge_ids = {"accounts": suite.world.accounts["cash_a"], "entries": entry_id}
    return suite.cache.edge_ids


def segment_before(op: Operation, name: str) -> str:
    segments = op.path.split("/")
    return segments[segments.index("{" + name + "}") - 1]


def path_values(suite: Suite, op: Operation) -> dict[str, str]:
    return {name: known_ids(suite)[segment_before(op, name)] for name in op.path_params}


def own_resource_routes(suite: Suite) -> list[Operation]:
    """Legacy routes naming one resource by id, where the suite can name one of its own."""
    return [op for op in protected_operations(suite) if op.method in ACTION_METHODS and op.path_params
            and needs_organization(suite.contract, op)
            and all(segment_before(op, name) in KNOWN_SEGMENTS for name in op.path_params)]


def sibling_organization(suite: Suite) -> str:
    """The organization of another company the run's credential manages."""
    if suite.cache.sibling_organizations is None:
        limit = suite.contract.largest_page_of("/api/v1/companies")
        listed = suite.api.request("GET", "/api/v1/companies", params={"limit": limit})
        rows = listed.json.get("data") if listed.status == 200 and isinstance(listed.json, dict) else None
        others = [row for row in rows or [] if isinstance(row, dict) and row.get("id") != suite.world.company_id]
        suite.cache.sibling_organizations = [row["organizationId"] for row in others
                                             if isinstance(row.get("organizationId"), str)]
    if not suite.cache.sibling_organizations:
        raise Skip("the credential manages one company only: hierarchy between two companies not checked")
    return suite.cache.sibling_organizations[0]


@rule_check(targets=own_resource_routes)
def check_resource_hidden_under_sibling_company(suite: Suite, op: Operation) -> None:
    sibling = sibling_organization(suite)
    entry = {"entryId": known_ids(suite)["entries"]}
    reference = suite.call(suite.op("GET", "/entries/{}"), path_values=entry)
    body = {"json_body": {}} if op.method == "POST" else {}
    answer = suite.call(op, path_values=path_values(suite, op), org=sibling, **body)
    if answer.status != 404:
        raise DataLeaked(f"a resource of company {suite.world.company_id} asked for under x-organization-id "
                         f"{sibling}: expected 404, got {answer.status}", answer)
    after = suite.call(suite.op("GET", "/entries/{}"), path_values=entry)
    if after.json != reference.json:
        raise LedgerChanged("a refused request under another company changed the entry", answer)
