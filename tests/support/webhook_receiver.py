"""A real HTTP receiver on 127.0.0.1 (port 0), served from a thread (test helper)."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOLD_S_MAX = 5.0


@dataclass(frozen=True)
class Received:
    arrived_s: float            # time.monotonic()
    headers: dict[str, str]
    body: bytes


class Receiver:
    """Answers request n with `script[n]`: a status code, or "hold" (keep the request until
    `release` is set, then answer 200). Past the script's end it answers 200."""

    def __init__(self, script: list[int | str]) -> None:
        self.script = script
        self.requests: list[Received] = []
        self.arrived = threading.Condition()
        self.release = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def wait_for(self, count: int, timeout_s: float = 5.0) -> bool:
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.requests) >= count, timeout_s)

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=2.0)

    def _answer(self, headers: dict[str, str], body: bytes) -> int:
        with self.arrived:
            index = len(self.requests)
            self.requests.append(Received(time.monotonic(), headers, body))
            self.arrived.notify_all()
        action = self.script[index] if index < len(self.script) else 200
        if action == "hold":
            self.release.wait(HOLD_S_MAX)
            return 200
        assert isinstance(action, int)
        return action

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status = receiver._answer(dict(self.headers.items()), body)
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass    # the client gave up (time-out test)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler
