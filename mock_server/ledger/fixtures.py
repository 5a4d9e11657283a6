"""The sandbox state and its loader (fixtures/default.yaml format, YAML or JSON).

`load_sandbox(data, now)` runs every validation pass (fixture_checks), then builds each
company through the same CompanyBooks methods the API uses, so a posted fixture entry
that does not balance fails to load with a message naming it. Every issue found is
raised at once in FixtureError. Rows the books derive (lines, bank rows of postings)
get seeded ids: the same fixture always loads with the same ids.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mock_server.ledger import requests as parse
from mock_server.ledger.books import CompanyBooks
from mock_server.ledger.errors import FixtureError, LedgerError, NotFound
from mock_server.ledger.fixture_checks import Raw, items, validate_fixture, where
from mock_server.ledger.idempotency import IdempotencyStore
from mock_server.ledger.ids import RandomIds, SeededIds
from mock_server.ledger.inputs import (
    AccountInput, AccountPatch, BankAccountInput, DocumentAllocation, ReclassifyInput,
)
from mock_server.ledger.records import Company, Source
from mock_server.auth import oauth_client
from mock_server.auth.oauth_client import OAuthClient
from mock_server.auth.oauth_token import AccessToken
from mock_server.ledger.tenancy import ApiKey, Firm, Organization, Session, User

# The default fixtures ship inside the package (`fixtures/default.yaml` at the repository root
# links here), so an installed sandbox finds them from any directory.
DEFAULT_FIXTURE_PATH = Path(__file__).resolve().parents[1] / "fixtures" / "default.yaml"
YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Sandbox:
    companies: dict[str, CompanyBooks] = field(default_factory=dict)
    firms: dict[str, Firm] = field(default_factory=dict)
    organizations: dict[str, Organization] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    sessions: dict[str, Session] = field(default_factory=dict)
    access_tokens: dict[str, AccessToken] = field(default_factory=dict)
    api_keys: dict[str, ApiKey] = field(default_factory=dict)
    oauth_clients: dict[str, OAuthClient] = field(default_factory=dict)
    idempotency: IdempotencyStore = field(default_factory=IdempotencyStore)

    def company(self, company_id: str) -> CompanyBooks:
        books = self.companies.get(company_id) if type(company_id) is str else None
        if books is None:
            raise NotFound("company", str(company_id))
        return books

    def company_of_organization(self, organization_id: str) -> CompanyBooks:
        organization = self.organizations.get(organization_id)
        if organization is None:
            raise NotFound("organization", str(organization_id))
        return self.company(organization.company_id)

    def companies_of_firm(self, firm_id: str) -> list[CompanyBooks]:
        return [b for b in self.companies.values() if b.company.firm_id == firm_id]


def parse_fixture_text(text: str) -> object:
    """YAML (a superset of JSON) or JSON text -> data; raises FixtureError on bad syntax."""
    try:
        if text.lstrip().startswith("{"):
            return json.loads(text)
        return yaml.load(text, Loader=YamlLoader)
    except (yaml.YAMLError, ValueError) as error:
        raise FixtureError([f"fixture: cannot parse: {error}"]) from None


def load_sandbox_text(text: str, now: dt.datetime) -> Sandbox:
    return load_sandbox(parse_fixture_text(text), now)


def load_sandbox_file(path: Path | str = DEFAULT_FIXTURE_PATH,
                      now: dt.datetime | None = None) -> Sandbox:
    assert now is not None, "pass now: the ledger never reads the clock"
    return load_sandbox_text(Path(path).read_text(encoding="utf-8"), now)


def load_sandbox(data: object, now: dt.datetime) -> Sandbox:
    data = _plain(data)
    issues = validate_fixture(data)
    if issues:
        raise FixtureError(issues)
    assert isinstance(data, dict)
    sandbox = _tenancy(data)
    for n, company_raw in enumerate(items(data, "companies")):
        books = _build_company(company_raw, now, issues, seq=n + 1)   # list order = creation order (R6)
        sandbox.companies[books.company.id] = books
    if issues:
        raise FixtureError(issues)
    return sandbox


def _plain(value: object) -> object:
    """YAML turns unquoted dates into date objects; the fixture format has ISO strings."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _time(value: object, default: dt.datetime | None) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    if isinstance(value, str):
        return _time(dt.datetime.fromisoformat(value.replace("Z", "+00:00")), default)
    return default


def _tenancy(data: Raw) -> Sandbox:
    sandbox = Sandbox()
    for n, firm in enumerate(items(data, "firms")):
        sandbox.firms[firm["id"]] = Firm(firm["id"], str(firm.get("name", firm["id"])), n + 1)
        for token in items(firm, "accessTokens"):
            expires_at = _time(token.get("expiresAt"), None)
            sandbox.access_tokens[token["token"]] = AccessToken(
                token["token"], firm["id"], None if expires_at is None else expires_at.timestamp(),
                client_id=token.get("clientId"))
    for n, org in enumerate(items(data, "organizations")):
        sandbox.organizations[org["id"]] = Organization(org["id"], str(org.get("name", "")),
                                                        org["companyId"], org["firmId"], n + 1)
        for key in items(org, "apiKeys"):
            sandbox.api_keys[key["key"]] = ApiKey(key["key"], org["id"], key.get("name", "Sandbox key"))
    for user in items(data, "users"):
        sandbox.users[user["id"]] = User(user["id"], user.get("email", ""), user.get("name", ""),
                                         tuple(user.get("organizationIds", [])), user.get("firmId"))
        for session in items(user, "sessions"):
            sandbox.sessions[session["id"]] = Session(session["id"], user["id"],
                                                      _time(session.get("expiresAt"), None))
    for client in items(data, "oauthClients"):
        sandbox.oauth_clients[client["clientId"]] = oauth_client.from_row(client)
    return sandbox


