"""The MCP endpoint as the kit sees it (R10): the SDK's own client over Streamable HTTP, driven
from the suite's synchronous checks, one bounded connection per call."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

MCP_PATH = "/api/mcp"
CALL_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class ToolAnswer:
    is_error: bool
    structured: Any           # the structured content, or None
    text: str                 # the text content, joined

    @property
    def error_code(self) -> str | None:
        error = self.structured.get("error") if isinstance(self.structured, dict) else None
        return error.get("code") if isinstance(error, dict) else None


def mcp_url(base_url: str) -> str:
    return base_url.rstrip("/") + MCP_PATH


async def _session(url: str, token: str, work):
    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=CALL_TIMEOUT_S)
    async with http, Client(streamable_http_client(url, http_client=http)) as client:
        return await work(client)


def _run(url: str, token: str, work):
    return asyncio.run(asyncio.wait_for(_session(url, token, work), CALL_TIMEOUT_S))


def list_tools(url: str, token: str) -> list:
    async def work(client):
        return (await client.list_tools()).tools
    return _run(url, token, work)


def call_tool(url: str, token: str, name: str, arguments: dict[str, Any]) -> ToolAnswer:
    async def work(client):
        result = await client.call_tool(name, arguments)
        text = "".join(getattr(block, "text", "") for block in result.content)
        return ToolAnswer(bool(result.is_error), result.structured_content, text)
    return _run(url, token, work)
