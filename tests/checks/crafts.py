"""One crafted break per check: a change to one request or response that the check, by name, must fail on.

Each entry makes a fresh craft (some keep a little state for one test: keys seen, pages served)."""
from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from typing import Callable

import httpx

from tests.checks.harness import Craft, Send, answer, body_of, error_code, with_body, with_header, with_params

POSTING_KINDS = ("purchases", "deposits", "transfers", "bill-payments", "journal-entries")
AMOUNT_CENTS_MAX = 1_000_000_000_000
KNOWN: dict[str, str] = {}       # ids of the fixtures the tests run on: token, other token, organizations


def kind(request: httpx.Request) -> str:
    return request.url.path.rstrip("/").rsplit("/", 1)[-1]


def is_posting(request: httpx.Request, *kinds: str) -> bool:
    return request.method == "POST" and kind(request) in (kinds or POSTING_KINDS)


def key_of(request: httpx.Request) -> str | None:
    return request.headers.get("idempotency-key")


def receipt(like: httpx.Response) -> httpx.Response:
    return answer(201, {"journalEntryId": f"je_{secrets.token_hex(12)}", "bankTransactionIds": [],
                        "status": "posted", "createdAt": "2026-01-01T00:00:00Z", "type": "journal_entry"}, like)


def refusal_accepted(kinds: tuple[str, ...], status: int, codes: set[str]) -> Craft:
    """A posting refused with `status` and one of `codes` answered with a receipt instead."""
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        response = send(request)
        if is_posting(request, *kinds) and response.status_code == status and error_code(response) in codes:
            return receipt(response)
        return response
    return craft


def rekeyed(change: Callable[[httpx.Request, str], str | None]) -> Craft:
    """The Idempotency-Key of a posting replaced by `change(request, key)` before it is answered."""
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        key = key_of(request)
        if is_posting(request) and key:
            request = with_header(request, "Idempotency-Key", change(request, key))
        return send(request)
    return craft


def entry_action(request: httpx.Request, action: str) -> bool:
    parts = request.url.path.rstrip("/").split("/")
    return request.method == "POST" and len(parts) >= 3 and parts[-1] == action and parts[-3] == "entries"


def void_answered_not_done() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        if entry_action(request, "void"):
            return answer(200, {"id": request.url.path.split("/")[-2], "status": "voided"})
        return send(request)
    return craft


def entry_state_ignored() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        response = send(request)
        if (entry_action(request, "void") or entry_action(request, "post")) and response.status_code == 409:
            return answer(200, {"id": request.url.path.split("/")[-2], "status": "posted"}, response)
        return response
    return craft


def draft_posted_on_save() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        response = send(request)
        body = body_of(response)
        if request.method == "POST" and kind(request) == "entries" and isinstance(body, dict) \
                and body.get("status") == "draft":
            send(httpx.Request("POST", request.url.join(f"{request.url.path}/{body['id']}/post"),
                               headers=request.headers, json={}))
        return response
    return craft


def map_cents(node, change):
    if isinstance(node, dict):
        return {k: change(v) if k.endswith("Cents") else map_cents(v, change) for k, v in node.items()}
    if isinstance(node, list):
        return [map_cents(v, change) for v in node]
    return node


def amounts_changed(change) -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        body = body_of(request) if is_posting(request) else None
        return send(with_body(request, map_cents(body, change)) if body is not None else request)
    return craft


def response_changed(wanted: Callable[[httpx.Request, httpx.Response], bool], change) -> Craft:
    """A JSON response for which `wanted` holds, rewritten by `change(body)` (which may edit it in place)."""
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        response = send(request)
        body = body_of(response)
        if body is None or not wanted(request, response):
            return response
        changed = change(body)
        return answer(response.status_code, body if changed is None else changed, response)
    return craft


