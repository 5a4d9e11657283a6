"""Stateful sequences through the contract's OpenAPI links: make a resource, then follow its links."""
from __future__ import annotations

from dataclasses import dataclass, field

import schemathesis
from hypothesis import HealthCheck, Phase, seed as hypothesis_seed, settings
from hypothesis.errors import Flaky
from schemathesis.core.failures import Failure as SchemathesisFailure, FailureGroup
from schemathesis.generation.stateful.state_machine import normalize_name
from schemathesis.specs.openapi import checks as oas

from conformance.contract.schema import BUILT_IN_CHECKS, POSITIVE_ACCEPTED_STATUSES, breach
from conformance.contract.stateful_inputs import SeenIds, prepare_case
from conformance.contract_map import Operation
from conformance.failures import ContractBreach, Skip
from conformance.http import parse_json
from conformance.registry import rule_check
from conformance.suite import Suite
from conformance.world import needs_organization

# Negative data, missing headers and undeclared methods are the fuzz layer's job; the stateful layer
# adds the checks that need a sequence: a deleted resource stays gone, a created one can be read.
STATEFUL_CHECKS = [c for c in BUILT_IN_CHECKS if c.__name__ not in {
    "negative_data_rejection", "missing_required_header", "unsupported_method"}] + [
    oas.use_after_free, oas.ensure_resource_availability]
FAILURES_KEPT_MAX = 5
ATTEMPTS_MAX = 4


def declared_links(suite: Suite) -> int:
    count = 0
    for op in suite.contract.partner_operations():
        for response in op.raw.get("responses", {}).values():
            count += len(suite.contract.resolve(response).get("links", {}) or {})
    return count


def linked_schema(suite: Suite):
    """The partner operations only, with the contract's own links only (no inferred ones)."""
    config = schemathesis.Config.from_dict({
        "base-url": suite.config.base_url,
        "checks": {"positive_data_acceptance": {"expected-statuses": POSITIVE_ACCEPTED_STATUSES}},
        "phases": {"stateful": {"inference": {"algorithms": []}}},
    })
    schema = schemathesis.openapi.from_path(suite.config.contract_path, config=config)
    schema = schema.include(operation_id=[op.operation_id for op in suite.contract.partner_operations()
                                          if op.operation_id])
    suite_fills_inputs_itself(schema)
    return schema


def suite_fills_inputs_itself(schema) -> None:
    """Schemathesis starts sequences only at operations whose inputs some response provides; the tenant
    header and the account ids are the suite's to give, so they do not hold a creating operation back."""
    graph = schema.analysis.dependency_graph
    produced = {output.resource.name for node in graph.operations.values() for output in node.outputs}
    for node in graph.operations.values():
        node.inputs[:] = [slot for slot in node.inputs if slot.resource.name in produced]


def starts_from_nothing(label: str) -> bool:
    """A sequence starts where something is made from nothing: no path id but the company's."""
    return "{" not in label.replace("{companyId}", "")


def creating_roots_only(base) -> dict:
    """Class attributes that drop sequence starts on operations needing an id (drawn ids never exist)."""
    dropped = {label for label in base._root_labels if not starts_from_nothing(label)}
    attributes: dict = {normalize_name(f"RANDOM -> {label}"): None for label in dropped}
    attributes["root_rules"] = frozenset(base.root_rules) - set(attributes)
    attributes["_root_labels"] = frozenset(base._root_labels) - dropped
    return attributes


def operation_of(suite: Suite, case) -> Operation:
    label = f"{case.method.upper()} {case.operation.path}"
    found = next((op for op in suite.contract.partner_operations() if op.label == label), None)
    return found or Operation(case.method.upper(), case.operation.path, None, (), {})


@dataclass
class SequenceRun:
    """What outlives one Hypothesis run: breaches as seen (a replay against a server whose state has moved on
    may not reach them again), sequences finished, and ids made."""
    found: list[ContractBreach] = field(default_factory=list)
    finished: int = 0
    seen: SeenIds = field(default_factory=SeenIds)


def machine_for(suite: Suite, run: SequenceRun):
    base = linked_schema(suite).as_state_machine()
    base = type("LinkedMachine", (base,), creating_roots_only(base))

    class ContractMachine(base):  # type: ignore[misc, valid-type]
        def before_call(self, case) -> None:
            prepare_case(suite, case, run.seen, needs_organization(suite.contract, operation_of(suite, case)))

        def get_call_kwargs(self, case) -> dict:
            headers = {"Authorization": f"Bearer {suite.config.token}"}
            if needs_organization(suite.contract, operation_of(suite, case)):
                headers["x-organization-id"] = suite.world.organization_id
            return {"base_url": suite.config.base_url, "headers": headers, "timeout": suite.config.request_timeout_s}

        def after_call(self, response, case) -> None:
            super().after_call(response, case)
            run.seen.add_from(response.status_code, parse_json(response.content.decode("utf-8", "replace")))

        def validate_response(self, response, case, additional_checks=None, **kwargs) -> None:
            try:
                case.validate_response(response, checks=STATEFUL_CHECKS, headers=kwargs.get("headers"),
                                       transport_kwargs=kwargs, recorder=self.recorder)
            except (SchemathesisFailure, FailureGroup) as error:
                run.found.append(breach(suite, operation_of(suite, case), "stateful sequence", str(error), response))
                raise run.found[-1] from None

        def teardown(self) -> None:
            run.finished += 1
            super().teardown()

    return ContractMachine


def run_sequences(suite: Suite, run: SequenceRun) -> None:
    """Sequences until the profile's number is done. The server's answers decide which links can be followed,
    so Hypothesis may stop a run as flaky; the next attempt goes on with another seed (bounded)."""
    for attempt in range(ATTEMPTS_MAX):
        remaining = suite.profile.stateful_examples - run.finished
        if remaining <= 0 or run.found:
            return
        machine = machine_for(suite, run)
        hypothesis_seed(suite.seed + attempt)(machine)
        try:
            machine.run(settings=settings(max_examples=remaining, stateful_step_count=suite.profile.stateful_steps,
                                          deadline=None, database=None, phases=[Phase.generate],
                                          suppress_health_check=list(HealthCheck), report_multiple_bugs=False))
        except Flaky:
            if not run.found:
                continue
        except Exception:
            if not run.found:
                raise
        return


@rule_check("contract", "OAS")
def check_stateful_links(suite: Suite) -> None:
    if not declared_links(suite):
        raise Skip("the contract declares no OpenAPI links, so there are no stateful sequences to follow")
    run = SequenceRun()
    run_sequences(suite, run)
    if run.found:
        run.found[0].also = run.found[1:FAILURES_KEPT_MAX]
        raise run.found[0]
