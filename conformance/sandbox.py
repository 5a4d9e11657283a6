"""Start a sandbox in a subprocess on a free 127.0.0.1 port, wait for it, stop it.

The kit never imports the sandbox: it runs the `ledgerhq-sandbox` command when one is installed."""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

HOST = "127.0.0.1"
LOOPBACK_HOSTS = "127.0.0.1,localhost,::1"     # the suite's own sandbox delivers webhooks here only
HEALTH_WAIT_S = 45.0
HEALTH_POLL_S = 0.2
STOP_WAIT_S = 10.0
SANDBOX_COMMAND = "ledgerhq-sandbox"
NO_SANDBOX = ("no `ledgerhq-sandbox` command is installed: pass --base-url (and --token) of the implementation "
              "to check, or install the sandbox with `pip install 'ledgerhq-sandbox[conformance]'`.")


class SandboxMissing(SystemExit):
    """No sandbox command to start. Uncaught, it ends the program printing NO_SANDBOX (exit status 1); the command
    line may catch it to choose its own status."""

    def __init__(self, message: str = NO_SANDBOX) -> None:
        super().__init__(message)
        self.message = message


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def sandbox_command() -> list[str]:
    """The installed `ledgerhq-sandbox` (beside this Python first, then on PATH), or SandboxMissing."""
    local = Path(sys.executable).parent / SANDBOX_COMMAND
    if local.exists():
        return [str(local)]
    found = shutil.which(SANDBOX_COMMAND)
    if found is None:
        raise SandboxMissing()
    return [found]


def sandbox_credentials() -> dict:
    done = subprocess.run(sandbox_command() + ["credentials", "--json"], capture_output=True, text=True,
                          timeout=60, check=True)
    return json.loads(done.stdout)


def wait_for_health(base_url: str, process: subprocess.Popen | None = None, wait_s: float = HEALTH_WAIT_S) -> None:
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with status {process.returncode} before answering")
        try:
            if httpx.get(f"{base_url}/api/health", timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(HEALTH_POLL_S)
    raise RuntimeError(f"{base_url}/api/health did not answer 200 within {wait_s:.0f}s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_WAIT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_WAIT_S)


class ServerProcess:
    """A server command run on a free 127.0.0.1 port, answered on /api/health, then stopped;
    its output is kept to explain a failed start."""

    def __init__(self) -> None:
        self.port = free_port()
        self.base_url = f"http://{HOST}:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self, command: list[str]) -> None:
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        try:
            wait_for_health(self.base_url, self.process)
        except RuntimeError as error:
            stop(self.process)
            self.log.seek(0)
            raise RuntimeError(f"{error}\n{self.log.read()[-2000:].decode(errors='replace')}") from None

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            stop(self.process)
            self.log.close()


class Sandbox(ServerProcess):
    """`with Sandbox() as sandbox:` gives base_url and credentials of a fresh sandbox."""

    def __init__(self, fixtures: Path | None = None) -> None:
        super().__init__()
        self.fixtures = fixtures      # None: the sandbox's own default fixtures
        self.credentials: dict = {}

    def __enter__(self) -> "Sandbox":
        self.credentials = sandbox_credentials()
        command = sandbox_command() + ["serve", "--host", HOST, "--port", str(self.port),
                                       "--webhook-hosts", LOOPBACK_HOSTS]
        if self.fixtures:
            command += ["--fixtures", str(self.fixtures)]
        self.start(command)
        return self
