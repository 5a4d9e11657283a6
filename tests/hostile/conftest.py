"""Hostile input against a real uvicorn server on 127.0.0.1 (tests/e2e/live_server.py): each
attack runs while /api/health is polled, and the books are compared before and after."""
from __future__ import annotations

import threading
import time
from typing import Callable, Iterator

import pytest

from tests.e2e.live_server import LiveSandbox, start_sandbox

BODY_WAIT_S = 1.0           # the sandbox's wait for a stalled body, short here
LIVENESS_BOUND_S = 10.0     # generous: /api/health must answer within this while under attack
ATTACK_BOUND_S = 120.0      # an attack that has not ended by then is a failure
HEALTH_POLL_S = 0.05


@pytest.fixture(scope="module")
def live() -> Iterator[LiveSandbox]:
    sandbox = start_sandbox(webhook_retry_base_s=0.05, body_wait_s=BODY_WAIT_S)
    try:
        yield sandbox
    finally:
        sandbox.stop()


def under_attack(live: LiveSandbox, attack: Callable[[], object]) -> object:
    """Run `attack` in a thread while /api/health is asked (each answer within the liveness
    bound); returns what the attack returned, re-raises what it raised."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = attack()
        except BaseException as error:       # re-raised in the test's thread
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    deadline = time.monotonic() + ATTACK_BOUND_S
    checks = 0
    with live.client() as health:
        while thread.is_alive() or checks == 0:
            assert health.get("/api/health", timeout=LIVENESS_BOUND_S).status_code == 200
            checks += 1
            assert time.monotonic() < deadline, "the attack did not end"
            thread.join(HEALTH_POLL_S)
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")
