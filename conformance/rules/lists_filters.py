"""R6 Lists that filter: for every list parameter carrying `x-filter` in the contract, a filtered walk of
all pages lists exactly the items of the whole list that match, a bad filter value is 400, and a cursor
sent with other filters than it was issued with is 400.

Read from the contract, not typed here: which lists filter, by which parameter, on which item field, how
(`equals`, `date-from`, `date-to`, `updated-since`), and the values an `equals` filter takes (its enum).
Safe on a long-lived server others write to meanwhile: every item the filtered walk lists must match as
listed; an item of the whole list that matched but was not listed fails only when a second whole walk
still shows it, unchanged in the filtered field (another client may have changed it in between).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from conformance.contract_map import Operation
from conformance.expect import expect_error, expect_status, json_object
from conformance.failures import FilterBroken, PageBroken, Skip
from conformance.registry import rule_check
from conformance.suite import Suite

PAGES_WALKED_MAX = 400
FILTERED_PAGES_WANTED = 2          # a filtered walk is paged small enough to need about this many pages
VALUES_PER_FILTER_MAX = 3          # values walked per equals filter: the most common seen, then the enum's others
MISSES_SHOWN_MAX = 5
BAD_VALUES = {"equals": "not-a-listed-value", "date-from": "2026-13-45", "date-to": "June 1",
              "updated-since": "yesterday"}
EQUALS, DATE_FROM, DATE_TO, UPDATED_SINCE = "equals", "date-from", "date-to", "updated-since"


@dataclass(frozen=True, slots=True)
class Filter:
    name: str          # the query parameter
    field: str         # the item field it filters
    match: str         # equals | date-from | date-to | updated-since
    schema: dict

    def keeps(self, item: dict, value: str) -> bool:
        found = item.get(self.field)
        if self.match == EQUALS:
            return found == value
        if self.match == UPDATED_SINCE:
            moment = moment_of(found)
            return moment is not None and moment >= moment_of(value)
        if not isinstance(found, str):
            return False
        return found >= value if self.match == DATE_FROM else found <= value


def moment_of(value: object) -> dt.datetime | None:
    """An RFC 3339 date-time at whole seconds, in UTC; None when it is not one."""
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(dt.timezone.utc).replace(microsecond=0) if moment.tzinfo else None


def filters_of(op: Operation) -> list[Filter]:
    found = []
    for param in op.raw["parameters"]:
        extension = param.get("x-filter")
        if param.get("in") == "query" and isinstance(extension, dict) \
                and isinstance(extension.get("field"), str) and isinstance(extension.get("match"), str):
            found.append(Filter(param["name"], extension["field"], extension["match"], param.get("schema", {})))
    return found


def lists_filtering(*matches: str):
    def targets(suite: Suite) -> list[Operation]:
        return [op for op in suite.list_operations if any(f.match in matches for f in filters_of(op))]
    return targets


def path_values(suite: Suite, op: Operation) -> dict[str, str]:
    """A value for each path parameter but companyId: the most common value of the item field of that name
    on the first page of a list that filters on it (a busy register, for a register's own list)."""
    values = {}
    for name in (p for p in op.path_params if p != "companyId"):
        source = next((other for other in suite.list_operations if set(other.path_params) <= {"companyId"}
                       and any(f.field == name for f in filters_of(other))), None)
        if source is None:
            raise Skip(f"no list filters on {name}, to find a {name} for {op.label}")
        first = suite.call(source, params={"limit": suite.contract.largest_page(source)})
        expect_status(first, {200}, f"first page of {source.label}")
        rows = json_object(first, "list page").get("data")
        seen = Counter(item.get(name) for item in rows if isinstance(item, dict)) if isinstance(rows, list) \
            else Counter()
        common = [value for value, _ in seen.most_common() if isinstance(value, str)]
        if not common:
            raise Skip(f"{source.label} lists no item with a {name}, to call {op.label} with")
        values[name] = common[0]
    return values


def walk(suite: Suite, op: Operation, path: dict, params: dict, limit: int) -> tuple[list[dict], object]:
    """Every item of a list with these params, page by page (bounded)."""
    items: list[dict] = []
    cursor = None
    for _ in range(PAGES_WALKED_MAX):
        page = suite.call(op, path_values=path, params={**params, "limit": limit,
                                                        **({"cursor": cursor} if cursor else {})})
        expect_status(page, {200}, f"page of {op.label} with {params or 'no filter'}")
        body = json_object(page, "list page")
        data = body.get("data")
        if not isinstance(data, list) or len(data) > limit or not all(isinstance(i, dict) for i in data):
            raise PageBroken(f"a page of {op.label} with {params} is not {{data: [at most {limit} items]}}", page)
        items += data
        cursor = body.get("nextCursor")
        if not cursor:
            return items, page
    raise Skip(f"{op.label} with {params or 'no filter'} is longer than {PAGES_WALKED_MAX} pages of {limit}")


def values_to_try(flt: Filter, whole: list[dict]) -> list[str]:
    """An equals filter: the most common values seen, then its enum's others (one no item has lists nothing);
    a date or moment: the middle one seen (an item carries it exactly, so an end that is not inclusive shows)."""
    seen = [item.get(flt.field) for item in whole if isinstance(item.get(flt.field), str)]
    if flt.match == EQUALS:
        common = [value for value, _ in Counter(seen).most_common()]
        enum = [v for v in flt.schema.get("enum", []) if isinstance(v, str)]
        if enum:
            common = [v for v in common if v in enum] + [v for v in enum if v not in common]
        return common[:VALUES_PER_FILTER_MAX]
    if flt.match == UPDATED_SINCE:
        seen = [value for value in seen if moment_of(value) is not None]
        ordered = sorted(set(seen), key=moment_of)
    else:
        ordered = sorted(set(seen))
    return [ordered[len(ordered) // 2]] if ordered else []


def filtered_limit(suite: Suite, op: Operation, expected_count: int) -> int:
    return min(suite.contract.largest_page(op), max(1, -(-expected_count // FILTERED_PAGES_WANTED)))


def check_one_filter(suite: Suite, op: Operation, path: dict, whole: list[dict], flt: Filter, value: str) -> None:
    expected = [item["id"] for item in whole if isinstance(item.get("id"), str) and flt.keeps(item, value)]
    found, last = walk(suite, op, path, {flt.name: value}, filtered_limit(suite, op, len(expected)))
    wrong = [item for item in found if not flt.keeps(item, value)]
    if wrong:
        raise FilterBroken(f"{flt.name}={value} listed {len(wrong)} item(s) whose {flt.field} does not match: "
                           f"{[(i.get('id'), i.get(flt.field)) for i in wrong[:MISSES_SHOWN_MAX]]}", last)
    ids = [item.get("id") for item in found]
    if len(set(ids)) != len(ids):
        raise FilterBroken(f"{flt.name}={value} listed an item twice while paging", last)
    missing = set(expected) - set(ids)
    if missing:
        before = {item["id"]: item.get(flt.field) for item in whole if item.get("id") in missing}
        again, _ = walk(suite, op, path, {}, suite.contract.largest_page(op))
        still = [item["id"] for item in again if item.get("id") in missing
                 and item.get(flt.field) == before[item["id"]] and flt.keeps(item, value)]
        if still:
            raise FilterBroken(f"{flt.name}={value} left out {len(still)} matching item(s) of the whole list: "
                               f"{still[:MISSES_SHOWN_MAX]}", last)


def check_filters(suite: Suite, op: Operation, matches: tuple[str, ...]) -> None:
    path = path_values(suite, op)
    whole, _ = walk(suite, op, path, {}, suite.contract.largest_page(op))
    for flt in (f for f in filters_of(op) if f.match in matches):
        for value in values_to_try(flt, whole):
            check_one_filter(suite, op, path, whole, flt, value)


@rule_check(targets=lists_filtering(EQUALS))
def check_equals_filters_match(suite: Suite, op: Operation) -> None:
    check_filters(suite, op, (EQUALS,))


@rule_check(targets=lists_filtering(DATE_FROM, DATE_TO))
def check_date_filters_match(suite: Suite, op: Operation) -> None:
    check_filters(suite, op, (DATE_FROM, DATE_TO))


@rule_check(targets=lists_filtering(UPDATED_SINCE))
def check_updated_since_filter_matches(suite: Suite, op: Operation) -> None:
    check_filters(suite, op, (UPDATED_SINCE,))


@rule_check(targets=lists_filtering(EQUALS, DATE_FROM, DATE_TO, UPDATED_SINCE))
def check_bad_filter_values_refused(suite: Suite, op: Operation) -> None:
    path = path_values(suite, op)
    flts = filters_of(op)
    for flt in flts:
        if flt.match in BAD_VALUES and (flt.match != EQUALS or flt.schema.get("enum")):
            refused = suite.call(op, path_values=path, params={flt.name: BAD_VALUES[flt.match]})
            expect_error(refused, 400, {"VALIDATION_ERROR"}, f"{flt.name}={BAD_VALUES[flt.match]}")
    start = next((f for f in flts if f.match == DATE_FROM), None)
    end = next((f for f in flts if f.match == DATE_TO and start and f.field == start.field), None)
    if start and end:
        swapped = suite.call(op, path_values=path, params={start.name: "2026-06-02", end.name: "2026-06-01"})
        expect_error(swapped, 400, {"VALIDATION_ERROR"}, f"{start.name} after {end.name}")


def two_item_filter(op: Operation, first_page: list[dict]) -> tuple[Filter, str] | None:
    """A filter and a value that at least two items of `first_page` match (so a page of one has a next)."""
    for flt in filters_of(op):
        earliest = sorted({i[flt.field] for i in first_page if isinstance(i.get(flt.field), str)})[:1]
        for value in earliest if flt.match == DATE_FROM else values_to_try(flt, first_page):
            if sum(flt.keeps(item, value) for item in first_page) >= 2:
                return flt, value
    return None


@rule_check(targets=lists_filtering(EQUALS, DATE_FROM, DATE_TO, UPDATED_SINCE))
def check_cursor_keeps_its_filters(suite: Suite, op: Operation) -> None:
    path = path_values(suite, op)
    first = suite.call(op, path_values=path, params={"limit": suite.contract.largest_page(op)})
    expect_status(first, {200}, f"first page of {op.label}")
    found = two_item_filter(op, [i for i in json_object(first, "list page").get("data") or [] if isinstance(i, dict)])
    if found is None:
        raise Skip(f"no filter value of {op.label} matches two items of its first page")
    flt, value = found
    page = suite.call(op, path_values=path, params={flt.name: value, "limit": 1})
    expect_status(page, {200}, f"{op.label} with {flt.name}={value}, limit 1")
    cursor = json_object(page, "list page").get("nextCursor")
    if not isinstance(cursor, str):
        raise Skip(f"{op.label} with {flt.name}={value} answered one page only (items changed meanwhile?)")
    same = suite.call(op, path_values=path, params={flt.name: value, "limit": 1, "cursor": cursor})
    expect_status(same, {200}, f"the next page of {op.label} with the same {flt.name}={value}")
    other = suite.call(op, path_values=path, params={"limit": 1, "cursor": cursor})
    expect_error(other, 400, {"VALIDATION_ERROR"}, f"a cursor issued with {flt.name}={value}, sent without it")
