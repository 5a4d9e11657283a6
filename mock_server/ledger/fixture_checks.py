"""Validation passes over a raw fixture (a dict as YAML/JSON gives it).

Each pass returns every issue it finds (a list of readable strings naming where);
the loader runs them all before building anything.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from mock_server.ledger.ids import is_valid_id

Issue = str
Raw = dict[str, Any]

COMPANY_SECTIONS = {  # section -> id prefix
    "accounts": "acc", "bankFeeds": "feed", "bankAccounts": "ba", "entries": "je",
    "bills": "bill", "invoices": "inv", "billPayments": "je", "bankTransactions": "btx",
}
TOP_SECTIONS = {"firms": "firm", "organizations": "org", "users": "user", "companies": "cmp"}


def items(raw: object, key: str) -> list[Raw]:
    value = raw.get(key, []) if isinstance(raw, dict) else []
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def where(company: Raw, section: str, item: Raw, index: int) -> str:
    return f"companies[{company.get('id')}].{section}[{item.get('id', index)}]"


def sections_are_lists(data: Raw) -> list[Issue]:
    issues = [f"{key}: must be a list" for key in (*TOP_SECTIONS, "oauthClients")
              if key in data and not isinstance(data[key], list)]
    for company in items(data, "companies"):
        issues += [f"companies[{company.get('id')}].{key}: must be a list"
                   for key in (*COMPANY_SECTIONS, "reconciliations") if key in company
                   and not isinstance(company[key], list)]
    return issues


def _all_ids(data: Raw) -> Iterator[tuple[str, str, object]]:
    """(location, expected prefix, id) for every record that carries an id."""
    for section, prefix in TOP_SECTIONS.items():
        for index, item in enumerate(items(data, section)):
            yield f"{section}[{index}]", prefix, item.get("id")
    for company in items(data, "companies"):
        for section, prefix in COMPANY_SECTIONS.items():
            for index, item in enumerate(items(company, section)):
                if section != "billPayments" or "id" in item:
                    yield where(company, section, item, index), prefix, item.get("id")


def ids_are_valid_and_unique(data: Raw) -> list[Issue]:
    issues, seen = [], set()
    for location, prefix, value in _all_ids(data):
        if not is_valid_id(value) or not str(value).startswith(prefix + "_"):
            issues.append(f"{location}: id must look like {prefix}_<letters, digits, _>")
        elif value in seen:
            issues.append(f"{location}: id {value!r} is used twice")
        seen.add(value)
    return issues


def _ids(raw: object, key: str) -> set[str]:
    return {item["id"] for item in items(raw, key) if isinstance(item.get("id"), str)}


def tenancy_references_exist(data: Raw) -> list[Issue]:
    firms, orgs, companies = _ids(data, "firms"), _ids(data, "organizations"), _ids(data, "companies")
    issues = []
    for org in items(data, "organizations"):
        if org.get("firmId") not in firms or org.get("companyId") not in companies:
            issues.append(f"organizations[{org.get('id')}]: firmId and companyId must exist")
    for company in items(data, "companies"):
        if company.get("organizationId") not in orgs or company.get("firmId") not in firms:
            issues.append(f"companies[{company.get('id')}]: organizationId and firmId must exist")
    for user in items(data, "users"):
        unknown = [o for o in user.get("organizationIds", []) if o not in orgs]
        if unknown:
            issues.append(f"users[{user.get('id')}]: unknown organizationIds {unknown}")
    return issues


def _company_references(company: Raw) -> Iterator[tuple[str, str, object]]:
    """(location, what, referenced id) for each reference inside one company."""
    for n, item in enumerate(items(company, "bankAccounts")):
        yield where(company, "bankAccounts", item, n), "accounts", item.get("accountId")
        if item.get("feedId") is not None:
            yield where(company, "bankAccounts", item, n), "bankFeeds", item.get("feedId")
    for n, item in enumerate(items(company, "entries")):
        for line in items(item, "lines"):
            yield where(company, "entries", item, n), "accounts", line.get("accountId")
    for section in ("bills", "invoices"):
        for n, item in enumerate(items(company, section)):
            yield where(company, section, item, n), "accounts", item.get("accountId")
    for n, item in enumerate(items(company, "billPayments")):
        yield where(company, "billPayments", item, n), "accounts", item.get("sourceAccountId")
        for allocation in items(item, "allocations"):
            yield where(company, "billPayments", item, n), "bills", allocation.get("billId")
    for n, item in enumerate(items(company, "reconciliations")):
        yield where(company, "reconciliations", item, n), "bankAccounts", item.get("bankAccountId")
    for n, item in enumerate(items(company, "bankTransactions")):
        yield where(company, "bankTransactions", item, n), "bankAccounts", item.get("bankAccountId")
        if item.get("categoryAccountId") is not None:
            yield where(company, "bankTransactions", item, n), "accounts", item["categoryAccountId"]
        for match in items(item, "matches"):
            section = "bills" if match.get("documentType") == "bill" else "invoices"
            yield where(company, "bankTransactions", item, n), section, match.get("documentId")


def company_references_exist(data: Raw) -> list[Issue]:
    issues = []
    for company in items(data, "companies"):
        known = {section: _ids(company, section) for section in COMPANY_SECTIONS}
        issues += [f"{location}: no {what[:-1]} {ref!r} in this company"
                   for location, what, ref in _company_references(company)
                   if ref not in known[what]]
    return issues


def posted_entries_balance(data: Raw) -> list[Issue]:
    issues = []
    for company in items(data, "companies"):
        for n, entry in enumerate(items(company, "entries")):
            if entry.get("status", "posted") == "draft":
                continue
            lines = items(entry, "lines")
            debits = sum(v for line in lines if type(v := line.get("debitCents")) is int)
            credits = sum(v for line in lines if type(v := line.get("creditCents")) is int)
            if debits != credits:
                issues.append(f"{where(company, 'entries', entry, n)}: posted entry does not "
                              f"balance: debits {debits} != credits {credits} cents")
    return issues


FIXTURE_PASSES: tuple[Callable[[Raw], list[Issue]], ...] = (
    sections_are_lists, ids_are_valid_and_unique, tenancy_references_exist,
    company_references_exist, posted_entries_balance,
)


def validate_fixture(data: object) -> list[Issue]:
    if not isinstance(data, dict):
        return ["fixture: must be a mapping with firms, organizations, companies, ..."]
    return [issue for check in FIXTURE_PASSES for issue in check(data)]
