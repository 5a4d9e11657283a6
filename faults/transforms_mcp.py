"""Faults in the MCP endpoint (R10); each breaks one check of conformance/rules/mcp.py only."""
from __future__ import annotations

import json
import secrets

from faults.proxy import Forward, Request, Response

MCP_PATH = "/api/mcp"
DROPPED_TOOL = "reclassify_bank_transaction"


def is_mcp(request: Request) -> bool:
    return request.path == MCP_PATH


def rpc_method(request: Request) -> str | None:
    body = request.json()
    return body.get("method") if isinstance(body, dict) else None


def tool_call(request: Request) -> tuple[str | None, dict]:
    """(tool name, arguments) of a tools/call request; (None, {}) for anything else."""
    if rpc_method(request) != "tools/call":
        return None, {}
    params = request.json().get("params") or {}
    return params.get("name"), params.get("arguments") or {}


def mcp_auth_ignored(valid_token: str):
    """R10: the MCP endpoint answers without a token, as if the firm's token had been sent."""
    async def transform(request: Request, forward: Forward) -> Response:
        if is_mcp(request) and not request.header("authorization"):
            request = request.with_header("authorization", f"Bearer {valid_token}")
        return await forward(request)
    return transform


async def mcp_challenge_without_metadata(request: Request, forward: Forward) -> Response:
    """R10: the 401 challenge no longer names the protected-resource metadata (RFC 9728)."""
    response = await forward(request)
    if is_mcp(request) and response.status == 401:
        response.set_header("www-authenticate", 'Bearer realm="ledgerhq"')
    return response


async def mcp_tool_missing(request: Request, forward: Forward) -> Response:
    """R10: tools/list leaves out one of the jobs (reclassify)."""
    response = await forward(request)
    body = response.json()
    if is_mcp(request) and rpc_method(request) == "tools/list" and isinstance(body, dict):
        tools = (body.get("result") or {}).get("tools")
        if isinstance(tools, list):
            body["result"]["tools"] = [tool for tool in tools if tool.get("name") != DROPPED_TOOL]
            response.set_json(body)
    return response


async def mcp_replay_posts_twice(request: Request, forward: Forward) -> Response:
    """R10 (R2): the posting tool ignores its idempotency key: every call posts anew."""
    name, arguments = tool_call(request) if is_mcp(request) else (None, {})
    if name == "post_journal_entry" and "idempotencyKey" in arguments:
        body = request.json()
        body["params"]["arguments"]["idempotencyKey"] = "fault-" + secrets.token_hex(8)
        request = request.with_body(json.dumps(body).encode())
    return await forward(request)


def mcp_other_firm_company_answered(valid_token: str):
    """R10 (R5): a tool refused for a company outside the caller's firm answers with the firm's reach."""
    async def transform(request: Request, forward: Forward) -> Response:
        response = await forward(request)
        name, _ = tool_call(request) if is_mcp(request) else (None, {})
        result = (response.json() or {}).get("result") if name else None
        if isinstance(result, dict) and result.get("isError"):
            return await forward(request.with_header("authorization", f"Bearer {valid_token}"))
        return response
    return transform