def _build_company(raw: Raw, now: dt.datetime, issues: list[str], seq: int) -> CompanyBooks:
    created_at = _time(raw.get("createdAt"), now) or now
    company = Company(raw["id"], raw.get("name", raw["id"]), raw.get("legalName", raw.get("name", "")),
                      raw["organizationId"], raw["firmId"], raw.get("timezone", "UTC"),
                      int(raw.get("fiscalYearStartMonth", 1)), created_at, seq=seq)
    books = CompanyBooks(company, SeededIds(company.id))
    for section, build in SECTION_BUILDERS:
        for index, item in enumerate(items(raw, section)):
            try:
                build(books, item, created_at)
            except (LedgerError, KeyError, TypeError, ValueError) as error:
                issues.append(f"{where(raw, section, item, index)}: {_describe(error)}")
    books.drain_events()            # fixtures are the starting state, not news
    books.ids = RandomIds()
    return books


def _describe(error: Exception) -> str:
    if isinstance(error, LedgerError):
        details = "; ".join(f"{f}: {i}" for f, i in error.details)
        return f"{error.message}" + (f" ({details})" if details else "")
    return f"{type(error).__name__}: {error}"


def _at(item: Raw, fallback: dt.datetime) -> dt.datetime:
    """A record's timestamp: createdAt, else 16:00 UTC on its date."""
    if "createdAt" in item:
        return _time(item["createdAt"], fallback) or fallback
    if "date" in item:
        day = parse.parse_date(str(item["date"]), "date")
        return dt.datetime.combine(day, dt.time(16, 0), dt.timezone.utc)
    return fallback


def _account(books: CompanyBooks, item: Raw, at: dt.datetime) -> None:
    data = AccountInput(item["code"], item["name"], item["type"], item.get("subtype"),
                        item.get("description"))
    books.create_account(data, at, account_id=item["id"])
    if item.get("archived"):
        books.update_account(item["id"], AccountPatch(archived=True), at)


def _feed(books: CompanyBooks, item: Raw, at: dt.datetime) -> None:
    books.create_feed(item["institutionName"], at, item["id"], item.get("status", "healthy"),
                      _time(item.get("lastSyncedAt"), None))


def _bank_account(books: CompanyBooks, item: Raw, at: dt.datetime) -> None:
    data = BankAccountInput(item["name"], item["type"], item.get("mask"),
                            item.get("institutionName"), item["accountId"])
    books.create_bank_account(data, at, item["id"], item.get("feedId"))


def _entry(books: CompanyBooks, item: Raw, at: dt.datetime) -> None:
    data = parse.entry_from_json(item)
    source = item.get("source") or {}
    entry = books.create_draft(data, _at(item, at), Source(source.get("type", "manual"),
                                                           source.get("id")), item["id"])
    if item.get("status", "posted") in ("posted", "voided"):
        books.post_entry(entry.id, _at(item, at))
    if item.get("status") == "voided":
        books.void_entry(entry.id, _at(item, at) + dt.timedelta(days=1))


def _document(kind: str) -> Callable[[CompanyBooks, Raw, dt.datetime], None]:
    def build(books: CompanyBooks, item: Raw, at: dt.datetime) -> None:
        data = parse.document_from_json(item)
        books.create_document(kind, data, _at(item, at), item["id"])
    return build


def _bill_payment(books: CompanyBooks, item: Raw, at: dt.datetime) -> None:
    books.post("bill_payment", parse.bill_payment_from_json(item), _at(item, at))


def _bank_transaction(books: CompanyBooks, item: Raw, at: dt.datetime) -> None:
    row = parse.feed_rows_from_json([item])[0]
    when = _at(item, at)
    books.record_feed_rows(item["bankAccountId"], [row], when, row_ids=[item["id"]])
    if item.get("categoryAccountId"):
        books.reclassify(item["id"], ReclassifyInput(item["categoryAccountId"]), when)
    matches = [DocumentAllocation(m["documentType"], m["documentId"], m["amountCents"])
               for m in items(item, "matches")]
    if len(matches) == 1:
        books.match(item["id"], matches[0].document_type, matches[0].document_id, when)
    elif matches:
        books.split(item["id"], matches, when)
    if item.get("statementDate"):
        books.reconcile(item["id"], parse.parse_date(item["statementDate"], "statementDate"), when)
    if item.get("excluded"):
        books.exclude(item["id"], when)


def _reconciliation(books: CompanyBooks, item: Raw, at: dt.datetime) -> None:
    """Reconcile every open transaction of a bank account dated on or before statementDate."""
    statement_date = parse.parse_date(item["statementDate"], "statementDate")
    when = dt.datetime.combine(statement_date, dt.time(20, 0), dt.timezone.utc)
    for row in books.list_bank_transactions(item["bankAccountId"]):
        if row.status not in ("reconciled", "excluded") and row.date <= statement_date:
            books.reconcile(row.id, statement_date, when)


SECTION_BUILDERS: tuple[tuple[str, Callable[[CompanyBooks, Raw, dt.datetime], Any]], ...] = (
    ("accounts", _account), ("bankFeeds", _feed), ("bankAccounts", _bank_account),
    ("entries", _entry), ("bills", _document("bill")), ("invoices", _document("invoice")),
    ("billPayments", _bill_payment), ("bankTransactions", _bank_transaction),
    ("reconciliations", _reconciliation),
)
