"""A real sandbox process on 127.0.0.1 with `--state`, started, stopped and killed by pid."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

STARTUP_WAIT_S = 60.0           # generous: the machine may be shared
STOP_WAIT_S = 30.0
POLL_S = 0.05
STOPPED_CODES = (0, -signal.SIGTERM)     # uvicorn re-raises SIGTERM after its shutdown
TOKEN = "mcp_at_sandbox_summit_firm_token"
COMPANY_ID = "cmp_brightpixel"
ORGANIZATION_ID = "org_brightpixel"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SandboxProcess:
    def __init__(self, state: Path, log: Path, *extra: str) -> None:
        self.state, self.log, self.extra = state, log, extra
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> "SandboxProcess":
        """Start and wait until /api/health answers (bounded); returns self."""
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "mock_server.cli", "serve", "--host", "127.0.0.1",
                 "--port", str(self.port), "--state", str(self.state), "--webhook-hosts", "127.0.0.1",
                 *self.extra],
                stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ))
        deadline = time.monotonic() + STARTUP_WAIT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the sandbox exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.base_url}/api/health", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(POLL_S)
        self.kill()
        raise RuntimeError("the sandbox did not answer /api/health in time")

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(STOP_WAIT_S)

    def stop(self) -> None:
        """A graceful stop (SIGTERM, the lifespan's shutdown runs)."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            self.process.wait(STOP_WAIT_S)
        assert self.process is None or self.process.returncode in STOPPED_CODES, \
            (self.process.returncode, self.log.read_text()[-2000:])

    def client(self, **headers: str) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=30.0,
                            headers={"Authorization": f"Bearer {TOKEN}", **headers})


def all_entries(client: httpx.Client) -> list[dict]:
    """Every journal entry of the company, walking the pages (bounded)."""
    found, cursor = [], None
    for _ in range(10_000):
        params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        page = client.get(f"/api/v1/companies/{COMPANY_ID}/journal-entries", params=params)
        assert page.status_code == 200, page.text
        found.extend(page.json()["data"])
        cursor = page.json().get("nextCursor")
        if not cursor:
            return found
    raise AssertionError("too many pages")


def trial_balance(client: httpx.Client) -> dict:
    response = client.get(f"/api/v1/companies/{COMPANY_ID}/reports/trial-balance")
    assert response.status_code == 200, response.text
    return response.json()
