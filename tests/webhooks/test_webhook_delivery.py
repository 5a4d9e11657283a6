"""Delivery against a real receiver on 127.0.0.1. Every wait is bounded; base delay 0.05 s."""
from __future__ import annotations

import asyncio
import json
import time
from typing import Callable

from tests.support.webhook_receiver import Receiver

from mock_server.webhooks.delivery import Dispatcher
from mock_server.webhooks.events import new_event
from mock_server.webhooks.signing import verify
from mock_server.webhooks.subscriptions import WebhookRegistry, WebhookSubscription

BASE_DELAY_S = 0.05
WAIT_S = 5.0
MakeReceiver = Callable[[list[int | str]], Receiver]
FAILING_DELIVERIES = 200        # more than the dispatcher's sending slots


def subscribe(url: str) -> tuple[WebhookRegistry, WebhookSubscription]:
    registry = WebhookRegistry()
    return registry, registry.create("cmp_a", url, ["journal_entry.posted"])


def posted_event(entry_id: str = "je_1"):
    return new_event("journal_entry.posted", "cmp_a", {"id": entry_id, "status": "posted"})


async def wait_requests(receiver: Receiver, count: int) -> None:
    assert await asyncio.to_thread(receiver.wait_for, count, WAIT_S), receiver.requests


def test_failing_receiver_is_retried_with_growing_gaps(receiver_factory: MakeReceiver) -> None:
    receiver = receiver_factory([500, 503, 200])
    registry, subscription = subscribe(receiver.url)
    event = posted_event()

    async def scenario() -> Dispatcher:
        dispatcher = Dispatcher(registry, base_delay_s=BASE_DELAY_S, timeout_s=2.0)
        await dispatcher.start()
        assert dispatcher.enqueue(event)
        await wait_requests(receiver, 3)
        assert await dispatcher.wait_idle(WAIT_S)
        await dispatcher.stop()
        return dispatcher

    dispatcher = asyncio.run(scenario())
    requests = receiver.requests
    assert len(requests) == 3
    assert [r.headers["LedgerHQ-Event-Id"] for r in requests] == [event.id] * 3
    assert [r.headers["LedgerHQ-Delivery-Attempt"] for r in requests] == ["1", "2", "3"]
    for request in requests:
        assert request.headers["Content-Type"] == "application/json"
        assert json.loads(request.body) == event.to_payload()
        assert verify(subscription.secret, request.headers["LedgerHQ-Signature"], request.body,
                      now=time.time())
    log = dispatcher.deliveries(subscription.id)
    assert [(d.attempt, d.status_code, d.succeeded) for d in log] == \
        [(1, 500, False), (2, 503, False), (3, 200, True)]
    assert all(d.event_id == event.id and d.id.startswith("dlv_") for d in log)
    scheduled_s = [(d.next_retry_at - d.delivered_at).total_seconds() for d in log[:2]]
    assert [round(s, 3) for s in scheduled_s] == [0.05, 0.1] and log[2].next_retry_at is None
    first_gap_s = requests[1].arrived_s - requests[0].arrived_s
    second_gap_s = requests[2].arrived_s - requests[1].arrived_s
    assert first_gap_s >= BASE_DELAY_S and second_gap_s >= 2 * BASE_DELAY_S
    assert second_gap_s >= first_gap_s * 1.3      # roughly doubles; slack for scheduling


def test_receiver_that_times_out_is_retried(receiver_factory: MakeReceiver) -> None:
    receiver = receiver_factory(["hold", 200])
    registry, subscription = subscribe(receiver.url)
    event = posted_event()

    async def scenario() -> Dispatcher:
        dispatcher = Dispatcher(registry, base_delay_s=BASE_DELAY_S, timeout_s=0.2)
        await dispatcher.start()
        dispatcher.enqueue(event)
        await wait_requests(receiver, 2)
        assert await dispatcher.wait_idle(WAIT_S)
        await dispatcher.stop()
        return dispatcher

    dispatcher = asyncio.run(scenario())
    log = dispatcher.deliveries(subscription.id)
    assert [(d.attempt, d.status_code, d.succeeded) for d in log] == \
        [(1, None, False), (2, 200, True)]
    assert "timed out" in (log[0].error or "")
    assert {r.headers["LedgerHQ-Event-Id"] for r in receiver.requests} == {event.id}


