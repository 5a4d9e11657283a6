"""Webhook delivery (R8): a bounded queue, one worker, and one task per (event, webhook)
that POSTs the signed payload and retries with exponential backoff.

- `enqueue(event)` never blocks: it puts on a bounded queue and returns (False when full).
- Non-2xx, a time-out or a connection error is retried after `base_delay_s * 2**(attempt-1)`
  (1, 2, 4, 8, 16 x base), up to `attempts_max` attempts (6). Each delivery sleeps in its
  own task and holds a sending slot only while its request is open, so a slow or failing
  receiver never delays another; past PENDING_MAX pending deliveries new ones are dropped
  (counted in `dropped_count`).
- Every attempt carries the same event id (`LedgerHQ-Event-Id`) and body, a fresh signature
  timestamp, and its number (`LedgerHQ-Delivery-Attempt`).
- Every attempt is logged per webhook (`deliveries(webhook_id)`, oldest first, capped).
- Callers enqueue only committed changes: a refused request or a replay of an idempotent
  request (`Idempotent-Replayed: true`) must not enqueue anything (R2, R9).
- The log's times and the retry schedule follow the sandbox clock of the event's company
  (`clock(company_id)`; retry_clock.py); signatures carry real time (`wall`).
- `stop()` drops queued events, cancels pending retries and closes the client, waiting at
  most `wait_s`.
"""
from __future__ import annotations

import asyncio
import collections
import datetime as dt
import json
import logging
import secrets
import time
from dataclasses import dataclass
from typing import Callable

import httpx

from mock_server.webhooks.events import WebhookEvent
from mock_server.webhooks.hosts import ANY_HOST, WebhookHosts
from mock_server.webhooks.retry_clock import RetryClock, real_time_s
from mock_server.webhooks.signing import SIGNATURE_HEADER, sign
from mock_server.webhooks.subscriptions import WebhookRegistry, WebhookSubscription

DELIVERY_PREFIX = "dlv_"
ATTEMPTS_MAX = 6
QUEUE_MAX = 1_000
SENDING_MAX = 100               # HTTP requests to receivers open at once
PENDING_MAX = 10_000            # (event, webhook) deliveries sending or waiting to retry
LOG_PER_WEBHOOK_MAX = 100
LOGGED_WEBHOOKS_MAX = 10_000
IDLE_ROUNDS_MAX = 100
ERROR_LENGTH_MAX = 200
logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Delivery:
    id: str                         # dlv_ + 24 hex, one per attempt
    webhook_id: str
    event_id: str
    event_type: str
    attempt: int                    # 1..attempts_max
    status_code: int | None         # None: no response (time-out, connection error)
    error: str | None
    delivered_at: dt.datetime       # when the attempt ended (UTC)
    next_retry_at: dt.datetime | None
    succeeded: bool


def retry_delay_s(base_delay_s: float, attempt: int) -> float:
    """Wait after failed attempt `attempt` (1-based): base, 2 base, 4 base, ..."""
    return base_delay_s * 2 ** (attempt - 1)


def payload_bytes(event: WebhookEvent) -> bytes:
    return json.dumps(event.to_payload(), separators=(",", ":"), ensure_ascii=False).encode()


