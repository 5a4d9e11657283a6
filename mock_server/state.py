"""The live sandbox: the books, the credentials, webhooks and forced faults, in one place.

Handlers reach it through the request context. Everything here runs on the event loop's
thread, so one request's domain call never interleaves with another's.
"""

from __future__ import annotations

import time
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from mock_server import context, fixture_credentials
from mock_server.api import shapes
from mock_server.api.http import now
from mock_server.auth import tenancy
from mock_server.auth.credentials import CredentialStore, bearer_token
from mock_server.auth.oauth import AuthorizationServer
from mock_server.auth.session import SESSION_COOKIE
from mock_server.contract import load_contract, operations, resolve_ref
from mock_server.ledger import fixtures
from mock_server.ledger.errors import FixtureError, NotFound as LedgerNotFound, Unprocessable
from mock_server.middleware.forced_faults import Fault
from mock_server.webhooks.delivery import Dispatcher
from mock_server.webhooks.events import new_event
from mock_server.webhooks.subscriptions import WebhookRegistry

SESSION_TTL_S = 24 * 3600
DEFAULT_FIXTURES = fixtures.DEFAULT_FIXTURE_PATH


def posting_operation_ids(spec: dict) -> frozenset[str]:
    """Posting routes are the operations that take an Idempotency-Key header (R2)."""
    found = set()
    for _, _, operation in operations(spec):
        for parameter in operation.get("parameters", []):
            parameter = resolve_ref(spec, parameter)
            if parameter.get("in") == "header" and parameter.get("name", "").lower() == "idempotency-key":
                found.add(operation["operationId"])
    return frozenset(found)


@dataclass(slots=True)
class Webhooks:
    registry: WebhookRegistry
    dispatcher: Dispatcher


@dataclass(slots=True)
class SandboxFault:
    """A fault set for the whole sandbox: `remaining` requests (None: until cleared)."""

    fault: Fault
    remaining: int | None = None


