"""Bodies that stall or stop short, over raw sockets to a live server on 127.0.0.1: a stalled
body (declared length or chunked) is a 400 after the sandbox's wait and its connection is
closed; a body cut short by a client that leaves is never processed. On every operation that
takes a JSON body, all at once; /api/health answers meanwhile and the books do not move."""
from __future__ import annotations

import json
import socket
from urllib.parse import urlsplit

from tests.hostile.conftest import BODY_WAIT_S, LIVENESS_BOUND_S, under_attack
from tests.hostile.targets import Target, body_targets, books

TARGETS = body_targets()
READ_BYTES_MAX = 1_000_000


def opened(live, target: Target, framing: dict[str, str]) -> socket.socket:
    address = urlsplit(live.base_url)
    connection = socket.create_connection((address.hostname, address.port), timeout=LIVENESS_BOUND_S)
    headers = {**target.headers(), **framing, "Host": address.netloc, "Connection": "keep-alive"}
    head = f"{target.method} {target.path} HTTP/1.1\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    connection.sendall((head + "\r\n").encode())
    return connection


def read_to_end(connection: socket.socket) -> bytes:
    """Everything the server sends until it closes (bounded in time and size)."""
    received = b""
    try:
        while len(received) < READ_BYTES_MAX:
            chunk = connection.recv(65536)
            if not chunk:
                break
            received += chunk
    finally:
        connection.close()
    return received


def parsed(raw: bytes) -> tuple[int, dict[str, str], dict]:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, json.loads(body)


def body_of(target: Target) -> bytes:
    return json.dumps(target.body).encode()


def test_a_stalled_body_is_400_after_the_wait_and_its_connection_closed(live) -> None:
    def stall_everywhere():
        connections = []
        for target in TARGETS:
            body = body_of(target)
            connection = opened(live, target, {"Content-Length": str(len(body) + 100)})
            connection.sendall(body[: len(body) // 2])         # and then nothing more
            connections.append(connection)
        return [read_to_end(connection) for connection in connections]

    with live.client() as client:
        before = books(client)
        answers = under_attack(live, stall_everywhere)
        assert books(client) == before
    for target, raw in zip(TARGETS, answers):
        status, headers, body = parsed(raw)
        assert (status, body["error"]["code"]) == (400, "VALIDATION_ERROR"), target.operation_id
        assert f"{BODY_WAIT_S:g} s" in body["error"]["message"]
        assert body["error"]["requestId"] == headers["x-request-id"]
        assert headers["connection"] == "close"


def test_a_stalled_chunked_body_is_400_after_the_wait(live) -> None:
    target = next(t for t in TARGETS if t.operation_id == "createCompanyPurchase")
    with live.client() as client:
        before = books(client)

        def stall():
            connection = opened(live, target, {"Transfer-Encoding": "chunked"})
            connection.sendall(b"10\r\n" + body_of(target)[:16] + b"\r\n")
            return read_to_end(connection)

        status, _, body = parsed(under_attack(live, stall))
        assert (status, body["error"]["details"]) == (400, [{"field": "body", "issue": "timed out"}])
        assert books(client) == before


def test_a_body_shorter_than_its_content_length_is_never_processed(live) -> None:
    def leave_early_everywhere():
        answers = []
        for target in TARGETS:
            body = body_of(target)        # whole and valid, but 50 bytes short of what is declared
            connection = opened(live, target, {"Content-Length": str(len(body) + 50)})
            connection.sendall(body)
            connection.shutdown(socket.SHUT_WR)
            answers.append(read_to_end(connection))
        return answers

    with live.client() as client:
        before = books(client)
        answers = under_attack(live, leave_early_everywhere)
        assert all(answer == b"" for answer in answers), answers[:1]
        assert books(client) == before
        purchase = next(t for t in TARGETS if t.operation_id == "createCompanyPurchase")
        sent_whole = client.post(purchase.path, content=body_of(purchase), headers=purchase.headers())
        assert sent_whole.status_code == 201, sent_whole.text      # the same body, whole, posts
        assert books(client) != before
