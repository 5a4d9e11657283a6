"""Stateful sequences through the contract's OpenAPI links: make a resource, then follow its links."""
from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import HealthCheck, Phase, seed as hypothesis_seed, settings
from hypothesis.errors import Flaky

from conformance.contract import schemathesis_adapter as adapter
from conformance.contract.schema import POSITIVE_ACCEPTED_STATUSES, breach
from conformance.contract.stateful_inputs import SeenIds, prepare_case
from conformance.contract_map import Operation
from conformance.coverage import record_response
from conformance.failures import ContractBreach, Skip
from conformance.footprint import delete_at_end
from conformance.http import parse_json
from conformance.registry import rule_check
from conformance.suite import Suite
from conformance.world import needs_organization

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
    schema = adapter.load_schema(suite.config.contract_path, suite.config.base_url, POSITIVE_ACCEPTED_STATUSES,
                                 inferred_links=False)
    schema = schema.include(operation_id=[op.operation_id for op in suite.contract.partner_operations()
                                          if op.operation_id])
    adapter.drop_inputs_no_response_gives(schema)    # the tenant header and account ids are the suite's to give
    return schema


def starts_from_nothing(label: str) -> bool:
    """A sequence starts where something is made from nothing: no path id but the company's."""
    return "{" not in label.replace("{companyId}", "")


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
    base = adapter.state_machine(linked_schema(suite), keep_start=starts_from_nothing)

    class ContractMachine(base):  # type: ignore[misc, valid-type]
        def before_call(self, case) -> None:
            prepare_case(suite, case, operation_of(suite, case), run.seen)

        def get_call_kwargs(self, case) -> dict:
            headers = {"Authorization": f"Bearer {suite.config.token}"}
            if needs_organization(suite.contract, operation_of(suite, case)):
                headers["x-organization-id"] = suite.world.organization_id
            return {"base_url": suite.config.base_url, "headers": headers, "timeout": suite.config.request_timeout_s}

        def after_call(self, response, case) -> None:
            super().after_call(response, case)
            body = parse_json(response.content.decode("utf-8", "replace"))
            run.seen.add_from(response.status_code, body)
            record_response(suite, operation_of(suite, case), response)
            delete_at_end(suite, operation_of(suite, case), response.status_code, body)

        def validate_response(self, response, case, additional_checks=None, **kwargs) -> None:
            try:
                case.validate_response(response, checks=list(adapter.stateful_checks()), headers=kwargs.get("headers"),
                                       transport_kwargs=kwargs, recorder=self.recorder)
            except (adapter.FailureGroup, AssertionError) as error:
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


@rule_check()
def check_stateful_links(suite: Suite) -> None:
    if not declared_links(suite):
        raise Skip("the contract declares no OpenAPI links, so there are no stateful sequences to follow")
    run = SequenceRun()
    run_sequences(suite, run)
    if run.found:
        run.found[0].also = run.found[1:FAILURES_KEPT_MAX]
        raise run.found[0]
