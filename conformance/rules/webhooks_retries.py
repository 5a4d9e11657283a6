"""R8 webhooks, the edges of deliveries: a failing receiver gets retries carrying the same event id; every event
has an id of its own, so receivers can drop duplicates. In the webhooks rule, which runs first: a company holds a
bounded number of subscriptions, and the contract has no route that removes one, so these subscribe before the
other rules (the fuzzer's among them) have used the room up."""
from __future__ import annotations

from conformance.failures import DeliveryBroken
from conformance.http import new_idempotency_key
from conformance.receiver import Delivery, Receiver
from conformance.registry import rule_check
from conformance.rules.webhooks import (
    EVENT_POSTED, entry_body, event_of, post_entry, posted_event_for, require_reachable, seen, subscribe_for_the_run,
)
from conformance.suite import Suite

RETRY_WAIT_S = 8.0            # the first retry comes after the implementation's shortest backoff
DELIVERY_WAIT_S = 10.0
ENTRIES_POSTED = 3


def attempts_for(receiver: Receiver, entry_id: str, count: int, wait_s: float) -> list[Delivery]:
    wanted = posted_event_for(entry_id)
    found = receiver.wait_for(lambda _: len([d for d in receiver.deliveries() if wanted(d)]) >= count, wait_s)
    return [delivery for delivery in found if wanted(delivery)]


@rule_check()
def check_retries_keep_the_event_id(suite: Suite) -> None:
    require_reachable(suite)
    with Receiver(fail_each_event_once=True) as receiver:
        subscribe_for_the_run(suite, receiver.url, [EVENT_POSTED])
        receipt, entry_id = post_entry(suite, entry_body(suite), new_idempotency_key())
        attempts = attempts_for(receiver, entry_id, 2, RETRY_WAIT_S)
        if len(attempts) < 2:
            raise DeliveryBroken(f"the receiver answered 500 to the {EVENT_POSTED} delivery of {entry_id}, and no "
                                 f"retry came within {RETRY_WAIT_S:.0f} s; {seen(receiver)}", receipt)
        ids = [(event_of(d) or {}).get("id") for d in attempts[:2]]
        headers = [d.headers.get("ledgerhq-event-id") for d in attempts[:2]]
        if ids[0] != ids[1] or headers[0] != headers[1]:
            raise DeliveryBroken(f"a retry of the {EVENT_POSTED} delivery of {entry_id} carries another event id: "
                                 f"body ids {ids}, LedgerHQ-Event-Id {headers}", receipt)


@rule_check()
def check_event_ids_are_unique(suite: Suite) -> None:
    require_reachable(suite)
    with Receiver() as receiver:
        subscribe_for_the_run(suite, receiver.url, [EVENT_POSTED])
        posted = [post_entry(suite, entry_body(suite), new_idempotency_key()) for _ in range(ENTRIES_POSTED)]
        ids = {}
        for receipt, entry_id in posted:
            found = attempts_for(receiver, entry_id, 1, DELIVERY_WAIT_S)
            if not found:
                raise DeliveryBroken(f"no {EVENT_POSTED} delivery for {entry_id}; {seen(receiver)}", receipt)
            ids[entry_id] = {(event_of(d) or {}).get("id") for d in found}
        every = [event_id for found in ids.values() for event_id in found]
        if len(every) != len(set(every)) or any(len(found) != 1 for found in ids.values()):
            raise DeliveryBroken(f"event ids are not one per event: {ids}", posted[-1][0])
