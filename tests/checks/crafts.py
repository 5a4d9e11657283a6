"""One crafted break per check: a change to one request or response that the check, by name, must fail on.

Each entry makes a fresh craft (some keep a little state for one test: keys seen, pages served)."""
from __future__ import annotations

import hashlib
import secrets
from typing import Callable

from tests.checks.crafts_access import (KNOWN, bearer, book_balance_off, company_in_path, dates_swapped,
                                        item_repeated, limit_clamped, secret_listed, secret_replaced,
                                        sibling_reached, skip_after_insert, tenancy_leak, webhooks_route,
                                        with_api_key)
from tests.checks.crafts_books import (AMOUNT_CENTS_MAX, amounts_changed, answered_instead, bad_input_is_500,
                                       bill_amount_from_allocations, draft_posted_on_save, entry_action,
                                       entry_state_ignored, inexact_split_done, key_added, kind, map_cents,
                                       no_guard_in_flight, no_request_id, no_retryable, one_cent_off,
                                       refusal_accepted, refusal_remembered, rekeyed, response_changed,
                                       void_answered_not_done, whole_float)
from tests.checks.crafts_edges import CRAFTS_EDGES
from tests.checks.crafts_lists import CRAFTS_LISTS
from tests.checks.harness import Craft, answer, with_header

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
    **CRAFTS_EDGES,
    **CRAFTS_LISTS,
}
