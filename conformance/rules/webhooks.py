"""R8 webhooks: the signing secret is shown once; deliveries are signed with it and sent once per change."""
from __future__ import annotations

import json
from datetime import datetime
from urllib.parse import urlsplit

from conformance.books import post, posting_for
from conformance.expect import expect_status, json_object
from conformance.footprint import footprint_of, webhook_delete
from conformance.failures import DeliveryBroken, PageBroken, SecretShownAgain, SetupFailed, Skip, WrongStatus
from conformance.http import Exchange, new_idempotency_key
from conformance.receiver import Delivery, Receiver
from conformance.registry import rule_check
from conformance.signatures import signature_problem
from conformance.suite import Suite

EVENT_POSTED = "journal_entry.posted"
EVENT_NEVER_SENT = "webhook.test"                # sent only on request: no deliveries to an unreachable URL
SECRET_PREFIX = "whsec_"
EVENT_PREFIX = "evt_"
UNREACHABLE_URL = "http://127.0.0.1:9/conformance/webhooks"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
WEBHOOK_PAGES_MAX = 50
DELIVERY_WAIT_S = 10.0
REPLAY_WAIT_S = 1.0
ATTEMPTS_MAX = 6
DELIVERIES_SHOWN_MAX = 3


def subscribe(suite: Suite, url: str, events: list[str]) -> tuple[Exchange, dict]:
    """A new subscription (legacy route: the organization names the company) and its create response."""
    op = suite.op("POST", "/webhooks")
    made = suite.call(op, json_body={"url": url, "events": events,
                                     "description": f"conformance {suite.world.run_tag}"})
    if made.status in (400, 422) and "url" in made.text.lower():
        raise Skip(f"the implementation refuses a subscription to {url} ({made.status}): webhooks not checked")
    expect_status(made, {201}, f"a new webhook subscription to {url}")
    body = json_object(made, "the new webhook subscription")
    if not isinstance(body.get("id"), str):
        raise WrongStatus("the new webhook subscription has no id", made)
    secret = body.get("secret")
    if not isinstance(secret, str) or not secret.startswith(SECRET_PREFIX):
        raise SecretShownAgain(f"the create response must show the signing secret ({SECRET_PREFIX}...), "
                               f"got {secret!r}", made)
    return made, body


def subscribe_for_the_run(suite: Suite, url: str, events: list[str]) -> tuple[Exchange, dict]:
    """`subscribe`, and the subscription deleted when the run ends (a bounded footprint)."""
    made, body = subscribe(suite, url, events)
    footprint = footprint_of(suite)
    footprint.created.append(("webhooks", body["id"]))
    footprint.cleanups.append(lambda: delete_subscription(suite, body["id"]))
    return made, body


def listed_subscription(suite: Suite, webhook_id: str) -> tuple[Exchange, dict]:
    """The subscription as GET .../webhooks lists it, walking the pages (bounded)."""
    op = suite.op("GET", "/webhooks")
    cursor = None
    for _ in range(WEBHOOK_PAGES_MAX):
        params = {"limit": suite.contract.largest_page(op), **({"cursor": cursor} if cursor else {})}
        page = suite.call(op, params=params)
        expect_status(page, {200}, "the list of webhook subscriptions")
        body = json_object(page, "the list of webhook subscriptions")
        rows = body.get("data") if isinstance(body.get("data"), list) else []
        found = next((row for row in rows if isinstance(row, dict) and row.get("id") == webhook_id), None)
        if found is not None:
            return page, found
        cursor = body.get("nextCursor")
        if not cursor:
            raise WrongStatus(f"the new subscription {webhook_id} is not in the list of subscriptions", page)
    raise PageBroken(f"the list of subscriptions did not end within {WEBHOOK_PAGES_MAX} pages", page)


RECEIVER_LIFETIME_S = 3600.0


def run_subscription(suite: Suite) -> tuple[Exchange, dict, Receiver | None]:
    """The run's one subscription, made on first use and deleted at the end of the run: to a receiver on
    this machine when the implementation can reach it, else to an unreachable URL for an event never sent."""
    if suite.cache.webhook_subscription is None:
        try:
            require_reachable(suite)
            receiver = Receiver(RECEIVER_LIFETIME_S).__enter__()
        except Skip:
            receiver = None
        footprint = footprint_of(suite)
        if receiver is not None:
            footprint.cleanups.append(lambda: receiver.__exit__(None, None, None))
        try:
            made, body = (subscribe_for_the_run(suite, receiver.url, [EVENT_POSTED]) if receiver
                          else subscribe_for_the_run(suite, UNREACHABLE_URL, [EVENT_NEVER_SENT]))
        except Exception as error:
            suite.cache.webhook_subscription = error
            raise
        suite.cache.webhook_subscription = (made, body, receiver)
    found = suite.cache.webhook_subscription
    if isinstance(found, Exception):
        raise found
    return found


def delete_subscription(suite: Suite, webhook_id: str) -> None:
    from conformance.footprint import remove
    delete = webhook_delete(suite)
    if delete is None:
        footprint_of(suite).leave("webhooks", webhook_id, "the contract declares no DELETE /api/v1/webhooks/{webhookId}")
        return
    remove(suite, delete, webhook_id, "webhooks")


@rule_check()
def check_webhook_secret_shown_once(suite: Suite) -> None:
    _, made, _ = run_subscription(suite)
    page, row = listed_subscription(suite, made["id"])
    if "secret" in row:
        raise SecretShownAgain(f"subscription {made['id']} is listed with its secret; it is shown once, "
                               "in the create response only", page)


