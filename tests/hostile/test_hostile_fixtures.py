"""Fixture files posted to the sandbox are data, not a bomb: aliases, deep nesting and too many
values are refused at once (400), an oversized file is 413, against a live server; the data
is unchanged. A file given at start-up keeps its aliases (the operator's own)."""
from __future__ import annotations

import datetime as dt

import httpx
import pytest

from mock_server.fixture_upload import UPLOAD_DEPTH_MAX, UPLOAD_NODES_MAX
from mock_server.ledger import load_sandbox_text
from mock_server.ledger.fixtures import DEFAULT_FIXTURE_PATH
from tests.hostile.conftest import under_attack
from tests.hostile.targets import TOKEN, assert_refused, books

YAML = {**TOKEN, "Content-Type": "application/x-yaml"}
FIXTURES = "/api/v1/sandbox/fixtures"
ALIAS_BOMB = "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + "".join(
    f"{name}: &{name} [{','.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi"))
MERGE_BOMB = "a: &a {x: 1, y: 2}\n" + "".join(
    f"{name}: &{name} {{<<: [{','.join([f'*{previous}'] * 9)}]}}\n"
    for previous, name in zip("abcdefgh", "bcdefghi"))


def deep_yaml(depth: int) -> str:
    return "firms:\n" + "".join("  " * level + "- \n" for level in range(1, depth + 1))


CASES = {
    "alias bomb": (ALIAS_BOMB, "anchors or aliases"),
    "merge-key bomb": (MERGE_BOMB, "anchors or aliases"),
    "deep block nesting": (deep_yaml(UPLOAD_DEPTH_MAX + 5), f"deeper than {UPLOAD_DEPTH_MAX}"),
    "deep flow nesting": ("firms: " + "[" * 200 + "]" * 200 + "\n", f"deeper than {UPLOAD_DEPTH_MAX}"),
    "deep JSON text": ('{"firms": ' + "[" * 5_000 + "]" * 5_000 + "}", f"deeper than {UPLOAD_DEPTH_MAX}"),
    "too many values": ("firms: [" + ",".join(["0"] * (UPLOAD_NODES_MAX + 1)) + "]\n",
                        f"more than {UPLOAD_NODES_MAX}"),
    "lone surrogate in JSON text": ('{"firms": [], "companies": [{"id": "cmp_\\ud800"}]}', "lone surrogate"),
    "lone surrogate in YAML": ('firms: []\ncompanies: [{id: "cmp_\\ud800"}]\n', "cannot parse"),
}


def test_the_bomb_is_small() -> None:
    assert len(ALIAS_BOMB.encode()) < 400 and len(MERGE_BOMB.encode()) < 400


@pytest.mark.parametrize("name", CASES)
def test_a_hostile_fixture_file_is_400_and_the_data_unchanged(live, name: str) -> None:
    text, issue = CASES[name]
    with live.client() as client:
        before = books(client)
        with httpx.Client(base_url=live.base_url, timeout=30.0) as plain:
            response = under_attack(live, lambda: plain.post(FIXTURES, content=text.encode(), headers=YAML))
        error = assert_refused(response)
        assert issue in error["message"], error
        assert books(client) == before


def test_a_fixture_file_past_the_body_limit_is_413(live) -> None:
    text = "firms: []\ncompanies: []\n# " + "x" * (1024 * 1024) + "\n"
    with live.client() as client:
        before = books(client)
        with httpx.Client(base_url=live.base_url, timeout=30.0) as plain:
            response = under_attack(live, lambda: plain.post(FIXTURES, content=text.encode(), headers=YAML))
        assert_refused(response, 413, "PAYLOAD_TOO_LARGE")
        assert books(client) == before


def test_a_fixture_file_given_at_start_up_may_use_aliases() -> None:
    text = DEFAULT_FIXTURE_PATH.read_text(encoding="utf-8")
    aliased = text.replace("version: 1\n", "version: &v 1\nx-version: *v\n", 1)
    assert aliased != text
    sandbox = load_sandbox_text(aliased, dt.datetime(2026, 6, 30, tzinfo=dt.timezone.utc))
    assert "cmp_brightpixel" in sandbox.companies