class Dispatcher:
    def __init__(self, registry: WebhookRegistry, timeout_s: float = 5.0,
                 base_delay_s: float = 1.0, attempts_max: int = ATTEMPTS_MAX,
                 queue_max: int = QUEUE_MAX, client: httpx.AsyncClient | None = None,
                 clock: Callable[[str | None], float] = real_time_s, hosts: WebhookHosts = ANY_HOST,
                 wall: Callable[[], float] = time.time) -> None:
        assert timeout_s > 0 and base_delay_s >= 0 and 1 <= attempts_max <= ATTEMPTS_MAX
        self.registry = registry
        self.timeout_s = timeout_s
        self.base_delay_s = base_delay_s
        self.attempts_max = attempts_max
        self.clock = clock                  # unix seconds of a company's clock: log times, retries
        self.wall = wall                    # unix seconds of real time: signatures
        self.retries = RetryClock(clock)
        self.hosts = hosts                  # receivers' hosts allowed (hosts.py)
        self.dropped_count = 0              # events refused because the queue was full
        self._queue: asyncio.Queue[tuple[WebhookEvent, str | None]] = asyncio.Queue(queue_max)
        self._client = client
        self._owns_client = client is None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._worker: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._sending = asyncio.Semaphore(SENDING_MAX)
        self._logs: dict[str, collections.deque[Delivery]] = {}
        self.on_settled = None      # (event, webhook_id) -> None once its sends are all done

    def enqueue(self, event: WebhookEvent, webhook_id: str | None = None) -> bool:
        """Queue `event` for every active subscription of its company that wants its type,
        or, with `webhook_id`, for that one subscription only (sandbox test sends).
        Never blocks. False: the queue is full and the event was dropped. Safe to call from
        another thread once started (then it returns True and drops, if full, later)."""
        item = (event, webhook_id)
        if self._loop is not None and not _in_loop(self._loop):
            self._loop.call_soon_threadsafe(self._put, item)
            return True
        return self._put(item)

    def _put(self, item: tuple[WebhookEvent, str | None]) -> bool:
        try:
            self._queue.put_nowait(item)
        except asyncio.QueueFull:
            self.dropped_count += 1
            logger.warning("webhook queue full; dropped event %s", item[0].id)
            return False
        return True

    def deliveries(self, webhook_id: str) -> list[Delivery]:
        """Attempts logged for one webhook, oldest first (at most LOG_PER_WEBHOOK_MAX)."""
        return list(self._logs.get(webhook_id, ()))

    def delivery_logs(self) -> dict[str, list[Delivery]]:
        return {webhook_id: list(log) for webhook_id, log in self._logs.items()}

    def restore_logs(self, logs: dict[str, list[Delivery]]) -> None:
        self._logs = {webhook_id: collections.deque(log, maxlen=LOG_PER_WEBHOOK_MAX)
                      for webhook_id, log in logs.items()}

    def forget_deliveries(self) -> None:
        """Drop the delivery log of every webhook (sandbox reset or fixture load)."""
        self._logs.clear()

    def clock_moved(self) -> None:
        """A sandbox clock moved: waiting retries check whether they are due now."""
        self.retries.moved()

    async def start(self) -> None:
        if self._worker is not None:
            return
        self._loop = asyncio.get_running_loop()
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self.timeout_s, follow_redirects=False)
        self._worker = asyncio.create_task(self._work(), name="webhook-dispatcher")

    async def stop(self, wait_s: float = 2.0) -> None:
        tasks = list(self._tasks) + ([self._worker] if self._worker else [])
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=wait_s)
        self._worker, self._loop = None, None
        for _ in range(self._queue.qsize()):
            self._queue.get_nowait()
            self._queue.task_done()
        if self._client is not None and self._owns_client:
            client, self._client = self._client, None
            await asyncio.wait_for(client.aclose(), timeout=wait_s)

    async def wait_idle(self, timeout_s: float) -> bool:
        """True once the queue is empty and no delivery is sending or waiting to retry."""
        try:
            async with asyncio.timeout(timeout_s):
                for _ in range(IDLE_ROUNDS_MAX):
                    await self._queue.join()
                    if not self._tasks:
                        return True
                    await asyncio.wait(set(self._tasks))
        except TimeoutError:
            return False
        return False

    async def _work(self) -> None:
        while True:     # one iteration per queued event; ends when cancelled by stop()
            event, webhook_id = await self._queue.get()
            sends = []
            try:
                for subscription in self._targets(event, webhook_id):
                    if len(self._tasks) >= PENDING_MAX:
                        self.dropped_count += 1
                        logger.warning("too many pending webhook deliveries; dropped %s", event.id)
                        continue
                    sends.append(self._spawn(event, subscription.id, explicit=webhook_id is not None))
            finally:
                self._queue.task_done()
            if self.on_settled is not None:
                self._settle_after(sends, event, webhook_id)

    def _settle_after(self, sends: list[asyncio.Task[None]], event: WebhookEvent,
                      webhook_id: str | None) -> None:
        """Tell `on_settled` once every send of one queued event has ended (not cancelled)."""
        pending = set(sends)

        def ended(task: asyncio.Task[None]) -> None:
            pending.discard(task)
            if not pending and not task.cancelled():
                self.on_settled(event, webhook_id)
        if not pending:
            self.on_settled(event, webhook_id)
        for task in sends:
            task.add_done_callback(ended)

    def _targets(self, event: WebhookEvent, webhook_id: str | None) -> list[WebhookSubscription]:
        if webhook_id is None:
            return self.registry.matching(event.company_id, event.type)
        found = self.registry.find(webhook_id)
        return [found] if found is not None and found.company_id == event.company_id else []

    def _spawn(self, event: WebhookEvent, webhook_id: str, explicit: bool) -> asyncio.Task[None]:
        task = asyncio.create_task(self._deliver(event, webhook_id, explicit))
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("webhook delivery failed", exc_info=task.exception())

    async def _deliver(self, event: WebhookEvent, webhook_id: str, explicit: bool) -> None:
        body = payload_bytes(event)
        for attempt in range(1, self.attempts_max + 1):
            subscription = self.registry.find(webhook_id)
            if subscription is None or (subscription.status != "active" and not explicit):
                return      # deleted or disabled meanwhile: stop retrying
            refusal = self.hosts.refusal(subscription.url)
            if refusal is not None:     # never looked up nor connected to; not retried
                return self._record(event, webhook_id, attempt, None, refusal, None)
            status_code, error = await self._post(subscription, event, body, attempt)
            succeeded = status_code is not None and 200 <= status_code < 300
            last = succeeded or attempt == self.attempts_max
            delay_s = None if last else retry_delay_s(self.base_delay_s, attempt)
            due_s = self._record(event, webhook_id, attempt, status_code, error, delay_s)
            if due_s is None:
                return
            await self.retries.wait(event.company_id, due_s, delay_s)

    async def _post(self, subscription: WebhookSubscription, event: WebhookEvent,
                    body: bytes, attempt: int) -> tuple[int | None, str | None]:
        assert self._client is not None, "start() the dispatcher first"
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(subscription.secret, int(self.wall()), body),
            "LedgerHQ-Event-Id": event.id,
            "LedgerHQ-Delivery-Attempt": str(attempt),
        }
        try:
            async with self._sending, asyncio.timeout(self.timeout_s):
                async with self._client.stream("POST", subscription.url, content=body,
                                               headers=headers) as response:
                    return response.status_code, None
        except (TimeoutError, httpx.TimeoutException):
            return None, f"timed out after {self.timeout_s:g} s"
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            return None, f"{type(error).__name__}: {error}"[:ERROR_LENGTH_MAX]

    def _record(self, event: WebhookEvent, webhook_id: str, attempt: int,
                status_code: int | None, error: str | None, delay_s: float | None) -> float | None:
        """Log one attempt; the company's time its retry is due at (None: no retry)."""
        now_s = self.clock(event.company_id)
        log = self._logs.get(webhook_id)
        if log is None:
            if len(self._logs) >= LOGGED_WEBHOOKS_MAX:
                del self._logs[next(iter(self._logs))]
            log = self._logs[webhook_id] = collections.deque(maxlen=LOG_PER_WEBHOOK_MAX)
        if error is None and status_code is not None and not 200 <= status_code < 300:
            error = f"receiver answered {status_code}"
        log.append(Delivery(
            id=DELIVERY_PREFIX + secrets.token_hex(12), webhook_id=webhook_id,
            event_id=event.id, event_type=event.type, attempt=attempt,
            status_code=status_code, error=error, delivered_at=_utc(now_s),
            next_retry_at=None if delay_s is None else _utc(now_s + delay_s),
            succeeded=error is None,
        ))
        return None if delay_s is None else now_s + delay_s


def _utc(unix_s: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(unix_s, dt.timezone.utc)


def _in_loop(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False
