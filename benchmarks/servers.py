"""The servers a bench run drives: each a process on a free 127.0.0.1 port, pinned to the
server core when there are two, ready once its health route answers 200."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass

SERVER_CORE = 0
LOAD_CORE = 1
STARTUP_WAIT_S = 90.0
POLL_S = 0.01
STOP_WAIT_S = 20.0
PROCESSES_MAX = 64


def cores() -> tuple[int | None, int | None]:
    """(server core, load core), or (None, None) when the two cannot be kept apart."""
    if shutil.which("taskset") and len(os.sched_getaffinity(0)) >= 2 and {SERVER_CORE, LOAD_CORE} <= os.sched_getaffinity(0):
        return SERVER_CORE, LOAD_CORE
    return None, None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    port: int
    startup_s: float        # process start to the first 200 from the health route

    def cpu_s(self) -> float:
        """CPU seconds the server's processes (it and what it forked) have used so far."""
        return tree_cpu_s(self.process.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_WAIT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_WAIT_S)


def tree_cpu_s(pid: int) -> float:
    total, pending, seen = 0.0, [pid], set()
    while pending and len(seen) < PROCESSES_MAX:
        current = pending.pop()
        seen.add(current)
        try:
            with open(f"/proc/{current}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    pending += [int(child) for child in handle.read().split() if int(child) not in seen]
        except (OSError, ValueError):
            continue
    return total


def healthy(port: int, path: str) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=1) as answer:
            return answer.status == 200
    except OSError:
        return False


def start(name: str, command: list[str], port: int, health_path: str = "/api/health",
          wait_s: float = STARTUP_WAIT_S, pin: bool = True) -> Server:
    core = cores()[0] if pin else None
    pinned = ["taskset", "-c", str(core), *command] if core is not None else command
    started = time.perf_counter()
    process = subprocess.Popen(pinned, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while time.perf_counter() - started < wait_s:
        if healthy(port, health_path):
            return Server(name, process, port, time.perf_counter() - started)
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with status {process.returncode} before answering")
        time.sleep(POLL_S)
    process.kill()
    process.wait(timeout=STOP_WAIT_S)
    raise RuntimeError(f"{name} did not answer {health_path} within {wait_s:g} s")


def sandbox_command(port: int, *options: str) -> list[str]:
    return [sys.executable, "-m", "mock_server.cli", "serve", "--port", str(port), *options]


def bare_command(port: int) -> list[str]:
    return [sys.executable, "-m", "benchmarks.bare_asgi", str(port)]


def bare_connexion_command(port: int) -> list[str]:
    return [sys.executable, "-m", "benchmarks.bare_connexion", str(port)]


def start_sandbox(port: int, *options: str) -> subprocess.Popen:
    """A sandbox process on `port`, not pinned, once healthy (what soak.py drives)."""
    return start("sandbox", sandbox_command(port, *options), port, pin=False).process
