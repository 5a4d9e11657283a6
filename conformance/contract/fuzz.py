"""Schemathesis over every partner operation: positive and negative data, coverage cases, built-in checks."""
from __future__ import annotations

import itertools

from hypothesis import HealthCheck, Phase, given, seed as hypothesis_seed, settings
from hypothesis.errors import Unsatisfiable

from conformance.contract import schemathesis_adapter as adapter
from conformance.contract.schemathesis_adapter import GenerationMode
from conformance.contract.schema import (LOOPBACK_HOOK_URL, breach, call_headers, drop_framing_headers, fixed_headers,
                                         fixed_query,
                                         load_schema, schemathesis_operation)
from conformance.contract_map import Operation
from conformance.failures import ContractBreach
from conformance.coverage import record_response
from conformance.footprint import after_fuzz_case, creates_without_delete, footprint_of, positive_examples
from conformance.http import new_idempotency_key
from conformance.registry import rule_check
from conformance.suite import Suite
from conformance.world import create_account

FAILURES_PER_OPERATION_MAX = 5
COVERAGE_SCENARIOS = ("MISSING_PARAMETER", "UNSPECIFIED_HTTP_METHOD")


class Collected:
    """Distinct failures of one operation; the first few are kept in full."""

    def __init__(self, suite: Suite, op: Operation) -> None:
        self.suite, self.op = suite, op
        self.seen: set[tuple[str, int]] = set()
        self.failures: list[ContractBreach] = []
        self.cases = 0

    def add(self, error: BaseException, response) -> None:
        for failure in adapter.failures_in(error):
            title = getattr(failure, "title", type(failure).__name__)
            key = (title, getattr(response, "status_code", 0))
            if key not in self.seen and len(self.failures) < FAILURES_PER_OPERATION_MAX:
                self.seen.add(key)
                message = getattr(failure, "message", str(failure))
                self.failures.append(breach(self.suite, self.op, title, message, response))


def prepare(case, positive: bool) -> None:
    """Unique idempotency keys, no made-up cursors, webhooks pointed at a dead loopback port."""
    drop_framing_headers(case)
    headers_negated = adapter.headers_negated(case)
    for name in list(case.headers or {}):
        if name.lower() == "idempotency-key" and (positive or not (headers_negated or is_negated(case, name))):
            case.headers[name] = new_idempotency_key()
    if positive and isinstance(case.query, dict):
        case.query.pop("cursor", None)
    if isinstance(case.body, dict) and isinstance(case.body.get("url"), str):
        case.body["url"] = loopback_url(case.body["url"], positive)


def loopback_url(drawn: str, positive: bool) -> str:
    """The webhook URL pointed at a dead loopback port. A negative case keeps the drawn length (it may be
    the maxLength that is broken), and a drawn value that is no http(s) URL stays, as nothing can reach it."""
    if positive:
        return LOOPBACK_HOOK_URL
    if not drawn.lower().startswith(("http://", "https://")):
        return drawn
    return LOOPBACK_HOOK_URL + "x" * max(0, len(drawn) - len(LOOPBACK_HOOK_URL))


def send(case, suite: Suite, collected: Collected) -> None:
    if not all(map(adapter.header_value_is_valid_http, (case.headers or {}).values())):
        return   # not valid HTTP: the server's HTTP layer would refuse it before the API (HEADER_EXCLUDED_CHARACTERS)
    collected.cases += 1
    response = None
    headers = call_headers(suite, case)
    try:
        response = case.call(base_url=suite.config.base_url, headers=headers, timeout=suite.config.request_timeout_s)
        record_response(suite, collected.op, response)
        after_fuzz_case(suite, collected.op, response.status_code, parse_body(response))
        case.validate_response(response, checks=list(adapter.fuzz_checks()), headers=headers,
                               transport_kwargs={"base_url": suite.config.base_url, "headers": headers,
                                                 "timeout": suite.config.request_timeout_s})
    except (adapter.FailureGroup, Exception) as error:   # the checks' failures (a BaseExceptionGroup); a refused
        # connection, a time-out: no answer
        collected.add(error, response)


def parse_body(response) -> object:
    try:
        return response.json()
    except ValueError:
        return None


def fuzz(suite: Suite, op: Operation, mode: GenerationMode, examples: int, collected: Collected) -> None:
    if examples <= 0:
        return
    positive = mode == GenerationMode.POSITIVE
    if positive and creates_without_delete(suite, op):
        footprint_of(suite).note(f"positive fuzz cases of {op.label} left out: the contract declares no delete "
                                 "for what they would create")
        return
    if positive:
        examples = positive_examples(suite, op, examples)
    strategy = schemathesis_operation(suite, op).as_strategy(
        generation_mode=mode, path_parameters=pinned_path(suite, op) or None,
        query=fixed_query(suite, op) if positive else None, headers=fixed_headers(suite, op) or None)

    @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck), report_multiple_bugs=False)
    @given(case=strategy)
    def run(case) -> None:
        prepare(case, positive)
        send(case, suite, collected)

    hypothesis_seed(suite.seed)(run)
    try:
        run()
    except Unsatisfiable:
        if positive:
            raise
        # nothing in this operation's request can be made invalid (no parameters, no body)


def coverage(suite: Suite, op: Operation, collected: Collected) -> None:
    """Missing required headers and undeclared methods, from Schemathesis' coverage phase."""
    schema, operation = load_schema(suite), schemathesis_operation(suite, op)
    wanted = adapter.coverage_cases(schema, operation, COVERAGE_SCENARIOS)
    for case in itertools.islice(wanted, suite.profile.coverage_cases_max):
        for name, value in pinned_path(suite, op).items():
            if name in (case.path_parameters or {}) and not is_negated(case, name):
                case.path_parameters[name] = value
        for name, value in fixed_headers(suite, op).items():
            if not is_negated(case, name) and case.headers is not None and name in case.headers:
                case.headers[name] = value
        prepare(case, positive=False)
        send(case, suite, collected)


def fuzz_account(suite: Suite) -> str:
    """An account of the suite's own that fuzzed PATCH and DELETE requests may change or remove."""
    if suite.cache.fuzz_account is None:
        suite.cache.fuzz_account = create_account(suite.api, suite.contract, suite.world, "fuzz", "expense", "expense")
    return suite.cache.fuzz_account


def pinned_path(suite: Suite, op: Operation) -> dict[str, str]:
    """The company under test, and the fuzz account for account routes, so nothing else is changed."""
    pinned = {"companyId": suite.world.company_id} if "companyId" in op.path_params else {}
    if "accountId" in op.path_params:
        pinned["accountId"] = fuzz_account(suite)
    return pinned


def is_negated(case, name: str) -> bool:
    """Whether this coverage case is about parameter `name` (so the suite must leave it as drawn)."""
    return adapter.coverage_parameter(case) == name.lower()


def fuzzed_operations(suite: Suite) -> list[Operation]:
    return suite.contract.partner_operations()


@rule_check(targets=fuzzed_operations)
def check_schemathesis(suite: Suite, op: Operation) -> None:
    collected = Collected(suite, op)
    fuzz(suite, op, GenerationMode.POSITIVE, suite.profile.fuzz_examples_positive, collected)
    fuzz(suite, op, GenerationMode.NEGATIVE, suite.profile.fuzz_examples_negative, collected)
    coverage(suite, op, collected)
    if collected.failures:
        first = collected.failures[0]
        first.also = collected.failures[1:]
        raise first
