"""A small closed-loop HTTP/1.1 load generator on asyncio streams (keep-alive, no pipelining).

Each of `connections` workers sends one request, reads the whole response, and sends the
next, until `duration_s` has passed or `requests_max` were sent: both bounds always hold.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

REQUESTS_MAX_DEFAULT = 200_000
READ_TIMEOUT_S = 10.0


@dataclass(frozen=True, slots=True)
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies_ms: tuple[float, ...]

    @property
    def requests_per_s(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile_ms(self, share: float) -> float:
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def raw_request(method: str, path: str, host: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), READ_TIMEOUT_S)
    status = int(head[9:12])
    length = 0
    chunked = False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        await _read_chunked(reader)
    elif length:
        await asyncio.wait_for(reader.readexactly(length), READ_TIMEOUT_S)
    return status


async def _read_chunked(reader: asyncio.StreamReader) -> None:
    for _ in range(100_000):
        size = int((await reader.readuntil(b"\r\n")).strip(), 16)
        await reader.readexactly(size + 2)
        if size == 0:
            return


async def _worker(host, port, make_request, deadline, budget, latencies, counts) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < deadline and budget[0] > 0:
            budget[0] -= 1
            started = time.perf_counter()
            writer.write(make_request())
            status = await _read_response(reader)
            latencies.append((time.perf_counter() - started) * 1000)
            counts[0] += 1
            if status >= 500:
                counts[1] += 1
    finally:
        writer.close()


async def run_load(host: str, port: int, make_request, connections: int = 16,
                   duration_s: float = 3.0, requests_max: int = REQUESTS_MAX_DEFAULT) -> LoadResult:
    latencies: list[float] = []
    counts = [0, 0]
    budget = [requests_max]
    started = time.perf_counter()
    deadline = started + duration_s
    await asyncio.gather(*(_worker(host, port, make_request, deadline, budget, latencies, counts)
                           for _ in range(connections)))
    return LoadResult(counts[0], counts[1], time.perf_counter() - started, tuple(latencies))
