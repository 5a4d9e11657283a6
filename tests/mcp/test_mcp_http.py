"""The MCP server over HTTP on 127.0.0.1 with the SDK's own client (R10): the same books as REST,
behind the same OAuth, with the same errors."""
from __future__ import annotations

import json
import threading
import time
from typing import Iterator

import httpx
import pytest

from ledgerhq_contract import load_contract
from tests.e2e.live_server import LiveSandbox, start_sandbox
from tests.e2e.partner_api import CLIENT_ID, REDIRECT_URI, authorize_query, pkce_pair, redirect_query
from tests.mcp.mcp_client import call_tool, run

pytestmark = pytest.mark.slow
COMPANY_ID = "cmp_brightpixel"
OTHER_FIRM_COMPANY_ID = "cmp_cedarplumbing"
FIXTURE_TOKEN = "mcp_at_sandbox_summit_firm_token"
JOBS = {"list_companies", "list_accounts", "list_journal_entries", "run_report", "post_journal_entry",
        "list_bank_transactions", "reclassify_bank_transaction"}
HELD_POLLS_MAX = 500
WRITING_TOOLS = {"post_journal_entry", "reclassify_bank_transaction"}
ENTRY = {"date": "2026-06-09", "description": "Office chairs",
         "lines": [{"accountId": "acc_bp_office_supplies", "debitCents": 12345},
                   {"accountId": "acc_bp_checking", "creditCents": 12345}]}


@pytest.fixture(scope="module")
def live() -> Iterator[LiveSandbox]:
    sandbox = start_sandbox(webhook_retry_base_s=0.05, own_public_url=True)
    try:
        yield sandbox
    finally:
        sandbox.stop()


@pytest.fixture(scope="module")
def mcp_url(live: LiveSandbox) -> str:
    return live.base_url + "/api/mcp"


def pkce_token(base_url: str, resource: str | None) -> str:
    verifier, challenge = pkce_pair()
    extra = {"resource": resource} if resource else {}
    with httpx.Client(base_url=base_url, timeout=10.0) as http:
        query = redirect_query(http.get("/api/oauth/authorize", params=authorize_query(challenge, "s1", **extra)))
        answer = http.post("/api/oauth/token", data={
            "grant_type": "authorization_code", "code": query["code"], "redirect_uri": REDIRECT_URI,
            "client_id": CLIENT_ID, "code_verifier": verifier, **extra})
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


def trial_balance(live: LiveSandbox, token: str) -> dict:
    answer = httpx.get(f"{live.base_url}/api/v1/companies/{COMPANY_ID}/reports/trial-balance",
                       headers={"Authorization": f"Bearer {token}"}, timeout=10.0)
    assert answer.status_code == 200, answer.text
    return answer.json()


def office_supplies_debit_cents(report: dict) -> int:
    return next(row["debitCents"] for row in report["rows"] if row["accountId"] == "acc_bp_office_supplies")


