"""What a write read from outside its inputs: the clock and the random tokens, on a tape.

With durable state, each operation that writes runs with a `Tape` in a context variable:
every clock reading and every token from `secrets` made while it runs is appended to the
tape (recorded with the write in the journal). Replaying the journal plays each tape back,
so the replayed write makes the same ids, tokens and times as the one acknowledged.
Without durable state nothing here is installed: no clock or token call is wrapped.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from contextvars import ContextVar

TAPED_TOKEN_FUNCTIONS = ("token_hex", "token_urlsafe")     # both call token_bytes: not taped
TAPE: ContextVar["Tape | None"] = ContextVar("ledgerhq_tape", default=None)


class Tape:
    """Values in the order they were read; `replaying` plays them back, then reads live."""

    __slots__ = ("values", "position", "replaying")

    def __init__(self, values: list | None = None, replaying: bool = False) -> None:
        self.values = values if values is not None else []
        self.position = 0
        self.replaying = replaying

    def take(self, live: Callable, *args):
        if self.replaying:
            if self.position < len(self.values):
                self.position += 1
                return self.values[self.position - 1]
            return live(*args)
        value = live(*args)
        self.values.append(value)
        return value

    @property
    def exhausted(self) -> bool:
        return self.position >= len(self.values)


def taped(live: Callable) -> Callable:
    """`live` reading from the running operation's tape, if any."""
    def read(*args):
        tape = TAPE.get()
        return live(*args) if tape is None else tape.take(live, *args)
    read.__wrapped__ = live
    return read


class TokenTaping:
    """Wraps the `secrets` token functions for as long as a durable sandbox runs (a
    process-wide patch, undone by `uninstall`; only calls made under a tape are recorded)."""

    def __init__(self) -> None:
        self.originals: dict[str, Callable] = {}

    def install(self) -> None:
        for name in TAPED_TOKEN_FUNCTIONS:
            current = getattr(secrets, name)
            if getattr(current, "__wrapped__", None) is None:
                self.originals[name] = current
                setattr(secrets, name, taped(current))

    def uninstall(self) -> None:
        for name, original in self.originals.items():
            setattr(secrets, name, original)
        self.originals.clear()
