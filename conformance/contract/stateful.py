"""Stateful sequences through the contract's OpenAPI links, when it declares any."""
from __future__ import annotations

from hypothesis import HealthCheck, Phase, seed as hypothesis_seed, settings
from schemathesis.core.failures import Failure as SchemathesisFailure, FailureGroup

from conformance.contract.schema import BUILT_IN_CHECKS, breach, load_schema
from conformance.contract_map import Operation
from conformance.failures import Skip
from conformance.http import new_idempotency_key
from conformance.registry import rule_check
from conformance.suite import Suite
from conformance.world import needs_organization

STATEFUL_CHECKS = [c for c in BUILT_IN_CHECKS if c.__name__ not in {
    "negative_data_rejection", "missing_required_header", "unsupported_method"}]


def declared_links(suite: Suite) -> int:
    count = 0
    for op in suite.contract.partner_operations():
        for response in op.raw.get("responses", {}).values():
            count += len(suite.contract.resolve(response).get("links", {}) or {})
    return count


def machine_for(suite: Suite):
    base = load_schema(suite).as_state_machine()
    by_label = {op.label: op for op in suite.contract.partner_operations()}

    class ContractMachine(base):  # type: ignore[misc, valid-type]
        def before_call(self, case) -> None:
            if "companyId" in (case.path_parameters or {}):
                case.path_parameters["companyId"] = suite.world.company_id
            for name in list(case.headers or {}):
                if name.lower() == "idempotency-key":
                    case.headers[name] = new_idempotency_key()

        def get_call_kwargs(self, case) -> dict:
            op = by_label.get(f"{case.method.upper()} {case.operation.path}")
            headers = {"Authorization": f"Bearer {suite.config.token}"}
            if op is not None and needs_organization(suite.contract, op):
                headers["x-organization-id"] = suite.world.organization_id
            return {"base_url": suite.config.base_url, "headers": headers, "timeout": suite.config.request_timeout_s}

        def validate_response(self, response, case, additional_checks=None, **kwargs) -> None:
            try:
                case.validate_response(response, checks=STATEFUL_CHECKS, headers=kwargs.get("headers"),
                                       transport_kwargs=kwargs)
            except (SchemathesisFailure, FailureGroup) as error:
                op = by_label.get(f"{case.method.upper()} {case.operation.path}") or Operation(
                    case.method.upper(), case.operation.path, None, (), {})
                raise breach(suite, op, "stateful sequence", str(error), response) from None

    return ContractMachine


@rule_check("contract", "OAS")
def check_stateful_links(suite: Suite) -> None:
    if not declared_links(suite):
        raise Skip("the contract declares no OpenAPI links, so there are no stateful sequences to follow")
    machine = machine_for(suite)
    hypothesis_seed(suite.seed)(machine)
    machine.run(settings=settings(max_examples=suite.profile.machine_examples, stateful_step_count=5,
                                  deadline=None, database=None, phases=[Phase.generate],
                                  suppress_health_check=list(HealthCheck), report_multiple_bugs=False))
