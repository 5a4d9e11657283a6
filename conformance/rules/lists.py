"""R6 Lists: cursor paging returns every item exactly once, also while items are added; limits bounded."""
from __future__ import annotations

import json

from conformance.contract_map import Operation
from conformance.expect import expect_error, expect_status, json_object
from conformance.failures import PageBroken, Skip
from conformance.http import Exchange
from conformance.registry import rule_check
from conformance.rules.balance_model import create_draft, lines_for
from conformance.suite import Suite
from conformance.world import create_account

PAGES_WALKED_MAX = 400
ITEMS_ADDED_MAX = 3
PAGES_WANTED_MAX = 100     # small pages are made larger on long lists, to stay within the walk bound


def small_limit(suite: Suite, op: Operation, item_count: int) -> int:
    """A small page, made larger on a long list (a server never reset grows) but never past the largest
    page the contract allows."""
    return min(suite.contract.largest_page(op),
               max(suite.profile.page_limit_small, -(-item_count // PAGES_WANTED_MAX)))


def callable_lists(suite: Suite) -> list[Operation]:
    return [op for op in suite.list_operations if set(op.path_params) <= {"companyId"}]


def item_key(item: object) -> str:
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return item["id"]
    return json.dumps(item, sort_keys=True)


def walk(suite: Suite, op: Operation, limit: int, between_pages=None) -> tuple[list[str], Exchange]:
    """Every item key in page order; `between_pages()` runs after each page but the last."""
    keys: list[str] = []
    cursor = None
    for _ in range(PAGES_WALKED_MAX):
        page = suite.call(op, params={"limit": limit, **({"cursor": cursor} if cursor else {})})
        expect_status(page, {200}, f"page of {op.label} with limit {limit}")
        body = json_object(page, "list page")
        data = body.get("data")
        if not isinstance(data, list) or "nextCursor" not in body:
            raise PageBroken("a list page is not {data: [...], nextCursor}", page)
        if len(data) > limit:
            raise PageBroken(f"{len(data)} items on a page with limit {limit}", page)
        keys += [item_key(item) for item in data]
        cursor = body["nextCursor"]
        if cursor is None:
            return keys, page
        if not isinstance(cursor, str) or not data:
            raise PageBroken(f"nextCursor {cursor!r} after a page of {len(data)} items", page)
        if between_pages:
            between_pages()
    raise PageBroken(f"{op.label}: still a nextCursor after {PAGES_WALKED_MAX} pages", page)


def still_listed(suite: Suite, op: Operation, missing: list[str]) -> list[str]:
    """Of the items a walk missed, those still listed now: one deleted meanwhile (another client, another
    pipeline in the same company) is rightly gone from the pages."""
    if not missing:
        return missing
    now, _ = walk(suite, op, suite.contract.largest_page(op))
    return [key for key in missing if key in set(now)]


def repeated(keys: list[str]) -> list[str]:
    seen: set[str] = set()
    return [key for key in keys if key in seen or seen.add(key)]


@rule_check(targets=callable_lists)
def check_pages_cover_every_item_once(suite: Suite, op: Operation) -> None:
    whole, _ = walk(suite, op, suite.contract.largest_page(op))
    limit = small_limit(suite, op, len(whole))
    paged, last = walk(suite, op, limit)
    if repeated(paged):
        raise PageBroken(f"items returned twice while paging: {repeated(paged)[:5]}", last)
    missing = still_listed(suite, op, [key for key in whole if key not in set(paged)])
    if missing:
        raise PageBroken(f"items never returned while paging with limit {limit}: "
                         f"{missing[:5]}", last)


def adders(suite: Suite) -> dict[str, object]:
    accounts = suite.world.accounts
    return {
        "accounts": lambda: create_account(suite.api, suite.contract, suite.world, "paging", "expense", "expense"),
        "entries": lambda: create_draft(suite, lines_for(accounts["expense"], accounts["cash_a"], 100, 100)),
        "journal-entries": lambda: create_draft(suite, lines_for(accounts["expense"], accounts["cash_a"], 100, 100)),
    }


def growing_lists(suite: Suite) -> list[Operation]:
    return [op for op in callable_lists(suite) if op.kind in ("accounts", "entries", "journal-entries")]


@rule_check(targets=growing_lists)
def check_paging_while_items_are_added(suite: Suite, op: Operation) -> None:
    add = adders(suite).get(op.kind)
    if add is None:
        raise Skip(f"the suite knows no way to add items to {op.label}")
    before, _ = walk(suite, op, suite.contract.largest_page(op))
    added = [0]

    def add_some() -> None:
        if added[0] < ITEMS_ADDED_MAX:
            add()
            added[0] += 1
    paged, last = walk(suite, op, max(2, small_limit(suite, op, len(before))), between_pages=add_some)
    if repeated(paged):
        raise PageBroken(f"items returned twice while items were added: {repeated(paged)[:5]}", last)
    missing = still_listed(suite, op, [key for key in before if key not in set(paged)])
    if missing:
        raise PageBroken(f"items that existed before were skipped while items were added: {missing[:5]}", last)


@rule_check(targets=callable_lists)
def check_limit_bounds(suite: Suite, op: Operation) -> None:
    maximum = suite.contract.limit_maximum(op)
    for limit in (0, *([maximum + 1] if maximum else [])):
        expect_error(suite.call(op, params={"limit": limit}), 400, {"VALIDATION_ERROR"}, f"limit={limit}")
    for limit in (1, suite.contract.largest_page(op)):
        found = suite.call(op, params={"limit": limit})
        expect_status(found, {200}, f"limit={limit}")
        if len(json_object(found, "list page").get("data") or []) > limit:
            raise PageBroken(f"more than {limit} items with limit={limit}", found)
