"""Durable state: the journal of committed writes in a SQLite file (`serve --state PATH`).

The SQLite file holds the journal rows after N and the webhook sends still owed; beside it,
`PATH.image` holds an image of the whole state (snapshot.py) standing at journal row N. A write commits as one
transaction (`BEGIN IMMEDIATE` ... `COMMIT`): its journal row (the operation and its
inputs, the clock readings and tokens it made, its answer; an Idempotency-Key's stored
answer is that row) and the webhook sends it owes. The service answers only after COMMIT
returns, so an acknowledged write survives SIGKILL (WAL, `synchronous=NORMAL`: only a power
loss or an OS crash can lose the last commits).

A restart restores the image, then replays the later rows through the write path (the
`recorder`, app-side, re-runs each row's operation with its tape: same ids, tokens and
times), then resumes the owed sends. A graceful stop, and every SNAPSHOT_WRITES writes (in a
forked copy of the process, so serving goes on), write a new image and drop the rows it
covers, so a restart replays few rows. An image file is replaced whole or not at all, and
says which row it stands at: the rows after it are replayed, whatever the SQLite file kept.
"""

from __future__ import annotations

import asyncio
import collections
import json
import logging
import os
import pickle
import sqlite3
import time
from pathlib import Path

from mock_server.service import snapshot
from mock_server.service.tape import TokenTaping, taped
from mock_server.service.writes import RECENT_WRITES_MAX, Write