def event_of(delivery: Delivery) -> dict | None:
    try:
        body = json.loads(delivery.body)
    except (ValueError, RecursionError):
        return None
    return body if isinstance(body, dict) else None


def posted_event_for(entry_id: str):
    def wanted(delivery: Delivery) -> bool:
        event = event_of(delivery) or {}
        data = event.get("data")
        return event.get("type") == EVENT_POSTED and isinstance(data, dict) and data.get("id") == entry_id
    return wanted


def seen(receiver: Receiver) -> str:
    shown = [delivery.excerpt() for delivery in receiver.deliveries()[:DELIVERIES_SHOWN_MAX]]
    return f"{len(receiver.deliveries())} deliveries received" + (": " + " | ".join(shown) if shown else "")


def first_delivery(receiver: Receiver, entry_id: str, receipt: Exchange) -> Delivery:
    found = receiver.wait_for(posted_event_for(entry_id), DELIVERY_WAIT_S)
    if not found:
        raise DeliveryBroken(f"no {EVENT_POSTED} delivery for entry {entry_id} reached {receiver.url} within "
                             f"{DELIVERY_WAIT_S:.0f} s; {seen(receiver)} (an implementation still retrying "
                             "deliveries to unreachable URLs, e.g. from an earlier run, may deliver late)", receipt)
    return found[0]


def require_reachable(suite: Suite) -> None:
    host = urlsplit(suite.config.base_url).hostname
    if host not in LOCAL_HOSTS:
        raise Skip(f"the implementation at {host} cannot reach a receiver on this machine: deliveries not checked")


def entry_body(suite: Suite) -> dict:
    """A balanced journal entry on the suite's own accounts."""
    return posting_for(suite, suite.op("POST", "/journal-entries"), 4200, description="conformance webhooks").body


def post_entry(suite: Suite, body: dict, key: str) -> tuple[Exchange, str]:
    """`body` posted with `key`; the receipt and the entry id."""
    receipt = post(suite, suite.op("POST", "/journal-entries"), body, key)
    expect_status(receipt, {201}, "a posted journal entry")
    entry_id = json_object(receipt, "receipt").get("journalEntryId")
    if not isinstance(entry_id, str):
        raise SetupFailed("the receipt of a posted journal entry names no journalEntryId", receipt)
    return receipt, entry_id


def expect_event(suite: Suite, delivery: Delivery, receipt: Exchange) -> None:
    """POST of `{id, type, createdAt, companyId, data}` with LedgerHQ-Event-Id and the attempt number."""
    event = event_of(delivery) or {}
    problems = []
    if delivery.method != "POST":
        problems.append(f"sent with {delivery.method}, not POST")
    if not (isinstance(event.get("id"), str) and event["id"].startswith(EVENT_PREFIX)):
        problems.append(f"event id {event.get('id')!r} is not {EVENT_PREFIX}...")
    if event.get("companyId") != suite.world.company_id:
        problems.append(f"companyId {event.get('companyId')!r}, expected {suite.world.company_id}")
    if not is_timestamp(event.get("createdAt")):
        problems.append(f"createdAt {event.get('createdAt')!r} is not a date-time")
    if delivery.headers.get("ledgerhq-event-id") != event.get("id"):
        problems.append(f"LedgerHQ-Event-Id {delivery.headers.get('ledgerhq-event-id')!r} differs from the body's id")
    attempt = delivery.headers.get("ledgerhq-delivery-attempt", "")
    if not (attempt.isdigit() and 1 <= int(attempt) <= ATTEMPTS_MAX):
        problems.append(f"LedgerHQ-Delivery-Attempt {attempt!r} is not 1..{ATTEMPTS_MAX}")
    if problems:
        raise DeliveryBroken(f"the {EVENT_POSTED} delivery: {'; '.join(problems)}\n  delivery: {delivery.excerpt()}",
                             receipt)


def is_timestamp(value: object) -> bool:
    try:
        return isinstance(value, str) and datetime.fromisoformat(value.replace("Z", "+00:00")) is not None
    except ValueError:
        return False


def expect_signed(delivery: Delivery, secret: str, made: Exchange) -> None:
    problem = signature_problem(secret, delivery.headers.get("ledgerhq-signature"), delivery.body,
                                delivery.arrived_s)
    if problem:
        raise DeliveryBroken(f"the {EVENT_POSTED} delivery is not signed as R8 states: {problem}"
                             f"\n  delivery: {delivery.excerpt()}", made)


def expect_no_second_event(suite: Suite, receiver: Receiver, posted: tuple[dict, str], entry_id: str,
                           first_id: str) -> None:
    """A replay of the posting (same key, same body) is answered from the store and sends no event."""
    again, _ = post_entry(suite, *posted)
    wanted = posted_event_for(entry_id)
    extra = receiver.wait_for(lambda d: wanted(d) and (event_of(d) or {}).get("id") != first_id, REPLAY_WAIT_S)
    if extra:
        raise DeliveryBroken(f"a replayed posting (same Idempotency-Key and body) sent a second {EVENT_POSTED} "
                             f"event for {entry_id}\n  delivery: {extra[0].excerpt()}", again)


@rule_check()
def check_webhook_deliveries_are_signed(suite: Suite) -> None:
    require_reachable(suite)
    made, subscription, receiver = run_subscription(suite)
    posted = (entry_body(suite), new_idempotency_key())
    receipt, entry_id = post_entry(suite, *posted)
    delivery = first_delivery(receiver, entry_id, receipt)
    expect_event(suite, delivery, receipt)
    expect_signed(delivery, subscription["secret"], made)
    expect_no_second_event(suite, receiver, posted, entry_id, event_of(delivery)["id"])