class SandboxState:
    def __init__(self, ledger, spec: dict, fixtures_path: Path,
                 webhook_retry_base_s: float = 1.0) -> None:
        self.spec = spec
        self.fixtures_path = fixtures_path
        self.posting_operations = posting_operation_ids(spec)
        self.sandbox_fault: SandboxFault | None = None
        registry = WebhookRegistry()
        self.webhooks = Webhooks(registry, Dispatcher(registry, base_delay_s=webhook_retry_base_s))
        self.load(ledger)

    @classmethod
    def from_fixtures(cls, fixtures_path: str | Path | None = None, spec: dict | None = None,
                      webhook_retry_base_s: float = 1.0):
        """The sandbox seeded from a fixture file; `webhook_retry_base_s` scales the retry
        delays (1, 2, 4, 8, 16 x base), small in tests."""
        path = Path(fixtures_path) if fixtures_path else DEFAULT_FIXTURES
        ledger = fixtures.load_sandbox_file(path, now=now())
        return cls(ledger, spec or load_contract(), path, webhook_retry_base_s)

    def load(self, ledger) -> None:
        """Replace the whole state of the books and credentials with `ledger`'s."""
        self.ledger = ledger
        self.loaded_at = now()
        self.credentials = CredentialStore.from_data(fixture_credentials.credential_rows(ledger))
        self.oauth = AuthorizationServer(self.credentials)
        self.directory = tenancy.Directory.of(
            (books.company.id, books.company.organization_id, books.company.firm_id)
            for books in ledger.companies.values())

    # -- who may see what (R5) ------------------------------------------------------------
    def authenticate(self, authorization: str | None, cookie: str | None):
        token = bearer_token(authorization)
        if token is not None:
            return self.credentials.resolve_bearer(token)
        session_id = _cookie_value(cookie, SESSION_COOKIE)
        if session_id is not None:
            return self.credentials.resolve_cookie(session_id)
        return None

    def sign_in(self, email: str | None):
        """A new browser session for the fixture user with this email (default: the owner
        of the first firm). Returns (session, user); an unknown email is 422 UNPROCESSABLE."""
        user = self._user_by_email(email) if email else self._first_firm_owner()
        if user is None:
            raise Unprocessable(f"No fixture user has the email {email[:254]!r}; sign in as one "
                                "of the users in the fixtures.", field="email", issue="unknown user")
        return self.credentials.add_session(user.id, time.time(), SESSION_TTL_S), user

    def _user_by_email(self, email: str):
        wanted = email.strip().lower()
        return next((user for user in self.ledger.users.values()
                     if user.email.lower() == wanted), None)

    def _first_firm_owner(self):
        for firm_id in self.ledger.firms:
            owner = next((u for u in self.ledger.users.values() if u.firm_id == firm_id), None)
            if owner is not None:
                return owner
        return next(iter(self.ledger.users.values()), None)

    def visible_books(self, caller) -> list:
        return [self.ledger.companies[company_id]
                for company_id in tenancy.companies_visible_to(caller, self.directory)]

    def visible_organizations(self, caller) -> list:
        return [self.ledger.organizations[books.company.organization_id]
                for books in self.visible_books(caller)]

    def organization_json(self, organization) -> dict:
        return fixture_credentials.organization_json(organization)

    def books_for_company(self, caller, company_id: str):
        return self.ledger.companies[tenancy.resolve_company_from_path(caller, company_id, self.directory)]

    def books_for_organization(self, caller, organization_id: str | None):
        company_id = tenancy.resolve_company_from_header(caller, organization_id, self.directory)
        return self.ledger.companies[company_id]

    def books_for_bank_account(self, caller, bank_account_id: str):
        """The caller's company that holds this bank account (404 otherwise)."""
        return self._books_holding(caller, "bank account", bank_account_id,
                                   lambda books: books.get_bank_account(bank_account_id))

    def books_for_feed(self, caller, feed_id: str):
        return self._books_holding(caller, "bank feed", feed_id, lambda books: books.get_feed(feed_id))

    def webhook_for_caller(self, caller, webhook_id: str):
        for books in self.visible_books(caller):
            subscription = self.webhooks.registry.find(webhook_id)
            if subscription is not None and subscription.company_id == books.company.id:
                return subscription
        raise LedgerNotFound("webhook", webhook_id)

    def _books_holding(self, caller, resource: str, resource_id: str, lookup):
        for books in self.visible_books(caller):
            try:
                lookup(books)
            except LedgerNotFound:
                continue
            return books
        raise LedgerNotFound(resource, resource_id)

    # -- sandbox controls -------------------------------------------------------------------
    def reset(self) -> None:
        """Back to the fixtures the sandbox started with: data, credentials, idempotency
        keys, webhooks, deliveries and faults."""
        self.replace_all(fixtures.load_sandbox_file(self.fixtures_path, now=now()))

    def load_text(self, body) -> None:
        """Replace everything with a posted fixture file (a parsed dict, or YAML/JSON text).
        A bad file raises before anything changes."""
        ledger = (fixtures.load_sandbox(body, now=now()) if isinstance(body, dict)
                  else fixtures.load_sandbox_text(str(body or ""), now=now()))
        if not (ledger.access_tokens or ledger.api_keys or ledger.sessions):
            raise FixtureError(["fixture: defines no access token, API key or session; without "
                                "one no request could authenticate, not even a reset"])
        self.replace_all(ledger)

    def replace_all(self, ledger) -> None:
        self.load(ledger)
        self.webhooks.registry.clear()
        self.webhooks.dispatcher.forget_deliveries()
        self.sandbox_fault = None

    def summary_json(self) -> dict:
        companies = list(self.ledger.companies.values())
        return {
            "status": "ok", "firms": len(self.ledger.firms), "companies": len(companies),
            "accounts": sum(len(books.list_accounts()) for books in companies),
            "journalEntries": sum(len(books.list_entries()) for books in companies),
            "bankTransactions": sum(len(books.list_bank_transactions()) for books in companies),
            "loadedAt": shapes.json_value(self.loaded_at),
        }

    # -- forced faults --------------------------------------------------------------------
    def is_posting_operation(self, operation_id: str | None) -> bool:
        return operation_id in self.posting_operations

    def take_sandbox_fault(self) -> Fault | None:
        current = self.sandbox_fault
        if current is None:
            return None
        if current.remaining is not None:
            current.remaining -= 1
            if current.remaining <= 0:
                self.sandbox_fault = None
        return current.fault

    # -- events -----------------------------------------------------------------------------
    def publish_events(self, books) -> None:
        """Send the books' outbox as webhooks, after the commit; never blocks the request."""
        for event in books.drain_events():
            data = (shapes.entry_json(event.data) if event.type.startswith("journal_entry")
                    else shapes.record_json(event.data))
            self.webhooks.dispatcher.enqueue(
                new_event(event.type, event.company_id, data, event.occurred_at))

    def issuer(self) -> str:
        host = context.current().header("host") or "127.0.0.1"
        return f"http://{host}"

    @asynccontextmanager
    async def lifespan(self, app):
        await self.webhooks.dispatcher.start()
        try:
            yield
        finally:
            await self.webhooks.dispatcher.stop()


def _cookie_value(cookie_header: str | None, name: str) -> str | None:
    if not cookie_header:
        return None
    for part in cookie_header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name and value:
            return value
    return None
