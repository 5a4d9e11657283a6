"""Webhook signatures (R8): header `LedgerHQ-Signature: t=<unix>,v1=<hex>` where hex is
HMAC-SHA256(secret, f"{t}.{body}"). Receivers check the signature and the age of `t`."""
from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "LedgerHQ-Signature"
TOLERANCE_S = 300
HEADER_LENGTH_MAX = 1024
HEADER_PARTS_MAX = 8


def signature_hex(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The header value for `body` sent at `timestamp` (unix seconds)."""
    return f"t={int(timestamp)},v1={signature_hex(secret, int(timestamp), body)}"


def parse_header(header: str) -> tuple[int, list[str]] | None:
    """`(timestamp, [v1 signatures])`, or None when malformed. Several `v1` are allowed
    (one per secret while a secret is being rotated); unknown schemes are ignored."""
    if not isinstance(header, str) or len(header) > HEADER_LENGTH_MAX:
        return None
    parts = header.split(",")
    if len(parts) > HEADER_PARTS_MAX:
        return None
    timestamps, signatures = [], []
    for part in parts:
        name, _, value = part.strip().partition("=")
        if name == "t":
            timestamps.append(value)
        elif name == "v1":
            signatures.append(value)
    if len(timestamps) != 1 or not signatures:
        return None
    if not (timestamps[0].isascii() and timestamps[0].isdigit()):
        return None
    return int(timestamps[0]), signatures


def verify(secret: str, header: str, body: bytes, now: float,
           tolerance_s: float = TOLERANCE_S) -> bool:
    """True when `header` signs `body` with `secret` and its timestamp is within
    `tolerance_s` of `now` (unix seconds). Compares in constant time."""
    parsed = parse_header(header)
    if parsed is None:
        return False
    timestamp, signatures = parsed
    if abs(now - timestamp) > tolerance_s:
        return False
    expected = signature_hex(secret, timestamp, body).encode("ascii")
    matches = [hmac.compare_digest(expected, sent.encode("utf-8")) for sent in signatures]
    return any(matches)