def test_enqueue_never_waits_for_a_slow_receiver(receiver_factory: MakeReceiver) -> None:
    receiver = receiver_factory(["hold", 200])
    registry, subscription = subscribe(receiver.url)
    first, second = posted_event("je_1"), posted_event("je_2")

    async def scenario() -> Dispatcher:
        dispatcher = Dispatcher(registry, base_delay_s=BASE_DELAY_S, timeout_s=WAIT_S)
        await dispatcher.start()
        assert dispatcher.enqueue(first)
        assert receiver.requests == []          # returned before the receiver got anything
        await wait_requests(receiver, 1)        # the receiver now holds the first delivery
        assert dispatcher.enqueue(second)
        assert not receiver.release.is_set()    # ... and still holds it: enqueue did not wait
        await wait_requests(receiver, 2)        # the second delivery is not queued behind it
        assert not receiver.release.is_set()
        receiver.release.set()
        assert await dispatcher.wait_idle(WAIT_S)
        await dispatcher.stop()
        return dispatcher

    dispatcher = asyncio.run(scenario())
    log = dispatcher.deliveries(subscription.id)
    assert sorted((d.event_id, d.succeeded) for d in log) == \
        sorted([(first.id, True), (second.id, True)])


def test_stop_cancels_pending_retries(receiver_factory: MakeReceiver) -> None:
    receiver = receiver_factory([500])
    registry, subscription = subscribe(receiver.url)

    async def scenario() -> Dispatcher:
        dispatcher = Dispatcher(registry, base_delay_s=30.0, timeout_s=2.0)
        await dispatcher.start()
        dispatcher.enqueue(posted_event())
        await wait_requests(receiver, 1)
        for _ in range(100):                    # the failure is logged right after the answer
            if dispatcher.deliveries(subscription.id):
                break
            await asyncio.sleep(0.01)
        await asyncio.wait_for(dispatcher.stop(wait_s=1.0), timeout=WAIT_S)
        return dispatcher

    dispatcher = asyncio.run(scenario())
    [only] = dispatcher.deliveries(subscription.id)
    assert not only.succeeded and only.next_retry_at is not None
    assert len(receiver.requests) == 1


def test_targeted_send_reaches_one_webhook_only(receiver_factory: MakeReceiver) -> None:
    receiver = receiver_factory([])
    registry, subscription = subscribe(receiver.url)
    other = registry.create("cmp_a", receiver.url, ["webhook.test"])
    event = new_event("webhook.test", "cmp_a", {"webhookId": subscription.id})

    async def scenario() -> Dispatcher:
        dispatcher = Dispatcher(registry, base_delay_s=BASE_DELAY_S)
        await dispatcher.start()
        dispatcher.enqueue(event, webhook_id=subscription.id)
        dispatcher.enqueue(new_event("webhook.test", "cmp_b", {}), webhook_id=subscription.id)
        assert await dispatcher.wait_idle(WAIT_S)
        await dispatcher.stop()
        return dispatcher

    dispatcher = asyncio.run(scenario())
    assert [d.event_id for d in dispatcher.deliveries(subscription.id)] == [event.id]
    assert dispatcher.deliveries(other.id) == []


def test_a_full_queue_refuses_without_blocking() -> None:
    dispatcher = Dispatcher(WebhookRegistry(), queue_max=1)
    assert dispatcher.enqueue(posted_event("je_1"))
    assert not dispatcher.enqueue(posted_event("je_2"))
    assert dispatcher.dropped_count == 1


def test_deliveries_waiting_to_retry_do_not_hold_up_new_ones(receiver_factory: MakeReceiver) -> None:
    """More failing deliveries than sending slots sit in their retry wait; a new event to a
    healthy receiver still goes out at once (long before any retry is due)."""
    registry = WebhookRegistry()
    failing_companies = [f"cmp_f{n}" for n in range(FAILING_DELIVERIES // 20)]
    for company_id in failing_companies:
        for _ in range(20):
            registry.create(company_id, "http://127.0.0.1:9/refused", ["journal_entry.posted"])
    receiver = receiver_factory([200])
    registry.create("cmp_ok", receiver.url, ["journal_entry.posted"])

    async def scenario() -> None:
        dispatcher = Dispatcher(registry, base_delay_s=60.0, timeout_s=2.0)
        await dispatcher.start()
        for company_id in failing_companies:
            dispatcher.enqueue(new_event("journal_entry.posted", company_id, {"id": "je_x"}))
        dispatcher.enqueue(new_event("journal_entry.posted", "cmp_ok", {"id": "je_ok"}))
        await wait_requests(receiver, 1)        # bounded by WAIT_S, far below the 60 s retry
        await dispatcher.stop()

    asyncio.run(scenario())
    assert json.loads(receiver.requests[0].body)["data"] == {"id": "je_ok"}
