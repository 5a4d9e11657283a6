"""R9 edges in paths: ids that cannot exist are 404 or 400, never 500 and never another resource."""
from __future__ import annotations

from conformance.bank import own_bank_account
from conformance.contract_map import Operation
from conformance.failures import WrongStatus
from conformance.http import Exchange
from conformance.registry import rule_check
from conformance.rules.auth import expect_no_resource, protected_operations
from conformance.rules.edges import known_ids, segment_before
from conformance.suite import Suite
from conformance.world import needs_organization

ID_CHARS_LONG = 300
IMPOSSIBLE_IDS = ("%00", "%7B%7D", "%2E%2E", "..%2F..", "x" * ID_CHARS_LONG, "%20")
ACCEPTED = frozenset({400, 404})
PLACEHOLDER_ID = "conformance_missing"
BODY_METHODS = frozenset({"POST", "PATCH", "PUT"})


def operations_with_ids(suite: Suite) -> list[Operation]:
    return [op for op in protected_operations(suite) if set(op.path_params) - {"companyId"}]


def own_id(suite: Suite, op: Operation, name: str) -> str:
    """An id of the suite's own for `name`, where it has one, else a placeholder no resource has."""
    segment = segment_before(op, name)
    if segment == "bank-accounts":
        return own_bank_account(suite)["id"]
    return known_ids(suite).get(segment, PLACEHOLDER_ID)


def path_with(suite: Suite, op: Operation, values: dict[str, str], suffix: str = "") -> str:
    path = op.path
    for name in op.path_params:
        path = path.replace("{" + name + "}", suite.world.company_id if name == "companyId" else values[name])
    return path + suffix


def send_raw(suite: Suite, op: Operation, path: str) -> Exchange:
    org = suite.world.organization_id if needs_organization(suite.contract, op) else None
    body = {"json_body": {}} if op.method in BODY_METHODS else {}
    return suite.api.request(op.method, path, org=org, **body)


def expect_refused(answer: Exchange, what: str) -> None:
    if answer.status not in ACCEPTED:
        raise WrongStatus(f"{what}: expected 404 or 400, got {answer.status}", answer)
    expect_no_resource(answer, what)


def forms(suite: Suite, op: Operation) -> list[tuple[str, str]]:
    """(what, path): each id of the path replaced by an impossible one, then the trailing-slash forms."""
    own = {name: own_id(suite, op, name) for name in op.path_params if name != "companyId"}
    found = []
    for name in own:
        for bad in IMPOSSIBLE_IDS:
            found.append((f"{name} {bad[:12]!r}{'...' if len(bad) > 12 else ''}",
                          path_with(suite, op, {**own, name: bad})))
    found.append(("a trailing slash", path_with(suite, op, own, "/")))
    found.append(("an encoded trailing slash", path_with(suite, op, own, "%2F")))
    return found


@rule_check(targets=operations_with_ids)
def check_impossible_ids_refused(suite: Suite, op: Operation) -> None:
    for what, path in forms(suite, op):
        expect_refused(send_raw(suite, op, path), f"{op.label} with {what}")
