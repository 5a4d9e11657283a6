"""The API reference's curl examples work against the sandbox, in process and over real HTTP."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
import time
from urllib.parse import urlsplit

import httpx
import pytest
import uvicorn

from mock_server.app import create_app
from mock_server.webhooks.hosts import LOOPBACK_HOSTS
from tests.api.curl_examples import PROFIT_AND_LOSS, PURCHASE, RECLASSIFY, read_curl, sandbox_argv
from tests.support.contract_client import validate_exchange

CONTRACT_BASE_URL = "http://127.0.0.1:8080"
SERVER_START_WAIT_S = 10.0
CURL_TIMEOUT_S = 20
SUPPLIES = "acc_bp_office_supplies"


def _supplies_expense_cents(report: dict) -> int:
    return sum(a["balanceCents"] for a in report["expenses"]["accounts"] if a["accountId"] == SUPPLIES)


def _check_examples(run) -> None:
    """Run the three examples through `run(example) -> (status, headers, json)` and check their meaning."""
    status, _, before = run(PROFIT_AND_LOSS)
    assert status == 200 and (before["startDate"], before["endDate"]) == ("2026-01-01", "2026-06-30")
    status, headers, receipt = run(PURCHASE)
    assert status == 201, receipt
    assert (receipt["type"], receipt["status"], headers["idempotent-replayed"]) == ("purchase", "posted", "false")
    status, headers, replay = run(PURCHASE)
    assert (status, replay, headers["idempotent-replayed"]) == (201, receipt, "true")
    status, _, row = run(RECLASSIFY)
    assert status == 200, row
    assert (row["id"], row["categoryAccountId"], row["status"]) == ("btx_bp_feed_018", SUPPLIES, "categorized")
    status, _, after = run(PROFIT_AND_LOSS)
    assert status == 200
    assert _supplies_expense_cents(after) == _supplies_expense_cents(before) + 4299
    assert after["netIncomeCents"] == before["netIncomeCents"] - 4299


def test_curl_examples_in_process(client):
    def run(example: str):
        call = read_curl(sandbox_argv(example, CONTRACT_BASE_URL))
        response = client.request(call.method, call.url, headers=call.headers,
                                  content=call.data.encode() if call.data is not None else None)
        return response.status_code, response.headers, response.json()

    _check_examples(run)


def _free_listener() -> socket.socket:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    return listener


@pytest.fixture
def live_base_url():
    listener = _free_listener()
    server = uvicorn.Server(uvicorn.Config(create_app(webhook_hosts=LOOPBACK_HOSTS), log_level="warning",
                                           access_log=False, loop="asyncio"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + SERVER_START_WAIT_S
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the sandbox did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    server.should_exit = True
    thread.join(SERVER_START_WAIT_S)
    listener.close()


def _as_contract_exchange(call, status: int, raw_headers: list[tuple[str, str]], body: bytes) -> httpx.Response:
    """The exchange as if sent to the contract's sandbox origin, for validate_exchange."""
    path = urlsplit(call.url)
    url = f"{CONTRACT_BASE_URL}{path.path}" + (f"?{path.query}" if path.query else "")
    request = httpx.Request(call.method, url, headers=call.headers,
                            content=call.data.encode() if call.data is not None else b"")
    return httpx.Response(status, headers=raw_headers, content=body, request=request)


@pytest.mark.skipif(shutil.which("curl") is None, reason="no curl binary on this machine")
def test_curl_examples_with_the_real_curl_binary(live_base_url, tmp_path):
    def run(example: str):
        argv = sandbox_argv(example, live_base_url)
        head, body = tmp_path / "head.txt", tmp_path / "body.json"
        done = subprocess.run([*argv, "-sS", "-D", str(head), "-o", str(body), "-w", "%{http_code}"],
                              capture_output=True, text=True, timeout=CURL_TIMEOUT_S, check=True)
        lines = head.read_text().splitlines()[1:]
        raw_headers = [tuple(part.strip() for part in line.split(":", 1)) for line in lines if ":" in line]
        response = _as_contract_exchange(read_curl(argv), int(done.stdout), raw_headers, body.read_bytes())
        validate_exchange(response)
        return response.status_code, response.headers, json.loads(body.read_bytes())

    _check_examples(run)
