"""The operations a durable journal records and replays (`serve --state`).

With durable state every handler runs wrapped: the wrapper notes the operation and its
arguments and starts a tape (service/tape.py) for the clock and tokens it reads. When the
operation's write commits, the journal stores `record(write)`: operation, arguments, the
request's headers and caller, and the tape so far. On restart `replay` calls the same
handler with the same arguments, headers and caller, the tape played back, through the
same write path: the replayed write makes the same ids, tokens, times and answer.
Without durable state nothing is wrapped.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field

from mock_server import context
from mock_server.service.durable import DurableStateError
from mock_server.service.tape import TAPE, Tape

PICKLE_PROTOCOL = 5
REPLAY_REQUEST_ID = "req_replay"
logger = logging.getLogger("ledgerhq.sandbox")


@dataclass(slots=True)
class Recording:
    operation_id: str
    arguments: dict
    tape: Tape = field(default_factory=Tape)
    committed: bool = False


RECORDING: ContextVar[Recording | None] = ContextVar("ledgerhq_recording", default=None)


class OperationRecorder:
    def __init__(self, resolve: Callable[[str], Callable]) -> None:
        self.resolve = resolve
        self.handlers: dict[str, Callable] = {}

    def recorded(self, operation_id: str) -> Callable:
        """The handler of `operation_id`, wrapped to record what its write needs to replay."""
        return self.wrap(operation_id, self.resolve(operation_id))

    def wrap(self, operation_id: str, handler: Callable) -> Callable:
        """`async handler(service, **arguments)` under a name unique among the recorded
        ones, recorded; any front end's operation (not only the contract's) wraps this way."""
        self.handlers[operation_id] = handler

        async def recorded_handler(service, **arguments):
            recording = Recording(operation_id, arguments)
            started = RECORDING.set(recording), TAPE.set(recording.tape)
            try:
                return await handler(service, **arguments)
            finally:
                RECORDING.reset(started[0])
                TAPE.reset(started[1])
        recorded_handler.__name__ = getattr(handler, "__name__", operation_id)
        return recorded_handler

    def recording(self) -> bool:
        """A recorded operation is running (its write can be journaled)."""
        return RECORDING.get() is not None

    def record(self, write, answer: object) -> bytes:
        """What the journal stores for `write`, committed by the running operation."""
        recording = RECORDING.get()
        if recording is None:
            raise DurableStateError(f"the write {write.name!r} runs outside a recorded operation")
        if recording.committed:
            raise DurableStateError(f"{recording.operation_id} commits a second write ({write.name!r})")
        recording.committed = True
        try:
            request = context.current()
            headers, caller = request.headers, request.caller
        except LookupError:             # a front end without an HTTP request
            headers, caller = {}, None
        return pickle.dumps((recording.operation_id, recording.arguments, headers,
                             caller, recording.tape.values, answer), PICKLE_PROTOCOL)

    async def replay(self, service, record: bytes) -> bool:
        """Run one journal row's operation again; True when its write committed again."""
        operation_id, arguments, headers, caller, values, service.journal.expected = pickle.loads(record)
        before = service.journal.count
        context.bind(context.RequestContext(REPLAY_REQUEST_ID, headers, caller))
        tape = TAPE.set(Tape(values, replaying=True))
        try:
            await self.handlers[operation_id](service, **arguments)
        except Exception as error:
            if service.journal.count != before + 1:     # failed after its commit: as the first time
                raise DurableStateError(f"replaying {operation_id} failed: {error!r}") from error
            logger.warning("replayed %s committed, then raised %r", operation_id, error)
        finally:
            TAPE.reset(tape)
        return service.journal.count == before + 1


def attach(service, resolve: Callable[[str], Callable]) -> Callable[[str], Callable]:
    """With a durable journal: its recorder, and the resolver of recorded handlers."""
    if not getattr(service.journal, "durable", False):
        return resolve
    recorder = OperationRecorder(resolve)
    service.journal.recorder = recorder
    service.journal.attach(service)
    return recorder.recorded


def recorded(service, operation_id: str, handler: Callable) -> Callable:
    """`handler` recorded under `operation_id` when `service` keeps durable state (the app
    is made first: `attach` creates the recorder); else `handler` itself."""
    recorder = getattr(service.journal, "recorder", None)
    return handler if recorder is None else recorder.wrap(operation_id, handler)
