"""The kit's webhook receiver, over real HTTP on 127.0.0.1: each event's first delivery is answered 500 when
asked, whoever else's events arrive first (a server shared by two pipelines)."""
from __future__ import annotations

import json

import httpx

from conformance.receiver import Receiver


def post(receiver: Receiver, event_id: str, attempt: int) -> int:
    body = json.dumps({"id": event_id, "type": "entry.posted"}).encode()
    headers = {"LedgerHQ-Event-Id": event_id, "LedgerHQ-Delivery-Attempt": str(attempt)}
    return httpx.post(receiver.url, content=body, headers=headers, timeout=5).status_code


def test_each_events_first_delivery_fails_even_when_another_event_came_first() -> None:
    with Receiver(fail_each_event_once=True) as receiver:
        assert post(receiver, "evt_other_client", 1) == 500
        assert post(receiver, "evt_mine", 1) == 500, "another client's event used up the failure"
        assert post(receiver, "evt_mine", 2) == 200
        assert post(receiver, "evt_other_client", 2) == 200
        assert [d.headers["ledgerhq-event-id"] for d in receiver.deliveries()] == [
            "evt_other_client", "evt_mine", "evt_mine", "evt_other_client"]


def test_a_retry_under_a_new_event_id_is_failed_again() -> None:
    """A server that gives each retry a new id never sees a 200, so the check still sees the ids differ."""
    with Receiver(fail_each_event_once=True) as receiver:
        assert post(receiver, "evt_1", 1) == 500
        assert post(receiver, "evt_2", 2) == 500


def test_a_plain_receiver_answers_200() -> None:
    with Receiver() as receiver:
        assert post(receiver, "evt_1", 1) == 200
        assert len(receiver.deliveries()) == 1
