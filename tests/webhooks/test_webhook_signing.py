from __future__ import annotations

import pytest

from mock_server.webhooks.signing import sign, signature_hex, verify

SECRET = "whsec_test_secret"
BODY = b'{"id":"evt_1","type":"webhook.test"}'
T = 1_900_000_000


def test_round_trip() -> None:
    header = sign(SECRET, T, BODY)
    assert header.startswith(f"t={T},v1=")
    assert verify(SECRET, header, BODY, now=T + 10)


def test_signature_is_hmac_sha256_over_timestamp_dot_body() -> None:
    import hashlib
    import hmac
    expected = hmac.new(SECRET.encode(), f"{T}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert sign(SECRET, T, BODY) == f"t={T},v1={expected}"


def test_tampered_body_wrong_secret_or_edited_timestamp_is_refused() -> None:
    header = sign(SECRET, T, BODY)
    assert not verify(SECRET, header, BODY + b" ", now=T)
    assert not verify("whsec_other", header, BODY, now=T)
    assert not verify(SECRET, header.replace(f"t={T}", f"t={T + 1}"), BODY, now=T)


def test_old_or_future_timestamp_is_refused() -> None:
    header = sign(SECRET, T, BODY)
    assert verify(SECRET, header, BODY, now=T + 300)
    assert not verify(SECRET, header, BODY, now=T + 301)
    assert not verify(SECRET, header, BODY, now=T - 301)
    assert verify(SECRET, header, BODY, now=T + 900, tolerance_s=1000)


@pytest.mark.parametrize("header", [
    "", "garbage", f"v1={'0' * 64}", f"t={T}", f"t=abc,v1={'0' * 64}", f"t=²,v1={'0' * 64}",
    f"t={T},t={T},v1={'0' * 64}", f"t={T},v1=é", "t=1," + "v1=x," * 100, None,
])
def test_malformed_headers_are_refused(header: str) -> None:
    assert not verify(SECRET, header, BODY, now=T)


def test_any_v1_may_match_during_secret_rotation() -> None:
    header = f"t={T},v1={signature_hex('whsec_old', T, BODY)},v1={signature_hex(SECRET, T, BODY)}"
    assert verify(SECRET, header, BODY, now=T)
