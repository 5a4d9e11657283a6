"""The live sandbox as a web-free service: books, idempotency store, event outbox, forced
faults, credentials and the one clock, behind one write path.

Handlers, the tests and any other front end call it; it reads no request context and
shapes no HTTP. Everything runs on the event loop's thread, so one write's apply, commit
and publish never interleave with another's.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar

from mock_server import fixture_credentials
from mock_server.auth import oauth_token, tenancy
from mock_server.auth.credentials import CredentialStore
from mock_server.auth.oauth import AuthorizationServer
from mock_server.clock import Clock
from mock_server.ledger import fixtures, triggers
from mock_server.ledger.errors import FixtureError, NotFound
from mock_server.ledger.idempotency import IdempotencyStore
from mock_server.control_scope import admin_key_from, companies_to_load, companies_to_reset
from mock_server.service.access import Access
from mock_server.service.controls import Controls
from mock_server.service.faults import ForcedFaults
from mock_server.service.writes import Committed, MemoryJournal, Write
from mock_server.shapes import RecordJson
from mock_server.webhooks.delivery import Dispatcher
from mock_server.webhooks.events import WebhookEvent, new_event
from mock_server.webhooks.hosts import WebhookHosts
from mock_server.webhooks.subscriptions import WebhookRegistry

T = TypeVar("T")
DEFAULT_FIXTURES = fixtures.DEFAULT_FIXTURE_PATH
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8080"
TRIGGERED_TEST_MESSAGE = "Test event triggered in the LedgerHQ sandbox."


class SandboxService(Access, Controls):
    def __init__(self, data: fixtures.Sandbox, spec: dict, fixtures_path: Path,
                 webhook_retry_base_s: float = 1.0, clock: Clock | None = None,
                 webhook_hosts=None, admin_key: str | None = None,
                 public_url: str = DEFAULT_PUBLIC_URL) -> None:
        self.spec = spec
        self.public_url = public_url.rstrip("/")    # OAuth issuer, RFC 8707 resources, MCP metadata
        self.fixtures_path = fixtures_path
        self.admin_key = admin_key_from(admin_key)     # given, LEDGERHQ_SANDBOX_ADMIN_KEY, or new
        self.clock = clock or Clock()
        self.shapes = RecordJson()
        self.cursor_secret = secrets.token_bytes(32)   # list cursors' key: state, so kept by --state
        self.journal = MemoryJournal()
        self.faults = ForcedFaults(spec)
        self.outbox: list[tuple[WebhookEvent, str | None]] = []   # owed sends of the write running
        self.webhooks = WebhookRegistry()
        self.deliveries = Dispatcher(self.webhooks, base_delay_s=webhook_retry_base_s,
                                     clock=self.company_now_s, hosts=WebhookHosts.of(webhook_hosts))
        self.load(data)

    @classmethod
    def from_fixtures(cls, fixtures_path: str | Path | None = None, spec: dict | None = None,
                      webhook_retry_base_s: float = 1.0, clock: Clock | None = None,
                      webhook_hosts=None, admin_key: str | None = None,
                      public_url: str = DEFAULT_PUBLIC_URL):
        """The sandbox seeded from a fixture file; `webhook_retry_base_s` scales the retry
        delays (1, 2, 4, 8, 16 x base), small in tests; `webhook_hosts` lists the hosts
        webhooks may be delivered to (None: any)."""
        from ledgerhq_contract import load_contract
        path = Path(fixtures_path) if fixtures_path else DEFAULT_FIXTURES
        clock = clock or Clock()
        data = fixtures.load_sandbox_file(path, now=clock.now())
        return cls(data, spec or load_contract(), path, webhook_retry_base_s, clock, webhook_hosts,
                   admin_key, public_url)

    def load(self, data: fixtures.Sandbox) -> None:
        """Replace the whole state of the books and credentials with `data`'s."""
        self.data = data
        self.loaded_at = self.clock.now()
        self.credentials = CredentialStore.from_data(fixture_credentials.credential_rows(data))
        self.oauth = AuthorizationServer(self.credentials, resources=(
            self.public_url + oauth_token.REST_RESOURCE_PATH, self.public_url + oauth_token.MCP_RESOURCE_PATH))
        self.directory = tenancy.Directory.of(
            (books.company.id, books.company.organization_id, books.company.firm_id)
            for books in data.companies.values())

    @property
    def idempotency(self) -> IdempotencyStore:
        return self.data.idempotency

    def now(self, books=None):
        """The time as the books' firm sees it (the sandbox's time without books)."""
        return self.clock.now(books.company.firm_id if books is not None else None)

    def company_now_s(self, company_id: str | None) -> float:
        """Unix seconds as the company's firm sees them (webhook delivery times)."""
        entry = self.directory.company(company_id) if company_id is not None else None
        return self.clock.unix_s(entry.firm_id if entry is not None else None)

    # -- the one write path (writes.py) ----------------------------------------------------
    async def write(self, write: Write, apply: Callable[[], T],
                    answer: Callable[[T], object] | None = None) -> Committed:
        """Check and apply, commit with the stored idempotent answer and the sends it
        owes, then publish them (never blocks the request).

        Writes publish before they return, so no event is pending at any await point: the
        events dropped on failure are this write's own."""
        self.journal.begin(write)       # durable state: refused before anything changes if unrecordable
        key, company_id = write.idempotency_key, write.company_id
        store = self.idempotency        # the store the key began in, even if a reset comes meanwhile
        books = self.data.companies.get(company_id) if company_id is not None else None
        if key is not None:
            stored = store.begin(company_id, key, write.name, write.payload, self.now(books))
            if stored is not None:
                return Committed(stored.body, stored.status, replayed=True)
        try:
            if write.delay_ms:
                await asyncio.sleep(write.delay_ms / 1000)      # the key stays in flight meanwhile
                self.check_books_still_live(company_id, books)  # a reset meanwhile: post nothing
            result = apply()
            body = answer(result) if answer is not None else result
            owed = self._owed_sends(company_id)
            self.journal.commit(write, body, owed)   # durable state: one transaction with the next line
            if key is not None:
                store.complete(company_id, key, write.status, body)
        except BaseException:
            if key is not None:
                store.abandon(company_id, key)
            self._drop_events(company_id)
            raise
        if not self.journal.replaying:          # a replayed write's sends were owed the first time
            for event, webhook_id in owed:
                self.deliveries.enqueue(event, webhook_id=webhook_id)
        return Committed(body, write.status)

    def owe(self, event: WebhookEvent, webhook_id: str | None = None) -> None:
        """Send `event` once the running write commits (to one webhook, or to every match)."""
        self.outbox.append((event, webhook_id))

    def _owed_sends(self, company_id: str | None) -> list[tuple[WebhookEvent, str | None]]:
        """The outbox as webhook events (committed with the write, sent only after it)."""
        books = self.data.companies.get(company_id) if company_id is not None else None
        owed = [] if books is None else [(event, None) for event in self.webhook_events(books)]
        owed.extend(self.outbox)
        self.outbox = []
        return owed

    def webhook_events(self, books) -> list[WebhookEvent]:
        """The books' domain events since the last drain, as webhook events."""
        return [new_event(event.type, event.company_id, self.shapes.event_data(event), event.occurred_at)
                for event in books.drain_events()]

    def trigger_event(self, books, event_type: str, now) -> tuple[triggers.Triggered, WebhookEvent]:
        """Make the change behind `event_type` in `books` (run inside a write): its events are
        owed to every subscription listening; returns what it made and the event of that type."""
        made = triggers.make_change(books, event_type, now)
        events = self.webhook_events(books)
        if event_type == "webhook.test":
            events.append(new_event(event_type, books.company.id, {"message": TRIGGERED_TEST_MESSAGE}, now))
        for event in events:
            self.owe(event)
        return made, next(event for event in reversed(events) if event.type == event_type)

    def _drop_events(self, company_id: str | None) -> None:
        books = self.data.companies.get(company_id) if company_id is not None else None
        if books is not None:
            books.drain_events()
        self.outbox = []

    # -- sandbox controls (run as writes by their handlers) --------------------------------
    def reset(self, firm_id: str | None = None) -> None:
        """Back to the fixtures the sandbox started with: the firm's companies (books,
        idempotency keys, webhooks, the firm's faults and clock); firm None (the admin key):
        data, credentials, idempotency keys, webhooks, deliveries, faults and clocks of everyone."""
        self.clock.real_time(firm_id)
        fresh = fixtures.load_sandbox_file(self.fixtures_path, now=self.now())
        if firm_id is not None:
            return self.replace_companies(firm_id, companies_to_reset(self.directory, firm_id, fresh), fresh)
        self.replace_all(fresh)

    def load_text(self, body, firm_id: str | None = None) -> None:
        """Load a posted fixture file (a parsed dict, or YAML/JSON text) over the firm's own
        companies; firm None (the admin key): replace everything. A bad file, or one naming
        a company outside the firm, raises before anything changes."""
        now = self.clock.now(firm_id)        # the firm's sandbox time (None: the sandbox's)
        data = (fixtures.load_sandbox(body, now=now) if isinstance(body, dict)
                else fixtures.load_sandbox_text(str(body or ""), now=now))
        if firm_id is not None:
            return self.replace_companies(firm_id, companies_to_load(self.directory, firm_id, data), data)
        if not (data.access_tokens or data.api_keys or data.sessions):
            raise FixtureError(["fixture: defines no access token, API key or session; without "
                                "one no request could authenticate, not even a reset"])
        self.replace_all(data)

    def replace_all(self, data: fixtures.Sandbox) -> None:
        self.load(data)
        self.webhooks.clear()
        self.deliveries.forget_deliveries()
        self.faults.clear()

    def summary_json(self, firm_id: str | None = None) -> dict:
        """What the firm holds (firm None: the whole sandbox)."""
        companies = self.scoped_companies(firm_id)
        return {
            "status": "ok", "firms": len(self.data.firms) if firm_id is None else 1,
            "companies": len(companies),
            "accounts": sum(len(books.list_accounts()) for books in companies),
            "journalEntries": sum(len(books.list_entries()) for books in companies),
            "bankTransactions": sum(len(books.list_bank_transactions()) for books in companies),
            "loadedAt": self.shapes.value(self.loaded_at),
        }

    def webhook_for_caller(self, caller, webhook_id: str):
        for books in self.visible_books(caller):
            subscription = self.webhooks.find(webhook_id)
            if subscription is not None and subscription.company_id == books.company.id:
                return subscription
        raise NotFound("webhook", webhook_id)

    @asynccontextmanager
    async def lifespan(self, app):
        await self.journal.recover(self)        # durable state: back to the last commit
        await self.deliveries.start()
        try:
            yield
        finally:
            await self.deliveries.stop()
            self.journal.close(self)