def test_a_pkce_token_posts_through_the_tool_and_rest_sees_it_once(live, mcp_url) -> None:
    token = pkce_token(live.base_url, mcp_url)
    listed = run(mcp_url, token, lambda client: client.list_tools())
    tools = {tool.name: tool for tool in listed.tools}
    assert JOBS <= set(tools)
    assert all(tools[name].annotations.read_only_hint is (name not in WRITING_TOOLS) for name in JOBS)
    before = office_supplies_debit_cents(trial_balance(live, FIXTURE_TOKEN))
    arguments = {"companyId": COMPANY_ID, "idempotencyKey": "mcp-test-chairs-1", **ENTRY}
    first = call_tool(mcp_url, token, "post_journal_entry", arguments)
    assert not first.is_error, first.content
    receipt = first.structured_content
    assert receipt["journalEntryId"].startswith("je_") and receipt["replayed"] is False
    assert office_supplies_debit_cents(trial_balance(live, FIXTURE_TOKEN)) == before + 12345
    again = call_tool(mcp_url, token, "post_journal_entry", arguments)
    assert again.structured_content == {**receipt, "replayed": True}
    assert office_supplies_debit_cents(trial_balance(live, FIXTURE_TOKEN)) == before + 12345
    reused = call_tool(mcp_url, token, "post_journal_entry", {**arguments, "description": "Desks"})
    assert reused.is_error and reused.structured_content["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    entries = call_tool(mcp_url, token, "list_journal_entries", {"companyId": COMPANY_ID, "limit": 200})
    assert sum(entry["id"] == receipt["journalEntryId"] for entry in entries.structured_content["data"]) == 1


def test_the_other_firms_company_is_a_tool_error_never_rows(mcp_url) -> None:
    for name, extra in (("list_accounts", {}), ("run_report", {"report": "trial_balance"}),
                        ("post_journal_entry", {"idempotencyKey": "mcp-test-foreign", **ENTRY})):
        refused = call_tool(mcp_url, FIXTURE_TOKEN, name, {"companyId": OTHER_FIRM_COMPANY_ID, **extra})
        assert refused.is_error, name
        assert refused.structured_content["error"]["code"] == "NOT_FOUND"
        assert "data" not in refused.structured_content and "rows" not in refused.structured_content


def test_a_domain_error_carries_the_rest_code_and_message(live, mcp_url) -> None:
    unbalanced = {**ENTRY, "lines": [{**ENTRY["lines"][0], "debitCents": 500}, ENTRY["lines"][1]]}
    rest = httpx.post(f"{live.base_url}/api/v1/companies/{COMPANY_ID}/journal-entries", json=unbalanced,
                      headers={"Authorization": f"Bearer {FIXTURE_TOKEN}", "Idempotency-Key": "rest-unbalanced"})
    tool = call_tool(mcp_url, FIXTURE_TOKEN, "post_journal_entry",
                     {"companyId": COMPANY_ID, "idempotencyKey": "mcp-unbalanced", **unbalanced})
    assert rest.status_code == 422 and tool.is_error
    expected = {key: rest.json()["error"][key] for key in ("code", "message", "retryable")}
    assert {key: tool.structured_content["error"][key] for key in expected} == expected
    assert expected["code"] == "UNBALANCED_ENTRY"
    for cents in ("12345", 12.5, True):      # R1: the same refusals as REST
        lines = [{**ENTRY["lines"][0], "debitCents": cents}, ENTRY["lines"][1]]
        bad = call_tool(mcp_url, FIXTURE_TOKEN, "post_journal_entry",
                        {"companyId": COMPANY_ID, "idempotencyKey": f"mcp-bad-{cents}", **ENTRY, "lines": lines})
        assert bad.is_error and bad.structured_content["error"]["code"] == "VALIDATION_ERROR", cents


def test_a_key_in_flight_on_rest_is_in_use_for_the_tool(live, mcp_url) -> None:
    key = "shared-in-flight-1"
    posted = {}

    def post_slowly() -> None:
        posted["answer"] = httpx.post(
            f"{live.base_url}/api/v1/companies/{COMPANY_ID}/journal-entries", json=ENTRY, timeout=10.0,
            headers={"Authorization": f"Bearer {FIXTURE_TOKEN}", "Idempotency-Key": key, "Prefer": "delay=3000"})
    slow = threading.Thread(target=post_slowly)
    slow.start()
    try:
        for _ in range(HELD_POLLS_MAX):            # until the REST request holds the key
            if live.service.idempotency.in_flight(COMPANY_ID, key):
                break
            time.sleep(0.01)
        busy = call_tool(mcp_url, FIXTURE_TOKEN, "post_journal_entry",
                         {"companyId": COMPANY_ID, "idempotencyKey": key, **ENTRY})
        assert busy.structured_content["error"]["code"] == "IDEMPOTENCY_KEY_IN_USE"
        assert busy.structured_content["error"]["retryable"] is True
    finally:
        slow.join(10)
    replay = call_tool(mcp_url, FIXTURE_TOKEN, "post_journal_entry",
                       {"companyId": COMPANY_ID, "idempotencyKey": key, **ENTRY})
    assert replay.structured_content["journalEntryId"] == posted["answer"].json()["journalEntryId"]
    assert replay.structured_content["replayed"] is True


def test_without_a_token_401_and_the_metadata_chain_reaches_the_token_endpoint(live, mcp_url) -> None:
    with httpx.Client(timeout=10.0) as http:
        refused = http.post(mcp_url, json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
                            headers={"Accept": "application/json, text/event-stream"})
        assert refused.status_code == 401
        challenge = refused.headers["www-authenticate"]
        assert challenge.startswith("Bearer ") and 'resource_metadata="' in challenge
        metadata_url = challenge.split('resource_metadata="')[1].split('"')[0]
        assert metadata_url == live.base_url + "/.well-known/oauth-protected-resource/api/mcp"
        resource = http.get(metadata_url).json()
        assert resource["resource"] == mcp_url
        issuer = resource["authorization_servers"][0].rstrip("/")
        server = http.get(issuer + "/.well-known/oauth-authorization-server").json()
        assert server["issuer"] == issuer == live.base_url
        assert server["token_endpoint"] == live.base_url + "/api/oauth/token"
        assert server["code_challenge_methods_supported"] == ["S256"]


def test_only_oauth_tokens_for_this_resource_open_it(live, mcp_url) -> None:
    rest_only = pkce_token(live.base_url, live.base_url + "/api/v1")
    with httpx.Client(timeout=10.0) as http:
        for headers in ({"Authorization": "Bearer dk_live_sandbox_brightpixel_key",
                         "x-organization-id": "org_brightpixel"},
                        {"Cookie": "ledgerhq_session=sess_sandbox_summit_owner"},
                        {"Authorization": f"Bearer {rest_only}"},
                        {"Authorization": "Bearer mcp_at_unknown"}):
            answer = http.post(mcp_url, json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"}, headers=headers)
            assert answer.status_code == 401, headers
    assert httpx.get(live.base_url + "/api/v1/companies", timeout=10.0,
                     headers={"Authorization": f"Bearer {rest_only}"}).status_code == 200
    unbound = pkce_token(live.base_url, None)
    assert not call_tool(mcp_url, unbound, "list_companies", {}).is_error


def test_every_revision_the_sdk_serves_is_negotiated(mcp_url) -> None:
    assert run(mcp_url, FIXTURE_TOKEN, lambda client: _version(client)) == "2026-07-28"
    assert run(mcp_url, FIXTURE_TOKEN, lambda client: _version(client), mode="legacy") == "2025-11-25"


async def _version(client) -> str:
    return client.protocol_version


def test_reports_and_reclassify_go_through_the_same_books(live, mcp_url) -> None:
    listed = call_tool(mcp_url, FIXTURE_TOKEN, "list_bank_transactions", {"companyId": COMPANY_ID, "limit": 200})
    feed_row = next(row for row in listed.structured_content["data"] if row["id"] == "btx_bp_feed_020")
    changed = call_tool(mcp_url, FIXTURE_TOKEN, "reclassify_bank_transaction", {
        "companyId": COMPANY_ID, "bankTransactionId": feed_row["id"], "accountId": "acc_bp_office_supplies"})
    assert not changed.is_error, changed.content
    assert changed.structured_content["categoryAccountId"] == "acc_bp_office_supplies"
    report = call_tool(mcp_url, FIXTURE_TOKEN, "run_report", {"companyId": COMPANY_ID, "report": "trial_balance"})
    assert report.structured_content == trial_balance(live, FIXTURE_TOKEN)
    backwards = call_tool(mcp_url, FIXTURE_TOKEN, "run_report", {
        "companyId": COMPANY_ID, "report": "profit_and_loss", "startDate": "2026-06-30", "endDate": "2026-01-01"})
    assert backwards.is_error and backwards.structured_content["error"]["code"] == "VALIDATION_ERROR"


def test_a_host_that_is_not_the_sandboxs_is_refused(mcp_url) -> None:
    answer = httpx.post(mcp_url, json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"}, timeout=10.0,
                        headers={"Authorization": f"Bearer {FIXTURE_TOKEN}", "Host": "attacker.test",
                                 "Accept": "application/json, text/event-stream"})
    assert answer.status_code == 421


def test_a_tool_errors_request_id_is_the_answers_x_request_id(mcp_url) -> None:
    call = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {
        "name": "list_accounts", "arguments": {"companyId": OTHER_FIRM_COMPANY_ID}}}
    answer = httpx.post(mcp_url, json=call, timeout=10.0, headers={
        "Authorization": f"Bearer {FIXTURE_TOKEN}", "Accept": "application/json, text/event-stream"})
    result = answer.json()["result"]
    assert result["isError"] is True
    assert result["structuredContent"]["error"]["requestId"] == answer.headers["x-request-id"]
    assert json.loads(result["content"][0]["text"]) == result["structuredContent"]


def test_the_contracts_x_mcp_lists_the_tools_served(mcp_url) -> None:
    served = {tool.name: tool for tool in run(mcp_url, FIXTURE_TOKEN, lambda client: client.list_tools()).tools}
    declared = load_contract()["x-mcp"]["tools"]
    assert {tool["name"] for tool in declared} == set(served)
    for tool in declared:
        assert served[tool["name"]].annotations.read_only_hint is tool["readOnly"], tool["name"]
        assert set(tool["arguments"]) == set(served[tool["name"]].input_schema["properties"]), tool["name"]
    assert not any(path.startswith("/api/mcp") for path in load_contract()["paths"])   # never walked or fuzzed


@pytest.mark.parametrize("version", ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"])
def test_each_handshake_revision_is_served(mcp_url, version) -> None:
    initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": version, "capabilities": {}, "clientInfo": {"name": "test", "version": "1"}}}
    answer = httpx.post(mcp_url, json=initialize, timeout=10.0, headers={
        "Authorization": f"Bearer {FIXTURE_TOKEN}", "Accept": "application/json, text/event-stream"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["result"]["protocolVersion"] == version


def rest_list(live: LiveSandbox, path: str, params: dict) -> list[dict]:
    answer = httpx.get(f"{live.base_url}/api/v1/companies/{COMPANY_ID}/{path}", params={"limit": 200, **params},
                       headers={"Authorization": f"Bearer {FIXTURE_TOKEN}"}, timeout=10.0)
    assert answer.status_code == 200, answer.text
    return answer.json()["data"]


def test_the_list_tools_take_the_rest_lists_filters(live, mcp_url) -> None:
    """The MCP lists filter as the REST lists do (same parser): same rows for the same filters, and a bad
    value is the REST VALIDATION_ERROR naming the field."""
    cases = (("list_journal_entries", "journal-entries", {"status": "posted", "startDate": "2026-06-01"}),
             ("list_journal_entries", "journal-entries",
              {"updatedSince": "2020-01-01T00:00:00Z", "endDate": "2026-06-05"}),
             ("list_bank_transactions", "bank-transactions", {"status": "unreviewed"}),
             ("list_bank_transactions", "bank-transactions", {"startDate": "2026-06-03", "endDate": "2026-06-20"}))
    for tool, path, filters in cases:
        rows = call_tool(mcp_url, FIXTURE_TOKEN, tool, {"companyId": COMPANY_ID, "limit": 200, **filters})
        assert not rows.is_error, (tool, filters, rows.content)
        expected = rest_list(live, path, filters)
        assert [row["id"] for row in rows.structured_content["data"]] == [row["id"] for row in expected]
        assert len(expected) < len(rest_list(live, path, {})), f"{filters} filtered nothing: the case proves little"
    for tool, bad in (("list_journal_entries", {"status": "lost"}), ("list_bank_transactions", {"startDate": "June"})):
        refused = call_tool(mcp_url, FIXTURE_TOKEN, tool, {"companyId": COMPANY_ID, **bad})
        assert refused.is_error and refused.structured_content["error"]["code"] == "VALIDATION_ERROR", refused.content
        assert refused.structured_content["error"]["details"][0]["field"] == next(iter(bad))
