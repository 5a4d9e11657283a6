"""The conformance CLI's front door: usage errors exit 2, a run that cannot start exits 3 with one sentence
within seconds, --version, and the grouping of failures by their first cause."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from conformance import cli
from conformance.causes import CREDENTIAL, MONEY, UNSHAPED, root_causes, symptom_of
from conformance.config import RunConfig
from conformance.failures import LedgerMismatch, MoneyNotInteger, WrongStatus
from conformance.http import Exchange
from conformance.preflight import company_problem, preflight
from conformance.redact import Redactor
from conformance.report import print_table
from conformance.runner import PASS, Outcome
from conformance.sandbox import Sandbox, free_port
from ledgerhq_contract.version import VERSION

ROOT = Path(__file__).resolve().parents[1]
PREFLIGHT_WAIT_S_MAX = 10.0


def run_cli(*args: str) -> tuple[int, str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "conformance.cli", *args], capture_output=True, text=True,
                          env=env, timeout=120)
    return done.returncode, done.stdout + done.stderr, time.monotonic() - started


def exchange(status: int, body: str, token: str = "tok_run", method: str = "GET", path: str = "/x") -> Exchange:
    return Exchange(method=method, url=f"http://h{path}", path=path,
                    request_headers={"Authorization": f"Bearer {token}"}, request_body=b"", status=status,
                    headers=httpx.Headers({"x-request-id": "req_1"}), text=body, secrets={"tok_run": "$TOKEN"})


@pytest.mark.parametrize("args, message", [
    (["--rules", "money,nope"], "unknown rules"),
    (["--base-url", "http://127.0.0.1:9"], "--token is required"),
    (["--contract", "/nonexistent/openapi.json"], "no such file"),
    (["--profile", "huge"], "invalid choice"),
    (["--check", "check_replay_posts_onc"], "no check named check_replay_posts_onc"),
])
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    status, output, _ = run_cli(*args)
    assert status == cli.EXIT_NOTHING_RAN == 2
    assert message in output


def test_version_and_exit_codes_in_help() -> None:
    status, output, _ = run_cli("--version")
    assert status == 0 and output.strip() == f"ledgerhq-conformance {VERSION}"
    status, output, _ = run_cli("--help")
    assert status == 0
    for line in ("0  every check passed", "1  violations", "2  usage error", "3  could not start"):
        assert line in output


def test_unreachable_url_exits_3_with_one_sentence() -> None:
    status, output, seconds = run_cli("--base-url", f"http://127.0.0.1:{free_port()}", "--token", "mcp_at_x")
    assert status == cli.EXIT_COULD_NOT_START == 3, output
    assert seconds < PREFLIGHT_WAIT_S_MAX
    assert len(output.strip().splitlines()) == 1 and output.startswith("Cannot reach http://127.0.0.1:"), output
    assert "--base-url" in output


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox() as running:
        yield running


@pytest.mark.slow
def test_wrong_token_exits_3_with_one_sentence(sandbox: Sandbox) -> None:
    status, output, seconds = run_cli("--base-url", sandbox.base_url, "--token", "mcp_at_not_a_real_token")
    assert status == 3 and seconds < PREFLIGHT_WAIT_S_MAX, output
    assert len(output.strip().splitlines()) == 1 and "refused the credential (401" in output, output
    assert "--token" in output and "mcp_at_not_a_real_token" not in output


@pytest.mark.slow
def test_unreachable_company_exits_3_with_one_sentence(sandbox: Sandbox) -> None:
    token = sandbox.credentials["accessToken"]
    status, output, seconds = run_cli("--base-url", sandbox.base_url, "--token", token, "--company-id", "cmp_absent")
    assert status == 3 and seconds < PREFLIGHT_WAIT_S_MAX, output
    assert len(output.strip().splitlines()) == 1 and "Company cmp_absent is not reachable" in output, output
    assert token not in output


@pytest.mark.slow
def test_preflight_passes_a_good_sandbox_and_names_an_empty_company_list(sandbox: Sandbox) -> None:
    config = RunConfig(base_url=sandbox.base_url, token=sandbox.credentials["accessToken"])
    assert preflight(config) is None
    empty = httpx.Response(200, json={"data": [], "nextCursor": None})
    with httpx.Client() as client:
        problem = company_problem(client, config, empty)
    assert problem.startswith("The credential reaches no company") and problem.count(". ") == 0


def test_symptoms_of_already_reported_violations() -> None:
    assert symptom_of(exchange(200, '{"balanceCents": 12.5}')) == MONEY
    assert symptom_of(exchange(200, '{"balanceCents": 1250}')) is None
    assert symptom_of(exchange(400, '{"error": "Bad request"}')) == UNSHAPED
    assert symptom_of(exchange(400, '{"error": {"code": "VALIDATION_ERROR", "message": "m"}}')) is None
    assert symptom_of(exchange(401, '{"error": {"code": "UNAUTHORIZED", "message": "m"}}')) == CREDENTIAL
    # a 401 for a credential the check made up on purpose is that check's business
    assert symptom_of(exchange(401, '{"error": {"code": "UNAUTHORIZED", "message": "m"}}', token="bad")) is None


def failure(kind, rule: str, check: str, seen: Exchange, message: str = "m"):
    made = kind(message, seen)
    made.rule, made.check = rule, check
    return made


def test_failures_are_grouped_under_their_first_cause() -> None:
    floats = exchange(200, '{"data": [{"balanceCents": 1.0}]}', path="/api/v1/accounts")
    money = failure(MoneyNotInteger, "R1", "check_response_money_is_integer", floats)
    replay = failure(LedgerMismatch, "R2", "check_replay_posts_once", floats)
    replay_too = failure(LedgerMismatch, "R2", "check_replay_posts_once", exchange(201, "{}"))
    replay_too.symptom = MONEY           # its check read the floats while setting up
    other = failure(WrongStatus, "R6", "check_limit_bounds", exchange(200, "{}"))
    other_again = failure(WrongStatus, "R6", "check_limit_bounds", exchange(200, "{}", path="/y"))
    causes = root_causes([replay, money, replay_too, other, other_again])
    assert [cause.head.check for cause in causes] == ["check_response_money_is_integer", "check_limit_bounds"]
    assert causes[0].dependents == [replay, replay_too]
    assert causes[1].occurrences == [other_again] and len(causes[1].operations) == 2
    assert "2 more failure(s) in R2 come from it" in causes[0].headline()


def test_redactor_names_every_secret() -> None:
    redact = Redactor({"mcp_at_secret_1": "$TOKEN", "dk_live_key": "$API_KEY"})
    text = redact('Bearer mcp_at_secret_1 {"secret": "whsec_0123abcdef"} dk_live_key')
    assert text == 'Bearer $TOKEN {"secret": "whsec_<redacted>"} $API_KEY'
    assert redact.deep({"a": ["mcp_at_secret_1"]}) == {"a": ["$TOKEN"]}


def test_table_never_cuts_an_operation_name() -> None:
    import io
    long_name = "GET /api/v1/companies/{companyId}/bank-accounts/{bankAccountId}/transactions/{transactionId}"
    out = io.StringIO()
    print_table([Outcome("lists", "R6", "check_pages_cover_every_item_once", long_name, PASS, 0.1)], out)
    assert long_name in out.getvalue()
