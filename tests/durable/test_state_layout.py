"""A state file's layout: what an image pickles is pinned here, so a change to a class it holds fails by
name until STATE_LAYOUT is bumped (and PINNED rewritten: `python -m tests.durable.test_state_layout`);
a state file of another layout, or of none recorded, is refused with one sentence, the CLI's exit 1."""
from __future__ import annotations

import dataclasses
import enum
import io
import pickle
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.service import snapshot
from mock_server.service.durable import open_service
from tests.api.operation_table import CANNED_REQUESTS
from tests.durable.test_replay import LAST, run_writes
from tests.service.sandbox_writes import SANDBOX_WRITES

ROOT = Path(__file__).resolve().parents[2]
WALK_OBJECTS_MAX = 2_000_000
PINNED_LAYOUT = 3
PINNED: dict[str, tuple[str, ...]] = {}      # set at the end of the file (one line per class)


def layout_of(image: bytes) -> dict[str, tuple[str, ...]]:
    """Every class of our own an image holds -> its fields (dataclass fields, slots, or attribute names)."""
    classes: set[type] = set()

    class Recording(pickle.Unpickler):
        def find_class(self, module: str, name: str):
            found = super().find_class(module, name)
            if isinstance(found, type) and module.startswith("mock_server."):
                classes.add(found)
            return found
    state = Recording(io.BytesIO(image)).load()
    attributes: dict[type, set[str]] = {}
    seen, stack = set(), [state]
    while stack and len(seen) < WALK_OBJECTS_MAX:
        node = stack.pop()
        if id(node) in seen or isinstance(node, (str, bytes, int, float, bool, type(None))):
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            stack += list(node.keys()) + list(node.values())
        elif isinstance(node, (list, tuple, set, frozenset)):
            stack += list(node)
        elif type(node) in classes and not dataclasses.is_dataclass(node) and hasattr(node, "__dict__"):
            attributes.setdefault(type(node), set()).update(vars(node))
            stack += list(vars(node).values())
        elif dataclasses.is_dataclass(node):
            stack += [getattr(node, field.name, None) for field in dataclasses.fields(node)]
        elif hasattr(node, "__slots__"):
            stack += [getattr(node, name, None) for cls in type(node).__mro__ for name in getattr(cls, "__slots__", ())]
    layout = {}
    for cls in classes:
        if issubclass(cls, enum.Enum):
            fields = tuple(str(member.value) for member in cls)
        elif dataclasses.is_dataclass(cls):
            fields = tuple(field.name for field in dataclasses.fields(cls))
        else:
            fields = tuple(name for c in cls.__mro__ for name in getattr(c, "__slots__", ())) \
                or tuple(sorted(attributes.get(cls, ())))
        layout[f"{cls.__module__}.{cls.__qualname__}"] = fields
    return layout


def busy_image() -> bytes:
    """An image of a sandbox after every write operation (keys, webhooks, deliveries, feeds, documents)."""
    app = create_app()
    writes = ["deleteAccount"] + [name for name in list(CANNED_REQUESTS) + list(SANDBOX_WRITES)
                                  if name not in LAST and name not in ("createWebhook", "deleteAccount")]
    with TestClient(app) as client:
        run_writes(client, writes)
        return snapshot.capture(app.service)


def test_the_classes_an_image_holds_are_the_pinned_ones():
    layout = layout_of(busy_image())
    assert len(layout) >= 30, "the walk found too few classes to pin anything"
    changed = sorted(name for name in set(layout) | set(PINNED) if layout.get(name) != PINNED.get(name))
    assert not changed, (
        f"the state image's layout changed ({', '.join(changed)}): a state file written before cannot be read "
        "back as it was. Bump STATE_LAYOUT in mock_server/service/snapshot.py, then set PINNED_LAYOUT and "
        "PINNED here from `python -m tests.durable.test_state_layout`.")
    assert snapshot.STATE_LAYOUT == PINNED_LAYOUT


