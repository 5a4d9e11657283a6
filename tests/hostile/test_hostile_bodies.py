"""Hostile JSON bodies and headers, on every operation that takes a JSON body, against a live
server: each is a 400 with the structured error, /api/health answers meanwhile, and the books
are what they were."""
from __future__ import annotations

import json

import httpx
import pytest

from ledgerhq_contract import load_contract
from mock_server.middleware.body_limits import INTEGER_DIGITS_MAX, JSON_DEPTH_MAX
from tests.hostile.conftest import under_attack
from tests.hostile.targets import assert_refused, body_targets, books, first_string_field

TARGETS = body_targets()
KEYED = [target for target in TARGETS if target.keyed]
LONG_RUN_CHARS = 300_000        # the old message regex took minutes on a run this long


def send_all(live, raw_by_target) -> list:
    """Send each raw body to its operation; returns (target, response) pairs. A plain client:
    the answers are checked by assert_refused, and the books through the contract's client."""
    with httpx.Client(base_url=live.base_url, timeout=30.0) as client:
        return [(target, client.request(target.method, target.path, content=raw, headers=target.headers()))
                for target, raw in raw_by_target]


def attack_every_route(live, make_raw) -> list:
    with live.client() as client:
        before = books(client)
        exchanges = under_attack(live, lambda: send_all(live, [(t, make_raw(t)) for t in TARGETS]))
        assert books(client) == before
    return exchanges


def test_the_walk_reaches_every_body_operation() -> None:
    reached = {target.operation_id for target in TARGETS}
    assert {"createCompanyPurchase", "updateAccount", "createWebhook", "splitBankTransaction",
            "loadSandboxFixtures", "createSandboxSession", "setSandboxFaults"} <= reached
    assert len(TARGETS) >= 25 and len(KEYED) >= 10


def test_long_runs_of_letters_and_digits_in_failing_fields_are_400_at_once(live) -> None:
    spec = load_contract()

    def long_field(target):
        field = first_string_field(spec, target.operation_id)
        body = dict(target.body) if isinstance(target.body, dict) else {}
        if field is None:           # no string field (fixtures): the body is the run itself
            return json.dumps("a" * LONG_RUN_CHARS).encode()
        run = ("7" if len(field) % 2 else "x") * LONG_RUN_CHARS
        return json.dumps({**body, field: run}).encode()

    for target, response in attack_every_route(live, long_field):
        error = assert_refused(response)
        assert len(response.content) < 2_000, target.operation_id     # the value is not echoed
        assert error["details"][0]["field"], target.operation_id


def test_a_lone_surrogate_anywhere_is_400_and_nothing_is_stored(live) -> None:
    def with_surrogate(target):
        body = dict(target.body) if isinstance(target.body, dict) else {}
        field = first_string_field(load_contract(), target.operation_id) or "note"
        text = json.dumps({**body, field: "SURROGATE"})
        return text.replace('"SURROGATE"', '"abc\\ud800"').encode()

    for target, response in attack_every_route(live, with_surrogate):
        assert assert_refused(response)["details"][0]["issue"] == "lone surrogate", target.operation_id


def test_a_lone_surrogate_as_a_key_or_deep_inside_is_400(live) -> None:
    raws = [b'{"\\udfff": 1}', b'{"lines": [{"description": "\\ud800x"}]}', b'["ok", "\\ud83d"]']
    for target, response in attack_every_route(live, lambda target: raws[len(target.path) % 3]):
        assert assert_refused(response)["details"][0]["issue"] == "lone surrogate", target.operation_id


def test_a_surrogate_pair_is_a_character_not_an_attack(live) -> None:
    target = next(t for t in TARGETS if t.operation_id == "createCompanyPurchase")
    raw = json.dumps({**target.body, "description": "PAIR"}).replace('"PAIR"', '"Cake \\ud83c\\udf82"')
    with live.client() as client:
        response = client.post(target.path, content=raw.encode(), headers=target.headers())
        assert response.status_code == 201, response.text
        entry = client.get(f"/api/v1/entries/{response.json()['journalEntryId']}", headers=target.headers())
        assert entry.json()["description"] == "Cake \U0001F382"


@pytest.mark.parametrize("depth", [JSON_DEPTH_MAX + 1, 100_000])
def test_json_nested_past_the_limit_is_400(live, depth: int) -> None:
    raw = b'{"a": ' + b"[" * depth + b"]" * depth + b"}"
    for target, response in attack_every_route(live, lambda target: raw):
        error = assert_refused(response)
        assert str(JSON_DEPTH_MAX) in error["message"], target.operation_id


def test_json_nested_to_the_limit_is_not_refused_for_its_depth(live) -> None:
    target = next(t for t in TARGETS if t.operation_id == "createCompanyPurchase")
    raw = b'{"a": ' + b"[" * (JSON_DEPTH_MAX - 1) + b"]" * (JSON_DEPTH_MAX - 1) + b"}"
    with live.client() as client:
        error = assert_refused(client.post(target.path, content=raw, headers=target.headers()))
    assert error["details"][0]["issue"] != f"nested deeper than {JSON_DEPTH_MAX}"


def test_integers_past_the_int_string_limit_are_400(live) -> None:
    def long_integer(target):
        digits = INTEGER_DIGITS_MAX + 1 if len(target.path) % 2 else 200_000
        return b'{"amountCents": -' + b"9" * digits + b"}"

    for target, response in attack_every_route(live, long_integer):
        assert str(INTEGER_DIGITS_MAX) in assert_refused(response)["message"], target.operation_id


@pytest.mark.parametrize("values", [("same-key", "same-key"), ("key-one", "key-two")])
def test_an_idempotency_key_sent_twice_is_400_whatever_the_values(live, values) -> None:
    with live.client() as client:
        before = books(client)

        def send():
            exchanges = []
            for target in KEYED:
                headers = [(k, v) for k, v in target.headers().items() if k != "Idempotency-Key"]
                headers += [("Idempotency-Key", value) for value in values]
                exchanges.append((target, client.request(target.method, target.path,
                                                         json=target.body, headers=headers)))
            return exchanges

        for target, response in under_attack(live, send):
            assert assert_refused(response)["details"] == [
                {"field": "Idempotency-Key", "issue": "sent more than once"}], target.operation_id
        assert books(client) == before


@pytest.mark.parametrize("status", [429, 503])
def test_forced_429_and_503_carry_retry_after(live, status: int) -> None:
    faulted = [t for t in TARGETS if status in t.statuses and not t.path.startswith("/api/v1/sandbox")]
    assert faulted
    with live.client() as client:
        for target in faulted:
            response = client.request(target.method, target.path, json=target.body,
                                      headers=target.headers(Prefer=f"code={status}"))
            assert response.status_code == status, (target.operation_id, response.text)
            assert response.headers["retry-after"].isdigit(), target.operation_id
            assert response.json()["error"]["retryable"] is True