SNAPSHOT_WRITES = 50_000
IMAGE_SUFFIX = ".image"         # the image file beside the SQLite file
IMAGE_POLL_S = 0.2
EXIT_NOT_COMMITTED = 75         # EX_TEMPFAIL: the write was not acknowledged; restart to resume
BUSY_TIMEOUT_MS = 5_000
PICKLE_PROTOCOL = 5
logger = logging.getLogger("ledgerhq.sandbox")

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS journal (seq INTEGER PRIMARY KEY, name TEXT NOT NULL,
    company_id TEXT, record BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS owed (event_id TEXT NOT NULL, webhook_id TEXT NOT NULL,
    event BLOB NOT NULL, PRIMARY KEY (event_id, webhook_id));
"""
INSERT_ROW = "INSERT INTO journal (seq, name, company_id, record) VALUES (?, ?, ?, ?)"


class DurableStateError(RuntimeError):
    """A write the journal cannot record or replay, or a state file it cannot read."""


class DurableJournal:
    durable = True

    def __init__(self, path: str | Path, snapshot_writes: int = SNAPSHOT_WRITES) -> None:
        self.path = Path(path)
        self.snapshot_writes = snapshot_writes
        self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        self.db.executescript(SCHEMA)
        self.recorder = None            # app-side: records an operation, replays a row
        self.replaying = False
        self.expected: object = None    # while replaying: the answer the row recorded (recorder)
        self.mismatches = 0             # replayed writes whose answer differed (0 when sound)
        self.count = 0
        self.recent: collections.deque = collections.deque(maxlen=RECENT_WRITES_MAX)
        self.tokens = TokenTaping()
        self.image_path = self.path.with_name(self.path.name + IMAGE_SUFFIX)
        self.image_seq = snapshot.file_seq(self.image_path)
        self.image_child: tuple[int, int] | None = None     # (pid, seq) of a forked image writer
        self.seq = max(self._scalar("SELECT MAX(seq) FROM journal") or 0, self.image_seq or 0)
        self.image_due = False
        self.service = None
        self.db_closed = False

    # -- the state file ---------------------------------------------------------------------
    def _scalar(self, sql: str, *args):
        row = self.db.execute(sql, args).fetchone()
        return row[0] if row else None

    def has_state(self) -> bool:
        return self.image_seq is not None

    def meta(self, key: str) -> str | None:
        return self._scalar("SELECT value FROM meta WHERE key = ?", key)

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def describe_new(self, fixtures_path: str, credentials: dict) -> None:
        """A new state file's description: the layout it is written in (refuse_other_layout), the fixtures a
        reset reads again and the credentials `serve` prints."""
        self.set_meta("layout", str(snapshot.STATE_LAYOUT))
        self.set_meta("fixtures", fixtures_path)
        self.set_meta("credentials", json.dumps(credentials))

    # -- the hook of the write path ------------------------------------------------------
    def begin(self, write: Write) -> None:
        """Refuse, before anything changes, a write no recorded operation runs (it could
        not be replayed): a front end records its operations with recording.recorded."""
        if not self.replaying and (self.recorder is None or not self.recorder.recording()):
            raise DurableStateError(f"the write {write.name!r} runs outside a recorded operation")

    def commit(self, write: Write, answer: object, owed=()) -> None:
        """Record `write` and the sends it owes in one transaction; returns after COMMIT."""
        self.count += 1
        self.recent.append((write.name, write.company_id))
        if self.replaying:
            if answer != self.expected:
                self.mismatches += 1
                logger.warning("replayed write %s answered differently", write.name)
            return
        if self.recorder is None:
            raise DurableStateError(f"the write {write.name!r} runs outside a recorded operation")
        row = (self.seq + 1, write.name, write.company_id, self.recorder.record(write, answer))
        sends = [(event.id, webhook_id or "", pickle.dumps(event, PICKLE_PROTOCOL))
                 for event, webhook_id in owed if webhook_id or self._wanted(event)]
        try:
            if sends:
                self._transaction(self._insert, row, sends)
            else:                       # one statement: its own transaction, committed on return
                self.db.execute(INSERT_ROW, row)
        except sqlite3.Error as error:  # applied in memory, not in the file: stop, never diverge
            logger.critical("cannot commit write %d to %s (%s): stopping; a restart resumes "
                            "from the last commit", row[0], self.path, error)
            os._exit(EXIT_NOT_COMMITTED)
        self.seq += 1
        if not self.image_due and self.seq - (self.image_seq or 0) >= self.snapshot_writes:
            self.image_due = True       # taken once this write has finished (its key stored)
            asyncio.get_running_loop().call_soon(self._image_if_due)

    def _wanted(self, event) -> bool:
        """Some subscription would take `event` (the others are never owed)."""
        return self.service is None or bool(self.service.webhooks.matching(event.company_id, event.type))

    def _insert(self, row: tuple, sends: list) -> None:
        self.db.execute(INSERT_ROW, row)
        self.db.executemany("INSERT OR REPLACE INTO owed (event_id, webhook_id, event) "
                            "VALUES (?, ?, ?)", sends)

    def _transaction(self, work, *args) -> None:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            work(*args)
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise

    def _image_if_due(self) -> None:
        """A new image, between two requests: written by a forked copy of the process, so
        serving goes on meanwhile (in-process where fork is missing)."""
        if not self.image_due or self.service is None or self.db_closed or self.image_child:
            return
        if not hasattr(os, "fork"):
            self.save_image(self.service)
            return
        seq, parent = self.seq, os.getpid()
        pid = os.fork()
        if pid == 0:                    # the copy: write the image, touch nothing else
            written = False
            try:
                written = snapshot.write_file(self.image_path, seq, snapshot.capture(self.service), parent)
            finally:
                os._exit(0 if written else 1)
        self.image_child = (pid, seq)
        asyncio.get_running_loop().call_later(IMAGE_POLL_S, self._reap_image_writer)

    def _reap_image_writer(self, wait: bool = False) -> None:
        pid, seq = self.image_child
        done, status = os.waitpid(pid, 0 if wait else os.WNOHANG)
        if done == 0:
            asyncio.get_running_loop().call_later(IMAGE_POLL_S, self._reap_image_writer)
            return
        self.image_child, self.image_due = None, False
        if os.waitstatus_to_exitcode(status) == 0:
            self._forget_covered(seq)
        else:
            logger.warning("the state image at write %d was not written", seq)

    def settled(self, event, webhook_id: str | None) -> None:
        """Every send of an owed event is done (delivered or given up): not owed any more."""
        self.db.execute("DELETE FROM owed WHERE event_id = ? AND webhook_id = ?",
                        (event.id, webhook_id or ""))

    # -- images, restart and stop -------------------------------------------------------
    def save_image(self, service) -> None:
        """An image of the state at the last committed row, in-process; the rows it covers go."""
        started = time.perf_counter()
        state = snapshot.capture(service)
        snapshot.write_file(self.image_path, self.seq, state)
        self._forget_covered(self.seq)
        self.image_due = False
        logger.info("state image at write %d: %.1f MB in %.2f s", self.seq,
                    len(state) / 1e6, time.perf_counter() - started)

    def _forget_covered(self, seq: int) -> None:
        """The image stands at row `seq` (its file says so): the rows up to it go."""
        self.image_seq = seq
        self.db.execute("DELETE FROM journal WHERE seq <= ?", (seq,))

    def attach(self, service) -> None:
        """Tape the service's clock and the token functions (undone by `close`)."""
        self.service = service
        service.deliveries.on_settled = self.settled
        self.tokens.install()
        if getattr(service.clock.source, "__wrapped__", None) is None:
            service.clock.source = taped(service.clock.source)

    async def recover(self, service) -> int:
        """Back to the last committed write: the image, then the rows after it. A new
        file gets the service's present state as its first image. Returns rows replayed."""
        if not self.has_state():
            self.save_image(service)
            return 0
        self.image_seq, image = snapshot.read_file(self.image_path)
        snapshot.restore(service, image)
        replayed = await self._replay(service)
        for event, webhook_id in self.owed():
            service.deliveries.enqueue(event, webhook_id=webhook_id or None)
        return replayed

    async def _replay(self, service) -> int:
        rows = self.db.execute("SELECT seq, record FROM journal WHERE seq > ? ORDER BY seq",
                               (self.image_seq,))
        replayed = 0
        self.replaying = True
        try:
            for seq, record in rows:
                if self.recorder is None or not await self.recorder.replay(service, record):
                    raise DurableStateError(f"write {seq} of {self.path} did not replay")
                replayed += 1
        finally:
            self.replaying, self.expected = False, None
        return replayed

    def owed(self) -> list:
        return [(pickle.loads(event), webhook_id)
                for event, webhook_id in self.db.execute("SELECT event, webhook_id FROM owed")]

    def close(self, service=None) -> None:
        """A graceful stop: a last image (a restart then replays nothing), then close."""
        if self.image_child is not None:
            self._reap_image_writer(wait=True)
        if service is not None and self.seq != self.image_seq:
            self.save_image(service)
        self.tokens.uninstall()
        self.db.close()
        self.db_closed = True


def open_service(state_path: str | Path, fixtures_path: str | Path | None = None,
                 **options):
    """The sandbox kept in `state_path`: a new file starts from the fixtures (and keeps
    their path, which a reset reads again); an existing one is the state it holds, restored
    when the service starts (`lifespan`), whatever `fixtures_path` says."""
    from ledgerhq_contract import load_contract
    from mock_server.ledger import fixtures
    from mock_server.fixture_credentials import well_known_credentials
    from mock_server.service.sandbox import SandboxService
    journal = DurableJournal(state_path)
    stored = journal.meta("fixtures")
    if journal.has_state() and stored is not None:
        refuse_other_layout(journal)
        service = SandboxService(fixtures.Sandbox(), load_contract(), Path(stored), **options)
    else:
        service = SandboxService.from_fixtures(fixtures_path, **options)
        journal.describe_new(str(Path(service.fixtures_path).resolve()), well_known_credentials(service.data))
    service.journal = journal
    return service


def refuse_other_layout(journal: DurableJournal) -> None:
    """ValueError (one sentence, before anything is read) for a state file of another layout."""
    layout = journal.meta("layout")
    if layout != str(snapshot.STATE_LAYOUT):
        journal.db.close()
        written = f"layout {layout}" if layout else "a layout it did not record (an older sandbox)"
        raise ValueError(f"ledgerhq-sandbox: {journal.path} holds state in {written}, and this sandbox reads "
                         f"layout {snapshot.STATE_LAYOUT}: serve it with the sandbox version that wrote it, "
                         "or pass a new --state file (it starts from the fixtures).")
