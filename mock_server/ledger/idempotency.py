"""Idempotency of posting routes (R2), scoped by (company_id, key).

Fingerprint = sha256 of the posting kind and the canonical JSON body (sorted keys,
compact separators), so key order and whitespace do not matter and the legacy and
company-path forms of one kind are the same route. Flow:

    replay = store.begin(company_id, key, kind, body, now)   # may raise Reused / InUse
    if replay: answer replay.status, replay.body, replay.headers (Idempotent-Replayed: true)
    try: ... post ...; store.complete(company_id, key, status, body, headers)
    except: store.abandon(company_id, key); raise

Only 2xx results are stored; a failed request frees its key. Entries live 24 hours, and
nothing shortens that: a company that holds its quota of keys (`company_keys_max`) is
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
        self._slots: dict[tuple[str, str], _Slot] = {}
        self._keys_by_company: dict[str, int] = {}

    def begin(self, company_id: str, key: str, kind: str, body: object,
              now: dt.datetime) -> StoredResponse | None:
        """The stored response to replay, or None after marking the key in flight."""
        self._forget_expired(now)
        wanted = fingerprint(kind, body)
        slot = self._slots.get((company_id, key))
        if slot is not None:
            if slot.fingerprint != wanted:
                raise IdempotencyKeyReused(key)
            if slot.response is None:
                raise IdempotencyKeyInUse(key)
            return slot.response
        held = self._keys_by_company.get(company_id, 0)
        if held >= self.company_keys_max:
            raise IdempotencyKeyQuotaReached(self.company_keys_max, int(self.ttl.total_seconds() // 3600))
        if len(self._slots) >= self.keys_max:
            raise IdempotencyKeysExhausted(self.keys_max)
        self._slots[(company_id, key)] = _Slot(wanted, now)
        self._keys_by_company[company_id] = held + 1
        return None

    def keys_held(self, company_id: str) -> int:
        """How many keys the company holds (in flight or stored), out of its quota."""
        return self._keys_by_company.get(company_id, 0)

    def complete(self, company_id: str, key: str, status: int, body: object,
                 headers: dict[str, str] | None = None) -> None:
        """Store a 2xx result for replay; any other status frees the key. The key keeps its
        start time: expiry walks the slots in start order."""
        slot = self._slots.get((company_id, key))
        assert slot is not None and slot.response is None, (company_id, key)
        if not 200 <= status < 300:
            self.abandon(company_id, key)
            return
        self._slots[(company_id, key)] = _Slot(slot.fingerprint, slot.started_at,
                                               StoredResponse(status, body, dict(headers or {})))

    def abandon(self, company_id: str, key: str) -> None:
        """Free an in-flight key (the request failed: it leaves no trace)."""
        slot = self._slots.get((company_id, key))
        if slot is not None and slot.response is None:
            self._drop((company_id, key))

    def forget_companies(self, company_ids: set[str] | frozenset[str]) -> None:
        """Drop the stored keys of these companies (their books were replaced). A key still in
        flight stays: its request frees it when it is refused (see BooksReplaced)."""
        doomed = [scope for scope, slot in self._slots.items()
                  if scope[0] in company_ids and slot.response is not None]
        for scope in doomed:
            self._drop(scope)

    def forget_in_flight(self) -> None:
        """Free every key in flight (a restored state: their requests were never answered)."""
        for scope in [scope for scope, slot in self._slots.items() if slot.response is None]:
            self._drop(scope)

    def in_flight(self, company_id: str, key: str) -> bool:
        slot = self._slots.get((company_id, key))
        return slot is not None and slot.response is None

    def _forget_expired(self, now: dt.datetime) -> None:
        """Slots sit in start order, so the expired ones are at the front."""
        while self._slots:
            scope, slot = next(iter(self._slots.items()))
            if now - slot.started_at < self.ttl:
                return
            self._drop(scope)

    def _drop(self, scope: tuple[str, str]) -> None:
        del self._slots[scope]
        company_id = scope[0]
        left = self._keys_by_company[company_id] - 1
        if left:
            self._keys_by_company[company_id] = left
        else:
            del self._keys_by_company[company_id]
