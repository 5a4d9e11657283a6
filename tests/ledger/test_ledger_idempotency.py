import datetime as dt

import pytest

from mock_server.ledger import (
    IdempotencyKeyInUse, IdempotencyKeyReused, IdempotencyStore, fingerprint,
)
from mock_server.ledger.errors import IdempotencyKeyQuotaReached, IdempotencyKeysExhausted

NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.timezone.utc)
BODY = {"date": "2026-06-08", "amountCents": 4299, "sourceAccountId": "acc_a"}


def test_fingerprint_ignores_key_order_but_not_kind_or_values() -> None:
    reordered = dict(reversed(list(BODY.items())))
    assert fingerprint("purchase", BODY) == fingerprint("purchase", reordered)
    assert fingerprint("purchase", BODY) != fingerprint("deposit", BODY)
    assert fingerprint("purchase", BODY) != fingerprint("purchase", {**BODY, "amountCents": 4300})


def test_completed_key_replays_the_stored_response() -> None:
    store = IdempotencyStore()
    assert store.begin("cmp_a", "k1", "purchase", BODY, NOW) is None
    store.complete("cmp_a", "k1", 201, {"journalEntryId": "je_1"}, {"X": "1"})
    replay = store.begin("cmp_a", "k1", "purchase", dict(reversed(list(BODY.items()))), NOW)
    assert (replay.status, replay.body, replay.headers) == (201, {"journalEntryId": "je_1"},
                                                            {"X": "1"})


def test_key_reused_with_another_body_or_route() -> None:
    store = IdempotencyStore()
    store.begin("cmp_a", "k1", "purchase", BODY, NOW)
    store.complete("cmp_a", "k1", 201, {})
    with pytest.raises(IdempotencyKeyReused):
        store.begin("cmp_a", "k1", "purchase", {**BODY, "amountCents": 1}, NOW)
    with pytest.raises(IdempotencyKeyReused) as caught:
        store.begin("cmp_a", "k1", "deposit", BODY, NOW)
    assert caught.value.kind == "IDEMPOTENCY_KEY_REUSED"
    assert store.begin("cmp_b", "k1", "deposit", BODY, NOW) is None      # scope is the company


def test_in_flight_key_is_in_use_until_completed_or_abandoned() -> None:
    store = IdempotencyStore()
    store.begin("cmp_a", "k1", "purchase", BODY, NOW)
    with pytest.raises(IdempotencyKeyInUse) as caught:
        store.begin("cmp_a", "k1", "purchase", BODY, NOW)
    assert caught.value.kind == "IDEMPOTENCY_KEY_IN_USE"
    store.abandon("cmp_a", "k1")
    assert store.begin("cmp_a", "k1", "deposit", BODY, NOW) is None     # key left unused


def test_only_2xx_results_are_stored() -> None:
    store = IdempotencyStore()
    store.begin("cmp_a", "k1", "purchase", BODY, NOW)
    store.complete("cmp_a", "k1", 422, {"error": {}})
    assert not store.in_flight("cmp_a", "k1")
    assert store.begin("cmp_a", "k1", "purchase", {**BODY, "amountCents": 1}, NOW) is None


def test_keys_are_kept_24_hours() -> None:
    store = IdempotencyStore()
    store.begin("cmp_a", "k1", "purchase", BODY, NOW)
    store.complete("cmp_a", "k1", 201, {"a": 1})
    later = NOW + dt.timedelta(hours=23, minutes=59)
    assert store.begin("cmp_a", "k1", "purchase", BODY, later).body == {"a": 1}
    expired = NOW + dt.timedelta(hours=24)
    assert store.begin("cmp_a", "k1", "deposit", BODY, expired) is None


def test_a_full_store_refuses_new_keys_until_old_ones_expire() -> None:
    store = IdempotencyStore(keys_max=2)
    for key in ("k1", "k2"):
        store.begin("cmp_a", key, "purchase", BODY, NOW)
        store.complete("cmp_a", key, 201, {})
    with pytest.raises(IdempotencyKeysExhausted) as caught:
        store.begin("cmp_a", "k3", "purchase", BODY, NOW)
    assert caught.value.kind == "RATE_LIMITED"
    assert store.begin("cmp_a", "k1", "purchase", BODY, NOW) is not None     # replays still work
    assert store.begin("cmp_a", "k3", "purchase", BODY, NOW + dt.timedelta(hours=25)) is None


def test_keys_expire_24_hours_after_they_started_whenever_they_completed() -> None:
    """A slow first request must not hold back the expiry of keys started after it: expiry
    walks the keys in start order, so each keeps its start time once completed."""
    store = IdempotencyStore()
    store.begin("cmp_a", "slow", "purchase", BODY, NOW)
    store.begin("cmp_a", "quick", "purchase", BODY, NOW + dt.timedelta(minutes=1))
    store.complete("cmp_a", "quick", 201, {"a": 1})
    store.complete("cmp_a", "slow", 201, {"a": 2})     # completes ten minutes after it began
    after_both = NOW + dt.timedelta(hours=24, minutes=2)
    assert store.begin("cmp_a", "quick", "deposit", BODY, after_both) is None
    assert store.begin("cmp_a", "slow", "deposit", BODY, after_both) is None


def test_one_companys_flood_is_refused_to_that_company_only() -> None:
    """Quota per company: the flooding company gets 429, another company's keys are still
    accepted and its stored keys keep their 24 hours (nothing is evicted)."""
    store = IdempotencyStore(company_keys_max=1_000)
    store.begin("cmp_b", "b-before", "purchase", BODY, NOW)
    store.complete("cmp_b", "b-before", 201, {"b": 1})
    refused = 0
    for number in range(3_000):
        try:
            store.begin("cmp_a", f"flood-{number}", "purchase", BODY, NOW)
        except IdempotencyKeyQuotaReached as error:
            assert error.kind == "RATE_LIMITED" and error.kind.retryable
            refused += 1
            continue
        store.complete("cmp_a", f"flood-{number}", 201, {"n": number})
    assert refused == 2_000 and store.keys_held("cmp_a") == 1_000
    assert store.begin("cmp_a", "flood-0", "purchase", BODY, NOW).body == {"n": 0}    # replays work
    assert store.begin("cmp_b", "b-after", "purchase", BODY, NOW) is None
    last_minute = NOW + dt.timedelta(hours=23, minutes=59)
    assert store.begin("cmp_b", "b-before", "purchase", BODY, last_minute).body == {"b": 1}
    assert store.begin("cmp_a", "later", "purchase", BODY, NOW + dt.timedelta(hours=24)) is None


def test_a_freed_key_gives_its_place_in_the_quota_back() -> None:
    store = IdempotencyStore(company_keys_max=1)
    store.begin("cmp_a", "k1", "purchase", BODY, NOW)
    store.abandon("cmp_a", "k1")
    assert store.keys_held("cmp_a") == 0
    assert store.begin("cmp_a", "k2", "purchase", BODY, NOW) is None
    store.complete("cmp_a", "k2", 422, {})
    assert store.begin("cmp_a", "k3", "purchase", BODY, NOW) is None