def one_cent_off(body: dict) -> None:
    rows = body.get("rows") or []
    debit = next((r for r in rows if r.get("debitCents")), None)
    credit = next((r for r in rows if r.get("creditCents")), None)
    if debit and credit:
        debit["debitCents"] += 1
        credit["creditCents"] += 1
        body["totalDebitCents"] += 1
        body["totalCreditCents"] += 1


def no_retryable(body: dict) -> None:
    if isinstance(body.get("error"), dict):
        body["error"].pop("retryable", None)


def bad_input_is_500() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        response = send(request)
        if response.status_code != 400:
            return response
        return answer(500, {"error": {"code": "INTERNAL_ERROR", "message": "Internal error.", "retryable": True,
                                      "requestId": response.headers.get("x-request-id")}}, response)
    return craft


def no_request_id() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        response = send(request)
        if response.status_code < 400:
            response.headers.pop("x-request-id", None)
        return response
    return craft


def refusal_remembered() -> Craft:
    """A posting refused with 400 has its answer stored under its key and replayed on the key's next use."""
    refused: dict[str, httpx.Response] = {}

    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        key = key_of(request)
        if is_posting(request) and key in refused:
            return refused[key]
        response = send(request)
        if is_posting(request) and key and response.status_code == 400:
            refused[key] = response
        return response
    return craft


def no_guard_in_flight() -> Craft:
    in_flight: set[str] = set()
    lock = threading.Lock()

    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        key = key_of(request)
        if not is_posting(request) or not key:
            return send(request)
        with lock:
            racing = key in in_flight
            in_flight.add(key)
        if racing:
            return send(with_header(request, "Idempotency-Key", f"race-{secrets.token_hex(8)}"))
        time.sleep(0.05)
        try:
            return send(request)
        finally:
            with lock:
                in_flight.discard(key)
    return craft


def is_list_page(request: httpx.Request, response: httpx.Response) -> bool:
    body = body_of(response)
    return request.method == "GET" and response.status_code == 200 and isinstance(body, dict) \
        and "nextCursor" in body and isinstance(body.get("data"), list)


def item_repeated() -> Craft:
    last_by_cursor: dict[str, object] = {}

    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        response = send(request)
        if not is_list_page(request, response):
            return response
        body = body_of(response)
        cursor = request.url.params.get("cursor")
        if cursor in last_by_cursor and body["data"]:
            body["data"] = [last_by_cursor[cursor]] + body["data"][:-1]
        if body["nextCursor"] and body["data"]:
            last_by_cursor[body["nextCursor"]] = body["data"][-1]
        return answer(200, body, response)
    return craft


def skip_after_insert() -> Craft:
    """A page asked for after an item was made loses its first item, as an offset cursor would."""
    made = [0, 0]       # items made, items made when the last page was served

    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        response = send(request)
        if request.method == "POST" and response.status_code in (200, 201):
            made[0] += 1
        if not is_list_page(request, response):
            return response
        body = body_of(response)
        grew, made[1] = made[0] != made[1], made[0]
        if request.url.params.get("cursor") and grew and body["data"]:
            body["data"] = body["data"][1:]
            return answer(200, body, response)
        return response
    return craft


def limit_clamped() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        limit = request.url.params.get("limit", "")
        if request.method == "GET" and limit.isdigit() and not 1 <= int(limit) <= 200:
            request = with_params(request, limit=str(min(max(int(limit), 1), 200)))
        return send(request)
    return craft


def dates_swapped() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        start, end = request.url.params.get("startDate"), request.url.params.get("endDate")
        if request.method == "GET" and start and end and start > end:
            request = with_params(request, startDate=end, endDate=start)
        return send(request)
    return craft


def bill_amount_from_allocations() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        body = body_of(request)
        if is_posting(request, "bill-payments") and isinstance(body, dict) and body.get("allocations"):
            body["amountCents"] = sum(a["amountCents"] for a in body["allocations"])
            request = with_body(request, body)
        return send(request)
    return craft


