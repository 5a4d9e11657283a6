"""The SDK's own MCP client over HTTP, driven from synchronous tests: one connection per call."""
from __future__ import annotations

import asyncio
from typing import Any

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

CALL_TIMEOUT_S = 20.0


async def _with_client(url: str, token: str, work, mode: str = "auto"):
    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=CALL_TIMEOUT_S)
    async with http, Client(streamable_http_client(url, http_client=http), mode=mode) as client:
        return await work(client)


def run(url: str, token: str, work, mode: str = "auto"):
    return asyncio.run(asyncio.wait_for(_with_client(url, token, work, mode), CALL_TIMEOUT_S))


def call_tool(url: str, token: str, name: str, arguments: dict[str, Any]):
    return run(url, token, lambda client: client.call_tool(name, arguments))
