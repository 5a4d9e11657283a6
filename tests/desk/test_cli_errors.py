"""`ledgerhq-sandbox` as a partner runs it: bad input ends in one sentence on stderr and a
non-zero exit, never a traceback; the banner appears only once the port answers; the request
log reaches stderr; every option of both command lines says what it does and its default."""
from __future__ import annotations

import argparse
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from conformance.cli import build_parser as conformance_parser
from mock_server import cli

START_WAIT_S = 20.0
ENV = {**os.environ, "PYTHONWARNINGS": "ignore"}


def sandbox(*argv: str, timeout_s: float = 30.0) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mock_server.cli", *argv], capture_output=True, text=True,
                          timeout=timeout_s, env=ENV)


def assert_one_sentence(done: subprocess.CompletedProcess, *words: str) -> None:
    assert done.returncode != 0, done
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert all(word in lines[0] for word in words), lines
    assert "LedgerHQ sandbox on" not in done.stdout


@pytest.mark.parametrize(("argv", "words"), [
    (["serve", "--log-level", "loud"], ("--log-level", "loud")),
    (["serve", "--fixtures", "nope.yaml"], ("--fixtures", "nope.yaml")),
    (["credentials", "--fixtures", "nope.yaml"], ("nope.yaml",)),
    (["serve", "--port", "http"], ("--port",)),
    (["serve", "--log-format", "xml"], ("--log-format",)),
])
def test_bad_arguments_end_in_one_sentence(argv: list[str], words: tuple[str, ...]) -> None:
    assert_one_sentence(sandbox(*argv), *words)


def test_a_broken_fixture_file_and_bad_origins_end_in_one_sentence(tmp_path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("companies: [unclosed\n")
    assert_one_sentence(sandbox("serve", "--fixtures", str(broken)))
    assert_one_sentence(sandbox("serve", "--cors-origins", "localhost:3000"), "--cors-origins")


def test_a_busy_port_ends_in_one_sentence_without_a_banner() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        assert_one_sentence(sandbox("serve", "--port", str(port)), "already in use", str(port), "--port")


def read_until(stream, marker: str, deadline: float) -> str:
    """The process's output up to `marker` (raw reads: no buffer hides a line from select)."""
    seen, selector = b"", selectors.DefaultSelector()
    selector.register(stream, selectors.EVENT_READ)
    while marker.encode() not in seen and time.monotonic() < deadline:
        if selector.select(timeout=max(0.0, deadline - time.monotonic())):
            chunk = os.read(stream.fileno(), 65536)
            if not chunk:
                break
            seen += chunk
    return seen.decode()


def test_the_banner_comes_once_the_port_answers_requests_are_logged_and_ctrl_c_stops_it() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "mock_server.cli", "serve", "--port", str(port),
                                "--log-format", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=ENV)
    try:
        banner = read_until(process.stdout, "MCP server:", time.monotonic() + START_WAIT_S)
        assert f"LedgerHQ sandbox on http://127.0.0.1:{port}" in banner, banner
        base = f"http://127.0.0.1:{port}"
        assert httpx.get(f"{base}/api/health", timeout=5).status_code == 200     # no retry: it listens
        companies = httpx.get(f"{base}/api/v1/companies", timeout=5)
        assert companies.status_code == 401
    finally:
        process.send_signal(signal.SIGINT)          # Ctrl+C
        stderr = process.communicate(timeout=15)[1].decode()
    assert process.returncode == 0, stderr
    records = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    assert [(r["method"], r["path"], r["status"], r["errorCode"], r["requestId"]) for r in records] == [
        ("GET", "/api/v1/companies", 401, "UNAUTHORIZED", companies.headers["x-request-id"])], stderr
    assert "Traceback" not in stderr


def option_actions(parser: argparse.ArgumentParser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from option_actions(sub)
        elif action.option_strings and not isinstance(action, (argparse._HelpAction, argparse._VersionAction)):
            yield parser.prog, action


def test_every_option_has_help_with_its_default() -> None:
    actions = [*option_actions(cli.build_parser()), *option_actions(conformance_parser())]
    assert len(actions) > 25
    missing = [f"{prog} {action.option_strings[0]}" for prog, action in actions
               if not action.help or "default" not in action.help]
    assert missing == []


def test_make_help_lists_every_target_with_one_line() -> None:
    root = Path(__file__).resolve().parents[2]
    phony = next(line for line in (root / "Makefile").read_text().splitlines() if line.startswith(".PHONY:"))
    done = subprocess.run(["make", "-s", "-o", ".venv/.installed", "help"], cwd=root, capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    described = {line.split()[0]: line.split(maxsplit=1)[1] for line in done.stdout.splitlines()}
    assert set(described) == set(phony.split()[1:]), done.stdout