def test_a_new_state_file_records_its_layout_and_opens_again(tmp_path):
    path = tmp_path / "state.sqlite"
    service = open_service(path)
    with TestClient(create_app(service=service)):
        pass
    assert sqlite3.connect(path).execute("SELECT value FROM meta WHERE key = 'layout'").fetchone() == (
        str(snapshot.STATE_LAYOUT),)
    open_service(path).journal.close()


@pytest.mark.parametrize("recorded", ["1", None])
def test_a_state_file_of_another_layout_is_refused_with_one_sentence(tmp_path, recorded):
    path = tmp_path / "state.sqlite"
    service = open_service(path)
    with TestClient(create_app(service=service)):
        pass
    with sqlite3.connect(path) as db:
        if recorded is None:
            db.execute("DELETE FROM meta WHERE key = 'layout'")
        else:
            db.execute("UPDATE meta SET value = ? WHERE key = 'layout'", (recorded,))
    with pytest.raises(ValueError) as refused:
        open_service(path)
    assert "--state" in str(refused.value) and str(snapshot.STATE_LAYOUT) in str(refused.value)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "mock_server.cli", "serve", "--port", str(port), "--state", str(path)]
    served = subprocess.run(command,
                            capture_output=True, text=True, timeout=60, cwd=tmp_path,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert served.returncode == 1, served
    lines = served.stderr.strip().splitlines()
    assert len(lines) == 1 and "layout" in lines[0] and "Traceback" not in served.stderr, served.stderr


PINNED.update({
    'mock_server.auth.api_key.ApiKey': ('key', 'organization_id'),
    'mock_server.auth.credentials.CredentialStore': (
        'access_tokens', 'access_tokens_max', 'api_keys', 'clients', 'firm_organizations', 'firm_owners', 'pinned',
        'sessions', 'sessions_max', 'users',
    ),
    'mock_server.auth.oauth.AuthorizationServer': (
        'access_token_ttl_s', 'code_ttl_s', 'codes', 'codes_max', 'refresh_token_ttl_s', 'refresh_tokens',
        'refresh_tokens_max', 'resources', 'store',
    ),
    'mock_server.auth.oauth_client.OAuthClient': ('client_id', 'redirect_uris', 'scopes', 'firm_id'),
    'mock_server.auth.oauth_grants.AuthorizationCode': (
        'code', 'client_id', 'redirect_uri', 'code_challenge', 'scope', 'firm_id', 'user_id', 'expires_at_s',
        'forget_at_s', 'grant_id', 'resource',
    ),
    'mock_server.auth.oauth_grants.RefreshToken': (
        'token', 'grant_id', 'client_id', 'firm_id', 'user_id', 'scope', 'expires_at_s', 'rotated', 'resource',
    ),
    'mock_server.auth.oauth_token.AccessToken': (
        'token', 'firm_id', 'expires_at_s', 'grant_id', 'user_id', 'client_id', 'resource',
    ),
    'mock_server.auth.session.Session': ('id', 'user_id', 'expires_at_s'),
    'mock_server.auth.session.User': ('id', 'organization_ids', 'firm_id'),
    'mock_server.auth.tenancy.Directory': ('entries', '_by_company', '_by_organization'),
    'mock_server.auth.tenancy.DirectoryEntry': ('company_id', 'organization_id', 'firm_id'),
    'mock_server.ledger.balances.AccountActivity': ('days', 'debits', 'credits', 'entries', 'entry_days'),
    'mock_server.ledger.balances.BalanceIndex': ('activity',),
    'mock_server.ledger.balances.Fenwick': ('tree',),
    'mock_server.ledger.books.CompanyBooks': (
        '_entry_order', '_events', '_journal_lines', '_transaction_order', 'accounts', 'balances',
        'bank_accounts', 'bank_transactions', 'bills', 'btx_ids_by_entry', 'company', 'entries', 'feeds', 'ids', 'invoices', 'payment_allocations',
        'reconciliations', 'seqs', 'used_account_ids', 'values_shared',
    ),
    'mock_server.ledger.fixtures.Sandbox': (
        'companies', 'firms', 'organizations', 'users', 'sessions', 'access_tokens', 'api_keys', 'oauth_clients',
        'idempotency',
    ),
    'mock_server.ledger.idempotency.IdempotencyStore': (
        '_keys_total', '_slots', 'company_keys_max', 'keys_max', 'ttl',
    ),
    'mock_server.ledger.idempotency.StoredResponse': ('status', 'body', 'headers'),
    'mock_server.ledger.idempotency._Slot': ('fingerprint', 'started_at', 'response'),
    'mock_server.ledger.ids.RandomIds': (),
    'mock_server.ledger.records.Account': (
        'id', 'company_id', 'code', 'name', 'type', 'subtype', 'description', 'archived', 'created_at',
        'updated_at', 'bank_account_id', 'seq',
    ),
    'mock_server.ledger.records.BankAccount': (
        'id', 'company_id', 'account_id', 'name', 'type', 'mask', 'institution_name', 'feed_id', 'created_at',
        'seq',
    ),
    'mock_server.ledger.records.BankFeed': (
        'id', 'company_id', 'institution_name', 'status', 'last_synced_at', 'bank_account_ids', 'last_error',
        'provider', 'seq',
    ),
    'mock_server.ledger.records.BankMatch': ('document_type', 'document_id', 'amount_cents'),
    'mock_server.ledger.records.BankTransaction': (
        'id', 'company_id', 'bank_account_id', 'date', 'amount_cents', 'direction', 'description', 'merchant_name',
        'source_type', 'status', 'category_account_id', 'journal_entry_id', 'matches', 'created_at', 'updated_at',
        'reconciliation_id', 'reconciled_at', 'excluded_at', 'seq',
    ),
    'mock_server.ledger.records.Company': (
        'id', 'name', 'legal_name', 'organization_id', 'firm_id', 'timezone', 'fiscal_year_start_month',
        'created_at', 'currency', 'seq',
    ),
    'mock_server.ledger.records.Document': (
        'id', 'company_id', 'number', 'contact_name', 'date', 'due_date', 'total_cents', 'open_balance_cents',
        'account_id', 'journal_entry_id', 'created_at', 'seq', 'document_type',
    ),
    'mock_server.ledger.records.EntryStatus': ('draft', 'posted', 'voided'),
    'mock_server.ledger.records.FeedError': ('code', 'message'),
    'mock_server.ledger.records.JournalEntry': (
        'id', 'company_id', 'date', 'description', 'reference', 'status', 'lines', 'source', 'created_at',
        'updated_at', 'posted_at', 'voided_at', 'seq',
    ),
    'mock_server.ledger.records.Reconciliation': (
        'id', 'company_id', 'bank_account_id', 'statement_date', 'transaction_count', 'reconciled_cents',
        'created_at', 'status', 'seq',
    ),
    'mock_server.ledger.records.Source': ('type', 'id'),
    'mock_server.ledger.tenancy.ApiKey': ('key', 'organization_id', 'name'),
    'mock_server.ledger.tenancy.Firm': ('id', 'name', 'seq'),
    'mock_server.ledger.tenancy.Organization': ('id', 'name', 'company_id', 'firm_id', 'seq'),
    'mock_server.ledger.tenancy.Session': ('id', 'user_id', 'expires_at'),
    'mock_server.ledger.tenancy.User': ('id', 'email', 'name', 'organization_ids', 'firm_id'),
    'mock_server.service.faults.ForcedFaults': ('by_firm', 'posting_operations', 'statuses_by_operation'),
    'mock_server.webhooks.delivery.Delivery': (
        'id', 'webhook_id', 'event_id', 'event_type', 'attempt', 'status_code', 'error', 'delivered_at',
        'next_retry_at', 'succeeded',
    ),
    'mock_server.webhooks.subscriptions.WebhookRegistry': ('_by_company',),
    'mock_server.webhooks.subscriptions.WebhookSubscription': (
        'id', 'company_id', 'url', 'events', 'description', 'status', 'secret', 'created_at',
    ),
})

if __name__ == "__main__":
    for name, fields in sorted(layout_of(busy_image()).items()):
        print(f"    {name!r}: {fields!r},")
    sys.exit(0)
