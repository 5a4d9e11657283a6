"""The sandbox served for real: uvicorn on 127.0.0.1 (a free port) in a background thread,
so the webhook dispatcher runs in the server's lifespan, and an httpx client whose every
response is checked against openapi.json."""
from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass

import httpx
import uvicorn

from mock_server.app import create_app
from mock_server.middleware.body_limits import BODY_WAIT_S
from mock_server.service import SandboxService
from mock_server.webhooks.hosts import LOOPBACK_HOSTS
from tests.support.contract_client import validate_exchange

STARTUP_WAIT_S = 10.0
SHUTDOWN_WAIT_S = 10.0
POLL_S = 0.02
CONTRACT_PORT = 8080


class ContractHttpClient(httpx.Client):
    """httpx client that validates every exchange (redirects are not followed)."""

    def request(self, method: str, url, *args, **kwargs) -> httpx.Response:
        kwargs.setdefault("follow_redirects", False)
        response = super().request(method, url, *args, **kwargs)
        validate_exchange(as_contract_server(response))
        return response


def as_contract_server(response: httpx.Response) -> httpx.Response:
    """The same exchange as if sent to the contract's sandbox server (127.0.0.1:8080), since
    the contract's `servers` name that origin and the live sandbox runs on a free port."""
    sent = response.request
    request = httpx.Request(sent.method, sent.url.copy_with(port=CONTRACT_PORT),
                            headers=sent.headers, content=sent.read())
    return httpx.Response(response.status_code, headers=response.headers,
                          content=response.content, request=request)


@dataclass
class LiveSandbox:
    service: SandboxService
    base_url: str
    server: uvicorn.Server
    thread: threading.Thread

    def client(self, **headers: str) -> ContractHttpClient:
        return ContractHttpClient(base_url=self.base_url, headers=headers, timeout=10.0)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(SHUTDOWN_WAIT_S)
        assert not self.thread.is_alive(), "the sandbox did not shut down"


def start_sandbox(webhook_retry_base_s: float, webhook_hosts=LOOPBACK_HOSTS,
                  body_wait_s: float = BODY_WAIT_S, own_public_url: bool = False) -> LiveSandbox:
    """Serve a fresh sandbox on a free port; returns once it answers (bounded wait). It runs
    on the asyncio loop, whose lookups and connections tests/support/loopback_guard sees.
    `own_public_url`: the OAuth and MCP metadata name this port, not the default 8080."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    public_url = {"public_url": f"http://127.0.0.1:{port}"} if own_public_url else {}
    service = SandboxService.from_fixtures(webhook_retry_base_s=webhook_retry_base_s,
                                           webhook_hosts=webhook_hosts, **public_url)
    config = uvicorn.Config(create_app(service=service, body_wait_s=body_wait_s), log_level="warning",
                            lifespan="on", access_log=False, loop="asyncio")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_WAIT_S
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            server.should_exit = True
            raise RuntimeError("the sandbox did not start within "
                               f"{STARTUP_WAIT_S:g} s on port {port}")
        time.sleep(POLL_S)
    return LiveSandbox(service, f"http://127.0.0.1:{port}", server, thread)
