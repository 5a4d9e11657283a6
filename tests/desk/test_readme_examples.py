"""The README's curl examples work verbatim: each one, from its shell blocks and its inline code, is
run with the real `curl` against a live sandbox (only the port of http://127.0.0.1:8080 changes)
and answers 2xx; the posting sent twice is replayed."""
from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
README_ORIGIN = "http://127.0.0.1:8080"
CURL_TIMEOUT_S = 15
SHELL_BLOCK = re.compile(r"```sh\n(.*?)```", re.S)
INLINE_CURL = re.compile(r"`(curl [^`]+)`")
ORIGIN = re.compile(r"https?://[^/\s\"']+")
STATUS_MARK = "\nstatus="


def readme_curl_commands(text: str) -> list[str]:
    """Every curl command of the README sent to the sandbox (README_ORIGIN): shell-block lines
    starting with `curl` (with their continuation lines), then inline `curl ...` code."""
    commands = []
    for block in SHELL_BLOCK.findall(text):
        command = None
        for line in block.splitlines():
            if command is None and not line.startswith("curl "):
                continue
            command = line if command is None else f"{command}\n{line}"
            if not line.endswith("\\") and command.count("'") % 2 == 0:
                commands.append(command)
                command = None
    local = [command for command in commands + INLINE_CURL.findall(text)
             if set(ORIGIN.findall(command)) == {README_ORIGIN}]       # never another host
    return local


def run_curl(command: str, base_url: str) -> tuple[int, str]:
    """(status, headers and body) of `command` sent to `base_url` instead of README_ORIGIN."""
    argv = shlex.split(command.replace(README_ORIGIN, base_url).replace("\\\n", " "))
    done = subprocess.run(argv + ["-sS", "-i", "-w", STATUS_MARK + "%{http_code}"], capture_output=True,
                          text=True, timeout=CURL_TIMEOUT_S)
    assert done.returncode == 0, (command, done.stderr)
    answer, _, status = done.stdout.rpartition(STATUS_MARK)
    return int(status), answer


def test_the_readme_has_its_examples() -> None:
    commands = readme_curl_commands(README.read_text(encoding="utf-8"))
    assert len(commands) >= 6 and any("Idempotency-Key" in command for command in commands)


@pytest.mark.slow
def test_every_readme_curl_example_answers_2xx_verbatim() -> None:
    if shutil.which("curl") is None:
        pytest.skip("no curl on this machine: the README's examples are curl commands")
    from tests.e2e.live_server import start_sandbox
    commands = readme_curl_commands(README.read_text(encoding="utf-8"))
    posting = next(command for command in commands if "Idempotency-Key" in command)
    live = start_sandbox(webhook_retry_base_s=0.01, own_public_url=True)
    try:
        answers = {}
        for command in commands:         # in README order; the posting again at once (a reset drops keys)
            answers[command] = run_curl(command, live.base_url)
            if command == posting:
                replay_status, replay = run_curl(posting, live.base_url)
    finally:
        live.stop()
    failed = {command.splitlines()[0]: answer[:300] for command, (status, answer) in answers.items()
              if not 200 <= status < 300}
    assert not failed, failed
    assert replay_status == answers[posting][0] and "idempotent-replayed: true" in replay.lower()
