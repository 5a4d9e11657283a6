"""Webhook signatures as R8 states them: `LedgerHQ-Signature: t=<unix>,v1=<hex>`, where hex is
HMAC-SHA256 keyed with the subscription's secret over the bytes "<t>.<raw body>"."""
from __future__ import annotations

import hashlib
import hmac

SIGNATURE_AGE_S_MAX = 300
HEADER_CHARS_MAX = 1024
HEADER_PARTS_MAX = 8


def signature_hex(secret: str, timestamp: str, body: bytes) -> str:
    signed = timestamp.encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def signature_problem(secret: str, header: str | None, body: bytes, now_s: float) -> str | None:
    """None when `header` signs `body` with `secret` at a time within 5 minutes of `now_s`;
    otherwise what is wrong. Signatures are compared in constant time."""
    if not header:
        return "no LedgerHQ-Signature header"
    parts = header.split(",")
    if len(header) > HEADER_CHARS_MAX or len(parts) > HEADER_PARTS_MAX:
        return f"a LedgerHQ-Signature header of {len(header)} characters, {len(parts)} parts"
    pairs = [part.strip().partition("=") for part in parts]
    timestamps = [value for name, _, value in pairs if name == "t"]
    signatures = [value for name, _, value in pairs if name == "v1"]
    if len(timestamps) != 1 or not (timestamps[0].isascii() and timestamps[0].isdigit()):
        return f"LedgerHQ-Signature {header!r} has no single t=<unix seconds>"
    if not signatures:
        return f"LedgerHQ-Signature {header!r} has no v1=<signature>"
    age_s = now_s - int(timestamps[0])
    if abs(age_s) > SIGNATURE_AGE_S_MAX:
        return f"LedgerHQ-Signature timestamp t={timestamps[0]} is {age_s:.0f} s from now (at most 300 s)"
    expected = signature_hex(secret, timestamps[0], body).encode("ascii")
    if not any(hmac.compare_digest(expected, sent.encode("utf-8")) for sent in signatures):
        return ("no v1 signature matches HMAC-SHA256(secret, \"<t>.<raw body>\") "
                "with the secret from the create response")
    return None