def inexact_split_done() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        response = send(request)
        if request.method == "POST" and kind(request) in ("split", "match") and response.status_code in (400, 422):
            return answer(200, {"id": request.url.path.split("/")[-2], "status": "matched"}, response)
        return response
    return craft


def is_api_key(request: httpx.Request) -> bool:
    return request.headers.get("authorization", "").startswith("Bearer dk_live_")


def with_api_key(change: Callable[[httpx.Request], httpx.Request | httpx.Response]) -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        if not is_api_key(request):
            return send(request)
        changed = change(request)
        return changed if isinstance(changed, httpx.Response) else send(changed)
    return craft


def answered_instead(wanted: Callable[[httpx.Request, httpx.Response], bool], body: dict) -> Craft:
    """A response for which `wanted` holds replaced by 200 and `body`."""
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        response = send(request)
        return answer(200, body, response) if wanted(request, response) else response
    return craft


def key_added() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        if is_posting(request) and not key_of(request):
            request = with_header(request, "Idempotency-Key", f"added-{secrets.token_hex(8)}")
        return send(request)
    return craft


def tenancy_leak(wanted: Callable[[httpx.Request], bool]) -> Craft:
    """A refused (403/404) request for which `wanted` holds answered 200 with data."""
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        response = send(request)
        if response.status_code in (403, 404) and wanted(request):
            return answer(200, {"data": [], "nextCursor": None}, response)
        return response
    return craft


def bearer(request: httpx.Request) -> str:
    return request.headers.get("authorization", "").removeprefix("Bearer ")


def sibling_reached() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        if request.headers.get("x-organization-id") == KNOWN["sibling_org"]:
            request = with_header(request, "x-organization-id", KNOWN["own_org"])
        return send(request)
    return craft


def book_balance_off(body: dict) -> None:
    for row in body.get("accounts") or []:
        if isinstance(row.get("bookBalanceCents"), int):
            row["bookBalanceCents"] += 1


def secret_listed(body: dict) -> None:
    for row in body.get("data") or []:
        row["secret"] = "whsec_" + "0" * 32


def webhooks_route(method: str, status: int):
    return lambda request, response: request.method == method and request.url.path.rstrip("/") == "/api/v1/webhooks" \
        and response.status_code == status


def secret_replaced(body: dict) -> None:
    body["secret"] = "whsec_" + secrets.token_hex(16)


COMPANY_PATH = re.compile(r"^/api/v1/companies/([^/]+)")


def company_in_path(request: httpx.Request) -> str | None:
    found = COMPANY_PATH.match(request.url.path)
    return found.group(1) if found else None


def whole_float(value):
    return int(value) * 100 if type(value) is float and value == int(value) else value


