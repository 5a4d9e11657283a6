"""Faults in the entry lifecycle, refused postings and report dates (R3); each breaks that rule only."""
from __future__ import annotations

import json

from faults.proxy import Forward, Request, Response
from faults.transforms import error_code, fake_receipt, is_posting
from faults.transforms_keys import posting_kind


def entry_action(request: Request, action: str) -> bool:
    parts = request.path.rstrip("/").split("/")
    return request.method == "POST" and len(parts) >= 3 and parts[-1] == action and parts[-3] == "entries"


async def entry_as_it_is(request: Request, forward: Forward) -> Response:
    """The entry an action was asked of, read back with the same credential and tenant."""
    path = request.path.rstrip("/").rsplit("/", 1)[0]
    return await forward(Request({**request.scope, "method": "GET", "path": path, "raw_path": path.encode(),
                                  "query_string": b""}, b"").with_body(b""))


async def unbalanced_draft_posted(request: Request, forward: Forward) -> Response:
    """R3: posting an unbalanced draft answers 200 with the entry as if posted (it stays a draft)."""
    response = await forward(request)
    if entry_action(request, "post") and response.status == 422 and error_code(response) == "UNBALANCED_ENTRY":
        entry = await entry_as_it_is(request, forward)
        body = entry.json()
        if entry.status == 200 and isinstance(body, dict):
            body["status"] = "posted"
            entry.set_json(body)
            return entry
    return response


async def void_of_draft_allowed(request: Request, forward: Forward) -> Response:
    """R3: a void or post refused with 409 INVALID_STATE answers 200 with the entry unchanged."""
    response = await forward(request)
    if (entry_action(request, "void") or entry_action(request, "post")) and response.status == 409 \
            and error_code(response) == "INVALID_STATE":
        entry = await entry_as_it_is(request, forward)
        if entry.status == 200:
            return entry
    return response


def transfer_accounts(request: Request) -> tuple[object, object] | None:
    body = request.json()
    if not is_posting(request) or posting_kind(request) != "transfers" or not isinstance(body, dict):
        return None
    return body.get("fromAccountId"), body.get("toAccountId")


async def transfer_to_same_account_accepted(request: Request, forward: Forward) -> Response:
    """R3: a transfer from an account to itself answers a receipt."""
    response = await forward(request)
    accounts = transfer_accounts(request)
    if accounts and accounts[0] == accounts[1] and response.status == 422:
        return fake_receipt(response)
    return response


async def transfer_to_expense_accepted(request: Request, forward: Forward) -> Response:
    """R3: a transfer to an account off the balance sheet answers a receipt."""
    response = await forward(request)
    accounts = transfer_accounts(request)
    if accounts and accounts[0] != accounts[1] and response.status == 422 \
            and error_code(response) == "UNPROCESSABLE":
        return fake_receipt(response)
    return response


async def single_account_entry_accepted(request: Request, forward: Forward) -> Response:
    """R3: a journal entry whose lines all touch one account answers a receipt."""
    response = await forward(request)
    body = request.json()
    lines = body.get("lines") if isinstance(body, dict) else None
    if is_posting(request) and posting_kind(request) == "journal-entries" and isinstance(lines, list) and lines \
            and len({json.dumps(line.get("accountId")) for line in lines if isinstance(line, dict)}) == 1 \
            and response.status == 422:
        return fake_receipt(response)
    return response


async def report_dates_swapped_silently(request: Request, forward: Forward) -> Response:
    """R3: a report asked for with startDate after endDate is answered for the dates swapped."""
    query = request.query
    start, end = query.get("startDate"), query.get("endDate")
    if request.method == "GET" and start and end and start > end:
        request = request.with_query({**query, "startDate": end, "endDate": start})
    return await forward(request)



async def draft_posted_on_save(request: Request, forward: Forward) -> Response:
    """R3: a balanced draft is posted as it is saved, while the answer still says draft."""
    response = await forward(request)
    body = response.json()
    if request.method == "POST" and request.path.rstrip("/").endswith("/entries") and response.status in (200, 201) \
            and isinstance(body, dict) and body.get("status") == "draft" and isinstance(body.get("id"), str):
        path = request.path.rstrip("/") + f"/{body['id']}/post"
        await forward(Request({**request.scope, "path": path, "raw_path": path.encode(), "query_string": b""},
                              b"{}").with_body(b"{}"))
    return response
