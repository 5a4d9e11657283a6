"""Faults in API keys, organization headers and the company hierarchy; each breaks one rule only."""
from __future__ import annotations

import re

from faults.proxy import Forward, Request, Response, get_json

ORGANIZATION_FREE_PATHS = ("/api/v1/companies", "/api/v1/organizations")
LEGACY_PREFIX = "/api/v1/"
ID_SEGMENT = re.compile(r"^[a-z]+_[A-Za-z0-9_]{1,64}$")


def is_api_key(request: Request) -> bool:
    return (request.header("authorization") or "").startswith("Bearer dk_live_")


def names_a_resource(request: Request) -> bool:
    return any(ID_SEGMENT.match(segment) for segment in request.path.split("/"))


def is_legacy(request: Request) -> bool:
    path = request.path.rstrip("/")
    return (path.startswith(LEGACY_PREFIX) and not path.startswith(ORGANIZATION_FREE_PATHS)
            and not path.startswith("/api/v1/sandbox"))


async def caller_organizations(request: Request, forward: Forward) -> list[str]:
    status, body = await get_json(request.with_header("x-organization-id", None), forward,
                                  "/api/v1/organizations", "limit=200")
    rows = body.get("data") if status == 200 and isinstance(body, dict) else None
    return [row["id"] for row in rows or [] if isinstance(row, dict) and isinstance(row.get("id"), str)]


async def api_key_rejected(request: Request, forward: Forward) -> Response:
    """R5: API keys are not understood at all; the request goes on as if it had no credential."""
    if is_api_key(request):
        request = request.with_header("authorization", None)
    return await forward(request)


def api_key_any_organization(valid_token: str):
    """R5: an API key refused for another organization is let through with the firm's reach."""
    async def transform(request: Request, forward: Forward) -> Response:
        response = await forward(request)
        if is_api_key(request) and request.header("x-organization-id") and response.status in (403, 404):
            return await forward(request.with_header("authorization", f"Bearer {valid_token}"))
        return response
    return transform


async def organization_header_defaulted(request: Request, forward: Forward) -> Response:
    """R5: a legacy request without x-organization-id acts on the caller's first organization."""
    if is_legacy(request) and request.header("authorization") and not request.header("x-organization-id"):
        organizations = await caller_organizations(request, forward)
        if organizations:
            request = request.with_header("x-organization-id", organizations[0])
    return await forward(request)


async def resource_found_under_any_company(request: Request, forward: Forward) -> Response:
    """R9: a resource not found under the named company is looked up under the caller's other companies."""
    response = await forward(request)
    named = request.header("x-organization-id")
    if response.status != 404 or not named or not is_legacy(request) or not names_a_resource(request):
        return response
    for organization in await caller_organizations(request, forward):
        if organization != named:
            found = await forward(request.with_header("x-organization-id", organization))
            if found.status != 404:
                return found
    return response
