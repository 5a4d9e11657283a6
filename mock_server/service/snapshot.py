"""An image of the whole sandbox state, as one pickle: books, tenancy records, credentials,
OAuth grants, sessions, idempotency keys with their answers, webhook subscriptions and their
delivery log, firm clocks (shifted or frozen), forced faults.

The image is the service's attributes minus those that are not state (the contract, the
clock's source, caches, the journal, the running delivery worker): an attribute added to
the service later is state by default and is kept. Keys still in flight when the image is
taken are dropped on restore: their requests were never acknowledged.
"""

from __future__ import annotations

import dataclasses
import gc
import io
import operator
import os
import pickle
import struct
from pathlib import Path

from mock_server.ledger.books import CompanyBooks
from mock_server.shapes import RecordJson

NOT_STATE = frozenset({"spec", "fixtures_path", "clock", "shapes", "journal", "deliveries", "outbox",
                       "admin_key", "public_url"})   # configuration: a restart takes its own
PICKLE_PROTOCOL = 5
# The layout of what an image and the journal pickle: bumped whenever a class they hold changes its
# fields (tests/durable/test_state_layout.py pins them and names the class that changed). A state
# file records the layout it was written in, and a sandbox refuses one of another layout.
STATE_LAYOUT = 3
FILE_HEADER = struct.Struct("<8sQQ")         # magic, the journal row it stands at, image bytes
FILE_MAGIC = b"LHQIMG01"


class RecordReducers(dict):
    """A pickler's dispatch table: a frozen, slotted dataclass (every record of the books)
    pickles as its class and its field values, read by one C-level getter, and unpickles
    by its constructor, instead of the generated __getstate__/__setstate__ that walk
    `fields()` per object (several times slower on a million lines)."""

    def __missing__(self, cls):
        if not (dataclasses.is_dataclass(cls) and hasattr(cls, "__slots__")):
            raise KeyError(cls)
        fields = dataclasses.fields(cls)
        if not all(field.init for field in fields) or len(fields) < 2:
            raise KeyError(cls)
        getter = operator.attrgetter(*(field.name for field in fields))
        self[cls] = reducer = lambda record: (cls, getter(record))
        return reducer


REDUCERS = RecordReducers()
BOOKS_CACHES = {"_journal_lines": None, "_entry_order": None,     # remade on the first read after a restore
                "_transaction_order": None}


def books_without_caches(books: CompanyBooks):
    """The books' attributes but their caches (a million-line cache would double the image)."""
    return object.__new__, (CompanyBooks,), {**vars(books), **BOOKS_CACHES}


REDUCERS[CompanyBooks] = books_without_caches


def capture(service) -> bytes:
    state = {name: value for name, value in vars(service).items() if name not in NOT_STATE}
    state["clock_shifts"] = dict(service.clock.shifts)
    state["clock_frozen"] = dict(service.clock.frozen)
    state["delivery_logs"] = service.deliveries.delivery_logs()
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, PICKLE_PROTOCOL)
    pickler.dispatch_table = REDUCERS
    without_collector(pickler.dump, state)
    return buffer.getvalue()


def copy_into(existing: object, restored: object) -> None:
    """`restored`'s attributes into `existing` (slotted or not), which others hold."""
    names = [name for cls in type(restored).__mro__ for name in getattr(cls, "__slots__", ())]
    for name in names + list(getattr(restored, "__dict__", {})):
        setattr(existing, name, getattr(restored, name))


def without_collector(work, *args):
    """Millions of new records would run the cyclic collector over and over (quadratic):
    it waits until the image is read or written; the records hold no cycles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return work(*args)
    finally:
        if was_enabled:
            gc.enable()


def loaded_frozen(image: bytes) -> dict:
    """The image's state, moved out of the cyclic collector's reach (`gc.freeze`): it is
    long-lived, and one full pass over a million restored records would stall the first
    requests after a restart for a second or more. Reference counting still frees it."""
    state = pickle.loads(image)
    gc.freeze()
    return state


def restore(service, image: bytes) -> None:
    state = without_collector(loaded_frozen, image)
    service.clock.shifts = state.pop("clock_shifts")
    service.clock.frozen = state.pop("clock_frozen", {})     # images made before clocks froze
    logs = state.pop("delivery_logs")
    faults = state.pop("faults", None)
    for name, value in state.items():
        setattr(service, name, value)
    if faults is not None:          # the fault middleware holds the service's own object
        copy_into(service.faults, faults)
    service.shapes = RecordJson()
    service.outbox = []
    service.deliveries.registry = service.webhooks
    service.deliveries.restore_logs(logs)
    service.idempotency.forget_in_flight()


def write_file(path: Path, seq: int, image: bytes, parent_pid: int | None = None) -> bool:
    """The image, standing at journal row `seq`, written whole (temporary file, fsync, rename)
    or not at all. With `parent_pid` (a forked writer) nothing replaces the file once that
    process is gone: its restarted successor owns the state."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with open(temporary, "wb") as handle:
        handle.write(FILE_HEADER.pack(FILE_MAGIC, seq, len(image)))
        handle.write(image)
        handle.flush()
        os.fsync(handle.fileno())
    if parent_pid is not None and os.getppid() != parent_pid:
        temporary.unlink()
        return False
    os.replace(temporary, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return True


def file_seq(path: Path) -> int | None:
    """The journal row an image file stands at (None: no image)."""
    try:
        with open(path, "rb") as handle:
            magic, seq, _ = FILE_HEADER.unpack(handle.read(FILE_HEADER.size))
    except FileNotFoundError:
        return None
    if magic != FILE_MAGIC:
        raise ValueError(f"{path} is not a state image")
    return seq


def read_file(path: Path) -> tuple[int, bytes]:
    with open(path, "rb") as handle:
        magic, seq, size = FILE_HEADER.unpack(handle.read(FILE_HEADER.size))
        image = handle.read(size)
    if magic != FILE_MAGIC or len(image) != size:
        raise ValueError(f"{path} is not a whole state image")
    return seq, image
