"""The MCP server at /api/mcp, in front of the Connexion app (R10).

The SDK costs about 0.35 s to import, half the sandbox's start-up, so it is loaded after
start-up, in the lifespan: `McpMount.running` imports and builds the server in a worker thread,
then runs its session manager (which a mounted Starlette app never starts by itself) until
shutdown. A request that arrives before that waits for it, boundedly.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from contextlib import AsyncExitStack, asynccontextmanager

from starlette.types import ASGIApp, Receive, Scope, Send

from mock_server import context, errors
from mock_server.mcp.writes import recorded_writes

MCP_PATH = "/api/mcp"
METADATA_PATH = "/.well-known/oauth-protected-resource" + MCP_PATH    # RFC 9728 section 3.1
READY_WAIT_S = 30.0
STOP_WAIT_S = 10.0
logger = logging.getLogger("ledgerhq.sandbox")


class McpMount:
    def __init__(self, service) -> None:
        self.service = service
        self.writes = None              # recorded_writes(service), once the app's recorder is attached
        self.app: ASGIApp | None = None
        self.ready = asyncio.Event()
        self.starting = False           # the lifespan ran: the server is coming

    def in_front_of(self, app: ASGIApp) -> ASGIApp:
        """`app` with the MCP paths taken out of it (and nothing else: no `Mount("/")`)."""
        async def route(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http" and scope["path"] in (MCP_PATH, METADATA_PATH):
                return await self(scope, receive, send)
            return await app(scope, receive, send)
        return route

    @asynccontextmanager
    async def running(self, _app=None):
        stop, self.ready = asyncio.Event(), asyncio.Event()     # events of this loop
        self.starting = True
        task = asyncio.create_task(self._serve(stop))
        try:
            yield
        finally:
            stop.set()
            await asyncio.wait_for(task, STOP_WAIT_S)

    async def _serve(self, stop: asyncio.Event) -> None:
        try:
            module = await asyncio.to_thread(importlib.import_module, "mock_server.mcp.server")
            server, app = module.build(self.service, self.writes or recorded_writes(self.service))
            async with server.session_manager.run():
                self.app = app
                self.ready.set()
                await stop.wait()
        except Exception:
            logger.exception("the MCP server did not start")
        finally:
            self.app = None
            self.ready.set()            # waiting requests answer 503 at once

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.app is None and self.starting:
            try:
                await asyncio.wait_for(self.ready.wait(), READY_WAIT_S)
            except asyncio.TimeoutError:
                pass
        if self.app is None:
            response = errors.error_response(
                errors.SERVICE_UNAVAILABLE, "The MCP server is not running; retry shortly.",
                context.current_request_id())
            return await response(scope, receive, send)
        await self.app(scope, receive, send)


def lifespans(*hooks):
    """One lifespan that enters every hook's, in order (each `hook(app)` an async context)."""
    @asynccontextmanager
    async def run(app):
        async with AsyncExitStack() as stack:
            for hook in hooks:
                await stack.enter_async_context(hook(app))
            yield
    return run
