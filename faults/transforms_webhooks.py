"""Faults in webhook subscriptions (R8); each breaks that rule only."""
from __future__ import annotations

import secrets

from faults.proxy import Forward, Request, Response

WEBHOOKS_PATH = "/api/v1/webhooks"
SECRETS_KEPT_MAX = 1_000


def is_webhooks_route(request: Request, method: str) -> bool:
    return request.method == method and request.path.rstrip("/") == WEBHOOKS_PATH


def webhook_secret_listed():
    """R8: the list of subscriptions shows each one's signing secret again."""
    secret_by_webhook: dict[str, str] = {}

    async def transform(request: Request, forward: Forward) -> Response:
        response = await forward(request)
        body = response.json()
        if is_webhooks_route(request, "POST") and response.status == 201 and isinstance(body, dict):
            if len(secret_by_webhook) < SECRETS_KEPT_MAX:
                secret_by_webhook[body.get("id")] = body.get("secret")
        elif is_webhooks_route(request, "GET") and response.status == 200 and isinstance(body, dict):
            for row in body.get("data") or []:
                if isinstance(row, dict) and row.get("id") in secret_by_webhook:
                    row["secret"] = secret_by_webhook[row["id"]]
            response.set_json(body)
        return response
    return transform


async def webhook_signature_wrong(request: Request, forward: Forward) -> Response:
    """R8: deliveries are not signed with the secret the create response shows (it shows another one)."""
    response = await forward(request)
    body = response.json()
    if is_webhooks_route(request, "POST") and response.status == 201 and isinstance(body, dict):
        body["secret"] = f"whsec_{secrets.token_hex(16)}"
        response.set_json(body)
    return response
