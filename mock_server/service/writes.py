"""The one write path: check, commit, store the idempotent answer, then publish events.

Every write of the sandbox (postings, drafts, post and void, accounts, bank actions,
webhook subscriptions, sandbox controls, OAuth codes and tokens, sessions) is a `Write`
run by `SandboxService.write`:

    begin the Idempotency-Key (posting routes: replay or refuse here)
    [spend a forced delay, the key in flight]
    apply()            the domain call: every guard first, then the in-memory change
    answer(result)     the JSON to return (and to store for replay)
    commit             journal.commit(write, answer) and the key's stored answer: one step
    publish            the outbox (domain events, owed webhook sends), only after the commit

Any failure between begin and commit frees the key and drops the write's events. Durable
state plugs in at `commit`: a journal that appends (name, company, payload, answer) and
stores the idempotent answer in one transaction, answering 2xx only after it returns.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass

RECENT_WRITES_MAX = 100


@dataclass(frozen=True, slots=True)
class Write:
    name: str                       # what is written: a posting kind ("purchase"), "create_account", ...
    company_id: str | None          # whose books (None: sandbox-wide, as OAuth, sessions, reset)
    payload: object = None          # the request as given: what a journal records
    status: int = 200               # the success status (stored with the answer on replay)
    idempotency_key: str | None = None   # posting routes (R2): scope (company_id, key), route `name`
    delay_ms: int = 0               # a forced delay, spent while the key is in flight


@dataclass(frozen=True, slots=True)
class Committed:
    answer: object                  # the JSON body (or the result itself when no answer shaping)
    status: int
    replayed: bool = False          # a stored answer of an earlier identical request (R2)


class MemoryJournal:
    """The journal of committed writes, in memory: counted, the names of the last few kept.
    A durable journal records each write and its answer in the same transaction as the
    Idempotency-Key's stored answer."""

    __slots__ = ("count", "recent")
    durable = False                 # mock_server/service/durable.py: DurableJournal
    replaying = False

    def __init__(self, recent_max: int = RECENT_WRITES_MAX) -> None:
        self.count = 0
        self.recent: collections.deque[tuple[str, str | None]] = collections.deque(maxlen=recent_max)

    def commit(self, write: Write, answer: object, owed=()) -> None:
        self.count += 1
        self.recent.append((write.name, write.company_id))

    def begin(self, write: Write) -> None:
        """In memory any write may run (a durable journal refuses one it could not replay)."""

    async def recover(self, service) -> int:
        """In memory there is nothing to go back to: no write is replayed."""
        return 0

    def close(self, service=None) -> None:
        """In memory nothing outlives the process."""
        self.recent.clear()