CRAFTS: dict[str, Callable[[], Craft]] = {
    "check_missing_credential_is_401": lambda: lambda request, send: send(request) if "authorization" in
    request.headers else answer(200, {"data": [], "nextCursor": None}),
    "check_bad_credential_is_401": lambda: answered_instead(
        lambda r, resp: resp.status_code == 401 and "authorization" in r.headers, {"data": [], "nextCursor": None}),
    "check_foreign_company_is_hidden": lambda: tenancy_leak(
        lambda r: company_in_path(r) == KNOWN["other_company"] and bearer(r) == KNOWN["token"]),
    "check_foreign_organization_is_hidden": lambda: tenancy_leak(
        lambda r: r.headers.get("x-organization-id") == KNOWN["other_org"] and bearer(r) == KNOWN["token"]),
    "check_other_firm_cannot_see_this_company": lambda: tenancy_leak(
        lambda r: company_in_path(r) == KNOWN["company"] and bearer(r) == KNOWN["other_token"]),
    "check_reports_agree_after_postings": lambda: response_changed(
        lambda r, resp: r.url.path.endswith("/trial-balance") and resp.status_code == 200, one_cent_off),
    "check_unbalanced_entry_refused": lambda: refusal_accepted(("journal-entries",), 422, {"UNBALANCED_ENTRY"}),
    "check_unbalanced_draft_cannot_post": lambda: answered_instead(
        lambda r, resp: entry_action(r, "post") and resp.status_code == 422, {"status": "posted"}),
    "check_entry_lifecycle": entry_state_ignored,
    "check_void_removes_posting": void_answered_not_done,
    "check_transfer_between_same_account_refused": lambda: refusal_accepted(("transfers",), 422, {"UNPROCESSABLE"}),
    "check_transfer_needs_balance_sheet_accounts": lambda: refusal_accepted(("transfers",), 422, {"UNPROCESSABLE"}),
    "check_single_account_entry_refused": lambda: refusal_accepted(("journal-entries",), 422, {"UNPROCESSABLE"}),
    "check_start_after_end_refused": dates_swapped,
    "check_books_state_machine": draft_posted_on_save,
    "check_errors_follow_the_shape": lambda: response_changed(lambda r, resp: resp.status_code >= 400, no_retryable),
    "check_bad_input_is_never_a_server_error": bad_input_is_500,
    "check_every_response_has_request_id": no_request_id,
    "check_replay_posts_once": lambda: rekeyed(lambda r, key: f"fresh-{secrets.token_hex(8)}"),
    "check_reuse_with_other_body_refused": lambda: rekeyed(
        lambda r, key: f"{key}-{hashlib.sha256(r.content).hexdigest()[:8]}"),
    "check_reuse_on_other_route_refused": lambda: rekeyed(lambda r, key: f"{kind(r)}-{key}"),
    "check_missing_key_refused": key_added,
    "check_malformed_key_refused": lambda: rekeyed(
        lambda r, key: key if len(key) <= 255 and " " not in key else hashlib.sha256(key.encode()).hexdigest()),
    "check_rejected_request_leaves_key_unused": refusal_remembered,
    "check_key_scope_spans_path_forms": lambda: rekeyed(
        lambda r, key: f"company-{key}" if company_in_path(r) else key),
    "check_concurrent_requests_post_once": no_guard_in_flight,
    "check_pages_cover_every_item_once": item_repeated,
    "check_paging_while_items_are_added": skip_after_insert,
    "check_limit_bounds": limit_clamped,
    "check_response_money_is_integer": lambda: response_changed(
        lambda r, resp: resp.status_code < 300, lambda body: map_cents(body, lambda v: float(v) if type(v) is int
                                                                         else v)),
    "check_bad_money_refused": lambda: amounts_changed(lambda v: int(v) if type(v) is float and v == v
                                                       and abs(v) != float("inf") else v),
    "check_bound_amounts_accepted": lambda: amounts_changed(lambda v: v + 1 if v == AMOUNT_CENTS_MAX else v),
    "check_whole_float_either_way": lambda: amounts_changed(whole_float),
    "check_allocations_add_up_exactly": bill_amount_from_allocations,
    "check_split_and_match_allocations_exact": inexact_split_done,
    "check_api_key_works_for_its_organization": lambda: with_api_key(
        lambda r: answer(401, {"error": {"code": "UNAUTHORIZED", "message": "no", "retryable": False}})),
    "check_api_key_refused_for_other_organization": lambda: with_api_key(
        lambda r: with_header(r, "x-organization-id", KNOWN["own_org"]) if r.headers.get("x-organization-id")
        else r),
    "check_api_key_needs_organization_header": lambda: with_api_key(
        lambda r: r if r.headers.get("x-organization-id") else with_header(r, "x-organization-id", KNOWN["own_org"])),
    "check_bank_balance_equals_register": lambda: response_changed(
        lambda r, resp: r.url.path.endswith("/bank-reconciliation-status") and resp.status_code == 200,
        book_balance_off),
    "check_resource_hidden_under_sibling_company": sibling_reached,
    "check_webhook_secret_shown_once": lambda: response_changed(webhooks_route("GET", 200), secret_listed),
    "check_webhook_deliveries_are_signed": lambda: response_changed(webhooks_route("POST", 201), secret_replaced),
}
