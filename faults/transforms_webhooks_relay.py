"""Faults in deliveries: a subscription's URL is swapped for a relay on the faulty server itself, which passes
each delivery on to the real receiver with its event id rewritten (R8)."""
from __future__ import annotations

import json
import secrets
import time
from urllib.parse import parse_qs, quote

import httpx

from faults.proxy import Forward, Request, Response
from faults.transforms_webhooks import is_webhooks_route
from conformance.signatures import signature_hex

RELAY_PATH = "/fault-relay"
RELAY_TIMEOUT_S = 5.0
REUSED_EVENT_ID = "evt_fault_reused_000000000000"
PASSED_HEADERS = ("content-type", "ledgerhq-delivery-attempt")
SECRETS_KEPT_MAX = 1_000


def relayed_subscription(request: Request) -> Request:
    body = request.json()
    if not (is_webhooks_route(request, "POST") and isinstance(body, dict) and isinstance(body.get("url"), str)):
        return request
    host, port = request.scope.get("server") or ("127.0.0.1", 80)
    body["url"] = f"http://{host}:{port}{RELAY_PATH}?to={quote(body['url'], safe='')}"
    return request.with_body(json.dumps(body).encode())


def keep_secret(request: Request, response: Response, secrets_by_target: dict[str, str]) -> None:
    """Remember the secret of a relayed subscription (receiver URL -> secret), to sign what is relayed."""
    body, made = request.json(), response.json()
    if response.status == 201 and isinstance(made, dict) and isinstance(body, dict) and made.get("secret"):
        if len(secrets_by_target) < SECRETS_KEPT_MAX:
            secrets_by_target[body.get("url")] = made["secret"]


async def relay(request: Request, event_id: str, secrets_by_target: dict[str, str]) -> Response:
    """The delivery passed on to its receiver with `event_id` in its body and header; the receiver's status."""
    target = parse_qs(request.scope.get("query_string", b"").decode()).get("to", [""])[0]
    event = request.json()
    if not target.startswith("http://127.0.0.1:") or not isinstance(event, dict):
        return Response(400)
    event["id"] = event_id
    body, timestamp = json.dumps(event).encode(), str(int(time.time()))
    headers = {name: request.header(name) or "" for name in PASSED_HEADERS}
    headers["ledgerhq-signature"] = f"t={timestamp},v1={signature_hex(secrets_by_target.get(target, ''), timestamp, body)}"
    async with httpx.AsyncClient(timeout=RELAY_TIMEOUT_S) as client:
        answer = await client.post(target, content=body,
                                   headers={**headers, "ledgerhq-event-id": event_id})
    return Response(answer.status_code, [(b"content-length", b"0")])


def relay_with(event_id_for):
    secrets_by_target: dict[str, str] = {}

    async def transform(request: Request, forward: Forward) -> Response:
        if request.method == "POST" and request.path == RELAY_PATH:
            return await relay(request, event_id_for(request), secrets_by_target)
        response = await forward(relayed_subscription(request))
        if is_webhooks_route(request, "POST"):
            keep_secret(request, response, secrets_by_target)
        return response
    return transform


def retry_with_new_event_id():
    """R8: every attempt of a delivery carries a fresh event id, so a receiver cannot tell a retry from a new
    event."""
    return relay_with(lambda request: f"evt_{secrets.token_hex(12)}")


def event_id_reused():
    """R8: every event carries the same id, so a receiver dropping duplicates drops real events."""
    return relay_with(lambda request: REUSED_EVENT_ID)
