"""Idempotency of posting routes (R2), scoped by (company_id, key).

Fingerprint = sha256 of the posting kind and the canonical JSON body (sorted keys,
compact separators), so key order and whitespace do not matter and the legacy and
company-path forms of one kind are the same route. Flow:

    replay = store.begin(company_id, key, kind, body, now)   # may raise Reused / InUse
    if replay: answer replay.status, replay.body, replay.headers (Idempotent-Replayed: true)
    try: ... post ...; store.complete(company_id, key, status, body, headers)
    except: store.abandon(company_id, key); raise

Only 2xx results are stored; a failed request frees its key. Entries live 24 hours by the
company's own clock (`now` is the time its firm's sandbox clock reads, so one firm moving
its clock never expires another firm's keys), and nothing shortens that: a company that holds its quota of keys (`company_keys_max`) is
answered 429 RATE_LIMITED until its own oldest keys expire, so one company's flood of keys
never refuses, nor evicts, another company's.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from mock_server.ledger.errors import (
    IdempotencyKeyInUse, IdempotencyKeyQuotaReached, IdempotencyKeyReused,
    IdempotencyKeysExhausted,
)

IDEMPOTENCY_TTL = dt.timedelta(hours=24)
IDEMPOTENCY_KEYS_MAX = 1_000_000
IDEMPOTENCY_KEYS_PER_COMPANY_MAX = 100_000


def fingerprint(kind: str, body: object) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{kind}\n{canonical}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status: int
    body: object
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Slot:
    fingerprint: str
    started_at: dt.datetime
    response: StoredResponse | None = None      # None while in flight


class IdempotencyStore:
    def __init__(self, ttl: dt.timedelta = IDEMPOTENCY_TTL,
                 keys_max: int = IDEMPOTENCY_KEYS_MAX,
                 company_keys_max: int = IDEMPOTENCY_KEYS_PER_COMPANY_MAX) -> None:
        self.ttl = ttl
        self.keys_max = keys_max
        self.company_keys_max = company_keys_max
        self._slots: dict[str, dict[str, _Slot]] = {}     # company -> key -> slot, in start order
        self._keys_total = 0

    def begin(self, company_id: str, key: str, kind: str, body: object,
              now: dt.datetime) -> StoredResponse | None:
        """The stored response to replay, or None after marking the key in flight. `now`:
        the company's time (its firm's sandbox clock)."""
        self._forget_expired(company_id, now)
        wanted = fingerprint(kind, body)
        slots = self._slots.get(company_id, {})
        slot = slots.get(key)
        if slot is not None:
            if slot.fingerprint != wanted:
                raise IdempotencyKeyReused(key)
            if slot.response is None:
                raise IdempotencyKeyInUse(key)
            return slot.response
        if len(slots) >= self.company_keys_max:
            raise IdempotencyKeyQuotaReached(self.company_keys_max, int(self.ttl.total_seconds() // 3600))
        if self._keys_total >= self.keys_max:
            raise IdempotencyKeysExhausted(self.keys_max)
        self._slots.setdefault(company_id, {})[key] = _Slot(wanted, now)
        self._keys_total += 1
        return None

    def keys_held(self, company_id: str) -> int:
        """How many keys the company holds (in flight or stored), out of its quota."""
        return len(self._slots.get(company_id, ()))

    def complete(self, company_id: str, key: str, status: int, body: object,
                 headers: dict[str, str] | None = None) -> None:
        """Store a 2xx result for replay; any other status frees the key. The key keeps its
        start time (and its place): expiry walks the slots in start order."""
        slot = self._slots.get(company_id, {}).get(key)
        assert slot is not None and slot.response is None, (company_id, key)
        if not 200 <= status < 300:
            self.abandon(company_id, key)
            return
        self._slots[company_id][key] = _Slot(slot.fingerprint, slot.started_at,
                                             StoredResponse(status, body, dict(headers or {})))

    def abandon(self, company_id: str, key: str) -> None:
        """Free an in-flight key (the request failed: it leaves no trace)."""
        slot = self._slots.get(company_id, {}).get(key)
        if slot is not None and slot.response is None:
            self._drop(company_id, key)

    def forget_companies(self, company_ids: set[str] | frozenset[str]) -> None:
        """Drop the stored keys of these companies (their books were replaced). A key still in
        flight stays: its request frees it when it is refused (see BooksReplaced)."""
        for company_id in company_ids & self._slots.keys():
            for key in [key for key, slot in self._slots[company_id].items() if slot.response is not None]:
                self._drop(company_id, key)

    def forget_in_flight(self) -> None:
        """Free every key in flight (a restored state: their requests were never answered)."""
        for company_id in list(self._slots):
            for key in [key for key, slot in self._slots[company_id].items() if slot.response is None]:
                self._drop(company_id, key)

    def in_flight(self, company_id: str, key: str) -> bool:
        slot = self._slots.get(company_id, {}).get(key)
        return slot is not None and slot.response is None

    def _forget_expired(self, company_id: str, now: dt.datetime) -> None:
        """A company's slots sit in start order, so its expired ones are at the front."""
        slots = self._slots.get(company_id)
        while slots:
            key, slot = next(iter(slots.items()))
            if now - slot.started_at < self.ttl:
                return
            self._drop(company_id, key)

    def _drop(self, company_id: str, key: str) -> None:
        slots = self._slots[company_id]
        del slots[key]
        self._keys_total -= 1
        if not slots:
            del self._slots[company_id]
