"""End-to-end fixtures: a live sandbox over HTTP (receivers: tests/conftest.py)."""
from __future__ import annotations

from typing import Iterator

import pytest

from tests.e2e.live_server import LiveSandbox, start_sandbox

RETRY_BASE_S = 0.05     # retries after 0.05, 0.1, 0.2, ... s


@pytest.fixture
def live() -> Iterator[LiveSandbox]:
    sandbox = start_sandbox(webhook_retry_base_s=RETRY_BASE_S)
    try:
        yield sandbox
    finally:
        sandbox.stop()
