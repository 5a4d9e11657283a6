"""Faults in credentials and tenancy (R5), list limits and ordering (R6), and a read's shape (OAS)."""
from __future__ import annotations

import re
from urllib.parse import quote

from faults.proxy import Forward, Request, Response, get_json
from ledgerhq_contract import load_contract
from faults.transforms_tenancy import caller_organizations, is_api_key

COMPANY_PATH = re.compile(r"^/api/v1/companies/([^/]+)(/|$)")
ONE_ACCOUNT = re.compile(r"^/api/v1/(companies/[^/]+/)?accounts/[^/]+$")
EMPTY_PAGE = {"data": [], "nextCursor": None}
LIMIT_SCHEMA = load_contract()["components"]["parameters"]["Limit"]["schema"]      # the contract's, not typed
PAGE_LIMIT_MIN, PAGE_LIMIT_MAX, PAGE_LIMIT_DEFAULT = (LIMIT_SCHEMA[k] for k in ("minimum", "maximum", "default"))
PAGES_MAX = 50
REORDERED_KINDS = ("accounts", "entries", "journal-entries")
OFFSET_PREFIX = "off"


def named_company(request: Request) -> str | None:
    found = COMPANY_PATH.match(request.path)
    return found.group(1) if found else None


async def caller_companies(request: Request, forward: Forward) -> list[str]:
    status, body = await get_json(request.with_header("x-organization-id", None), forward,
                                  "/api/v1/companies", "limit=200")
    rows = body.get("data") if status == 200 and isinstance(body, dict) else None
    return [row["id"] for row in rows or [] if isinstance(row, dict) and isinstance(row.get("id"), str)]


def answered_empty(response: Response) -> Response:
    response.status = 200
    response.set_json(dict(EMPTY_PAGE))
    return response


def unknown_credential_accepted(valid_token: str):
    """R5: a credential the server does not know is taken as the firm's (no credential is still 401)."""
    async def transform(request: Request, forward: Forward) -> Response:
        response = await forward(request)
        if response.status == 401 and request.header("authorization") and not request.header("cookie"):
            return await forward(request.with_header("authorization", f"Bearer {valid_token}"))
        return response
    return transform


def foreign_company_answered(valid_token: str):
    """R5: the firm's credential asking for a company it does not manage gets an empty answer, not 404."""
    async def transform(request: Request, forward: Forward) -> Response:
        response = await forward(request)
        company = named_company(request)
        if company and response.status in (403, 404) and request.header("authorization") == f"Bearer {valid_token}" \
                and company not in await caller_companies(request, forward):
            return answered_empty(response)
        return response
    return transform


def other_firm_sees_company(valid_token: str):
    """R5: another firm's credential refused a company is let through with the company's own firm's reach."""
    async def transform(request: Request, forward: Forward) -> Response:
        response = await forward(request)
        auth = request.header("authorization") or ""
        if named_company(request) and response.status in (403, 404) and auth.startswith("Bearer ") \
                and auth != f"Bearer {valid_token}" and not is_api_key(request):
            found = await forward(request.with_header("authorization", f"Bearer {valid_token}"))
            return found if found.status < 400 else response
        return response
    return transform


def foreign_organization_answered(valid_token: str):
    """R5: the firm's credential naming an organization it does not manage gets an empty answer, not 404."""
    async def transform(request: Request, forward: Forward) -> Response:
        response = await forward(request)
        organization = request.header("x-organization-id")
        if organization and response.status in (403, 404) \
                and request.header("authorization") == f"Bearer {valid_token}" \
                and organization not in await caller_organizations(request, forward):
            return answered_empty(response)
        return response
    return transform


async def limit_out_of_range_clamped(request: Request, forward: Forward) -> Response:
    """R6: a list limit outside 1..200 is clamped into it instead of refused."""
    query = request.query
    limit = query.get("limit", "")
    if request.method == "GET" and limit.lstrip("-").isdigit() \
            and not PAGE_LIMIT_MIN <= int(limit) <= PAGE_LIMIT_MAX:
        request = request.with_query({**query, "limit": str(min(max(int(limit), PAGE_LIMIT_MIN), PAGE_LIMIT_MAX))})
    return await forward(request)


async def whole_list(request: Request, forward: Forward, query: dict[str, str]) -> list | None:
    items, cursor = [], None
    rest = {k: v for k, v in query.items() if k not in ("limit", "cursor")}
    for _ in range(PAGES_MAX):
        text = "&".join([f"limit={PAGE_LIMIT_MAX}"] + [f"{quote(k)}={quote(v)}" for k, v in rest.items()]
                        + ([f"cursor={quote(cursor)}"] if cursor else []))
        status, page = await get_json(request, forward, request.path, text)
        if status != 200 or not isinstance(page, dict) or not isinstance(page.get("data"), list):
            return None
        items += page["data"]
        cursor = page.get("nextCursor")
        if not cursor:
            return items
    return None


async def newest_first_by_offset(request: Request, forward: Forward) -> Response:
    """R6: lists come newest first, paged by offset: an item added while paging shifts the rest by one."""
    query = request.query
    cursor = query.get("cursor", "")
    if request.method != "GET" or request.path.rstrip("/").rsplit("/", 1)[-1] not in REORDERED_KINDS \
            or (cursor and not cursor.startswith(OFFSET_PREFIX)):
        return await forward(request)
    response = await forward(request.with_query({k: v for k, v in query.items() if k != "cursor"}))
    limit = query.get("limit", str(PAGE_LIMIT_DEFAULT))
    if response.status != 200 or not limit.isdigit() or not isinstance(response.json(), dict) \
            or "nextCursor" not in response.json():
        return response
    items = await whole_list(request, forward, query)
    if items is None:
        return response
    digits, size = cursor[len(OFFSET_PREFIX):], int(limit)
    start = int(digits) if digits.isdigit() else 0
    items.reverse()
    more = start + size < len(items)
    response.set_json({"data": items[start:start + size], "nextCursor": f"{OFFSET_PREFIX}{start + size}" if more
                       else None})
    return response


async def account_read_without_name(request: Request, forward: Forward) -> Response:
    """OAS: reading one account leaves out its required `name`, against the response schema."""
    response = await forward(request)
    body = response.json()
    if request.method == "GET" and ONE_ACCOUNT.match(request.path.rstrip("/")) and response.status == 200 \
            and isinstance(body, dict):
        body.pop("name", None)
        response.set_json(body)
    return response
