"""A receiver of webhook deliveries on 127.0.0.1 (port 0): records every request and answers 200 (or 500 to
the first delivery of each event, when asked to fail, to draw retries)."""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

HOST = "127.0.0.1"
LIFETIME_S_MAX = 60.0          # the receiver stops serving after this, even if never closed
POLL_S = 0.05
DELIVERIES_MAX = 500           # recorded deliveries; later ones are answered but not kept
BODY_BYTES_MAX = 1_000_000
SOCKET_TIMEOUT_S = 5.0
CLOSE_WAIT_S = 2.0


@dataclass(frozen=True, slots=True)
class Delivery:
    method: str
    path: str
    headers: dict[str, str]    # names in lower case
    body: bytes                # raw, as received
    arrived_s: float           # unix seconds

    def excerpt(self, chars_max: int = 400) -> str:
        shown = {k: v for k, v in self.headers.items() if k.startswith("ledgerhq-") or k == "content-type"}
        return f"{self.method} {self.path} {shown} {self.body[:chars_max].decode(errors='replace')}"


class Receiver:
    """`with Receiver() as receiver:` serves until the block ends or `lifetime_s` has passed."""

    def __init__(self, lifetime_s: float = LIFETIME_S_MAX, fail_each_event_once: bool = False) -> None:
        # Each event's first delivery answered 500, to draw a retry. Per event, not "the first N requests":
        # on a server shared with other clients, another client's event may arrive first.
        self.fail_each_event_once = fail_each_event_once
        self._events_seen: set[str] = set()
        self._deliveries: list[Delivery] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._deadline = time.monotonic() + lifetime_s
        self.server = ThreadingHTTPServer((HOST, 0), handler_for(self))
        self.server.daemon_threads = True
        self.server.timeout = POLL_S
        self.thread = threading.Thread(target=self._serve, name="webhook-receiver", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server.server_address[1]}/conformance/webhooks"

    def __enter__(self) -> "Receiver":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self.thread.join(timeout=CLOSE_WAIT_S)
        self.server.server_close()

    def _serve(self) -> None:
        while not self._stop.is_set() and time.monotonic() < self._deadline:
            self.server.handle_request()      # returns after POLL_S when nothing arrives

    def record(self, delivery: Delivery) -> int:
        """Keep `delivery`; the status to answer it with."""
        with self._lock:
            if len(self._deliveries) < DELIVERIES_MAX:
                self._deliveries.append(delivery)
            if not self.fail_each_event_once or len(self._events_seen) >= DELIVERIES_MAX:
                return 200
            event = event_key(delivery)
            if event in self._events_seen:
                return 200
            self._events_seen.add(event)
            return 500

    def deliveries(self) -> list[Delivery]:
        with self._lock:
            return list(self._deliveries)

    def wait_for(self, wanted: Callable[[Delivery], bool], wait_s: float) -> list[Delivery]:
        """The recorded deliveries that are `wanted`, as soon as there is one; [] after `wait_s`."""
        for _ in range(int(wait_s / POLL_S) + 1):
            found = [delivery for delivery in self.deliveries() if wanted(delivery)]
            if found:
                return found
            time.sleep(POLL_S)
        return []


def event_key(delivery: Delivery) -> str:
    """Which event a delivery carries: its LedgerHQ-Event-Id, else its body's id, else its body."""
    header = delivery.headers.get("ledgerhq-event-id")
    if header:
        return "header:" + header
    try:
        body = json.loads(delivery.body)
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("id"), str):
        return "body:" + body["id"]
    return "raw:" + delivery.body.decode(errors="replace")


def handler_for(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        timeout = SOCKET_TIMEOUT_S

        def do_POST(self) -> None:
            try:
                length = min(max(int(self.headers.get("content-length") or 0), 0), BODY_BYTES_MAX)
            except ValueError:
                length = 0
            body = self.rfile.read(length)
            headers = {name.lower(): value for name, value in self.headers.items()}
            status = receiver.record(Delivery(self.command, self.path, headers, body, time.time()))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_PUT = do_PATCH = do_DELETE = do_POST      # recorded too: a delivery must be a POST

        def log_message(self, format: str, *args: object) -> None:
            return None

    return Handler
