"""End-to-end fixtures: a live sandbox over HTTP and real webhook receivers."""
from __future__ import annotations

from typing import Callable, Iterator

import pytest

from tests.e2e.live_server import LiveSandbox, start_sandbox
from tests.webhooks.webhook_receiver import Receiver

RETRY_BASE_S = 0.05     # retries after 0.05, 0.1, 0.2, ... s


@pytest.fixture
def live() -> Iterator[LiveSandbox]:
    sandbox = start_sandbox(webhook_retry_base_s=RETRY_BASE_S)
    try:
        yield sandbox
    finally:
        sandbox.stop()


@pytest.fixture
def receiver_factory() -> Iterator[Callable[[list[int | str]], Receiver]]:
    receivers: list[Receiver] = []

    def make(script: list[int | str]) -> Receiver:
        receivers.append(Receiver(script))
        return receivers[-1]

    yield make
    for receiver in receivers:
        receiver.close()
