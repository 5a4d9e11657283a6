"""R10 MCP: the MCP endpoint at /api/mcp, checked through the SDK's own client: the 401 chain and
its metadata, tools covering the jobs, a posting through the tool that the REST trial balance shows
once (replay included), and another firm's company refused."""
from __future__ import annotations

import httpx

from conformance.books import expect_deltas, own_balances
from conformance.failures import AuthNotEnforced, ContractBreach, DataLeaked, ReplayDiffers, Skip
from conformance.http import new_idempotency_key
from conformance.mcp_client import call_tool, list_tools, mcp_url
from conformance.registry import rule_check
from conformance.suite import Suite

JOBS = ("list_companies", "list_accounts", "list_journal_entries", "run_report", "post_journal_entry",
        "list_bank_transactions", "reclassify_bank_transaction")
WRITING_JOBS = frozenset({"post_journal_entry", "reclassify_bank_transaction"})
POSTING_CENTS = 4321
LIST_TOOLS_REQUEST = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
HTTP_TIMEOUT_S = 15.0


def token(suite: Suite) -> str:
    return suite.config.mcp_token or suite.config.token


def unauthenticated(suite: Suite) -> httpx.Response:
    return httpx.post(mcp_url(suite.config.base_url), json=LIST_TOOLS_REQUEST, timeout=HTTP_TIMEOUT_S,
                      headers={"Accept": "application/json, text/event-stream"})


def metadata_url(response: httpx.Response) -> str | None:
    challenge = response.headers.get("www-authenticate", "")
    if 'resource_metadata="' not in challenge:
        return None
    return challenge.split('resource_metadata="', 1)[1].split('"', 1)[0]


@rule_check()
def check_mcp_without_token_is_401(suite: Suite) -> None:
    answer = unauthenticated(suite)
    if answer.status_code != 401 or not answer.headers.get("www-authenticate", "").startswith("Bearer"):
        raise AuthNotEnforced(f"tools/list without a token answered {answer.status_code}, expected 401 "
                              f"with WWW-Authenticate: Bearer", operation=f"POST {mcp_url(suite.config.base_url)}")


@rule_check()
def check_mcp_metadata_leads_to_the_token_endpoint(suite: Suite) -> None:
    where = metadata_url(unauthenticated(suite))
    if where is None:
        raise ContractBreach("the 401 challenge names no resource_metadata (RFC 9728)", operation="POST /api/mcp")
    resource = httpx.get(where, timeout=HTTP_TIMEOUT_S).json()
    servers = resource.get("authorization_servers") if isinstance(resource, dict) else None
    if not servers or not isinstance(servers[0], str):
        raise ContractBreach(f"{where} names no authorization server: {resource!r:.300}", operation=f"GET {where}")
    issuer = servers[0].rstrip("/")
    server = httpx.get(issuer + "/.well-known/oauth-authorization-server", timeout=HTTP_TIMEOUT_S).json()
    if not isinstance(server, dict) or not str(server.get("token_endpoint", "")).startswith(("http://", "https://")):
        raise ContractBreach(f"{issuer}'s RFC 8414 metadata has no token_endpoint", operation=f"GET {issuer}")
    if "S256" not in (server.get("code_challenge_methods_supported") or []):
        raise ContractBreach(f"{issuer}'s metadata does not advertise PKCE S256", operation=f"GET {issuer}")


@rule_check()
def check_mcp_tools_cover_the_jobs(suite: Suite) -> None:
    tools = {tool.name: tool for tool in list_tools(mcp_url(suite.config.base_url), token(suite))}
    missing = [name for name in JOBS if name not in tools]
    if missing:
        raise ContractBreach(f"tools/list lacks {', '.join(missing)}", operation="tools/list")
    wrong = [name for name in JOBS if name not in WRITING_JOBS
             and not (tools[name].annotations and tools[name].annotations.read_only_hint)]
    if wrong:
        raise ContractBreach(f"read-only tools not annotated readOnlyHint: {', '.join(wrong)}",
                             operation="tools/list")


@rule_check()
def check_mcp_posting_shows_once_in_rest(suite: Suite) -> None:
    debit_id, credit_id = list(suite.world.accounts.values())[:2]
    arguments = {"companyId": suite.world.company_id, "idempotencyKey": new_idempotency_key(),
                 "date": suite.world.day.isoformat(), "description": "conformance R10",
                 "lines": [{"accountId": debit_id, "debitCents": POSTING_CENTS},
                           {"accountId": credit_id, "creditCents": POSTING_CENTS}]}
    url = mcp_url(suite.config.base_url)
    before = own_balances(suite)
    first = call_tool(url, token(suite), "post_journal_entry", arguments)
    if first.is_error or not isinstance(first.structured, dict):
        raise ContractBreach(f"post_journal_entry failed: {first.text[:300]}", operation="tools/call")
    moved = {debit_id: POSTING_CENTS, credit_id: -POSTING_CENTS}
    expect_deltas(suite, before, moved, None, "a posting through the MCP tool")
    again = call_tool(url, token(suite), "post_journal_entry", arguments)
    expect_deltas(suite, before, moved, None, "the same tool call replayed with its idempotency key")
    first_id = first.structured.get("journalEntryId")
    if again.is_error or not isinstance(again.structured, dict) or again.structured.get("journalEntryId") != first_id:
        raise ReplayDiffers(f"the replay answered {again.text[:300]}, not entry {first_id}", operation="tools/call")


@rule_check()
def check_mcp_other_firms_company_refused(suite: Suite) -> None:
    other_token = suite.config.other_token
    if not other_token:
        raise Skip("no --other-token: another firm's credential is needed")
    url = mcp_url(suite.config.base_url)
    for name, extra in (("list_accounts", {}), ("run_report", {"report": "trial_balance"})):
        answer = call_tool(url, other_token, name, {"companyId": suite.world.company_id, **extra})
        if not answer.is_error:
            raise DataLeaked(f"{name} answered another firm's company: {answer.text[:300]}",
                             operation="tools/call")
