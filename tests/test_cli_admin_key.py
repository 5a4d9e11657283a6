"""The admin key on the command line: `credentials --json` lists it when it is set (flag or
environment), and says null when `serve` will make one up; a bad key is refused."""
from __future__ import annotations

import json

import pytest

from mock_server import cli, control_scope


def credentials_json(capsys, *argv: str) -> dict:
    assert cli.main(["credentials", "--json", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def test_credentials_list_the_admin_key_when_it_is_set(capsys, monkeypatch) -> None:
    monkeypatch.delenv(control_scope.ADMIN_KEY_ENV, raising=False)
    assert credentials_json(capsys)["adminKey"] is None
    assert credentials_json(capsys, "--admin-key", "lhq_admin_from_the_flag")["adminKey"] == "lhq_admin_from_the_flag"
    monkeypatch.setenv(control_scope.ADMIN_KEY_ENV, "lhq_admin_from_the_environment")
    listed = credentials_json(capsys)
    assert listed["adminKey"] == "lhq_admin_from_the_environment"
    assert listed["accessToken"] == "mcp_at_sandbox_summit_firm_token"


def test_the_admin_key_is_given_from_the_environment_or_made_up(monkeypatch) -> None:
    monkeypatch.delenv(control_scope.ADMIN_KEY_ENV, raising=False)
    made = {control_scope.admin_key_from() for _ in range(3)}
    assert len(made) == 3 and all(key.startswith("lhq_admin_") for key in made)
    monkeypatch.setenv(control_scope.ADMIN_KEY_ENV, "lhq_admin_from_the_environment")
    assert control_scope.admin_key_from() == "lhq_admin_from_the_environment"
    assert control_scope.admin_key_from("lhq_admin_given_wins") == "lhq_admin_given_wins"
    for bad in ("short", "has a space in it ok", "x" * 300):
        with pytest.raises(ValueError):
            control_scope.admin_key_from(bad)
    assert cli.ADMIN_KEY_ENV == control_scope.ADMIN_KEY_ENV
