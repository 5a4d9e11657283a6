"""What a handler may know about the request it serves, set once per request: per-request
facts only (the sandbox itself reaches handlers as an argument, from the dispatcher)."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class RequestContext:
    request_id: str
    headers: dict[str, str]         # lower-cased names
    caller: Any = None              # mock_server.auth.caller.Caller once authenticated
    delay_ms: int = 0               # a forced delay, spent by the handler (postings: key held)
    path: str = ""                  # the request's path (list cursors are bound to it)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


_current: ContextVar[RequestContext] = ContextVar("ledgerhq_request")


def current() -> RequestContext:
    return _current.get()


def bind(context: RequestContext) -> None:
    _current.set(context)


def current_request_id() -> str:
    context = _current.get(None)
    return context.request_id if context else "req_unknown"
