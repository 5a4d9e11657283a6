"""Fixtures for webhook tests: real HTTP receivers, closed after each test."""
from __future__ import annotations

from typing import Callable, Iterator

import pytest
from webhook_receiver import Receiver


@pytest.fixture
def receiver_factory() -> Iterator[Callable[[list[int | str]], Receiver]]:
    receivers: list[Receiver] = []

    def make(script: list[int | str]) -> Receiver:
        receivers.append(Receiver(script))
        return receivers[-1]

    yield make
    for receiver in receivers:
        receiver.close()
