"""LedgerHQ domain core: pure double-entry books, no web framework.

Public API (names are stable; `now` is always passed in, never read here):

`Sandbox` (fixtures.py) - whole sandbox state
    load_sandbox(data: Mapping, now) -> Sandbox          # raises FixtureError(issues)
    load_sandbox_text(text: str, now) -> Sandbox           # YAML or JSON text
    load_sandbox_file(path=DEFAULT_FIXTURE_PATH, now) -> Sandbox
    sandbox.companies: dict[str, CompanyBooks]; firms, organizations, users, sessions,
    access_tokens, api_keys, oauth_clients (plain records for the auth layer);
    sandbox.idempotency: IdempotencyStore; sandbox.company(company_id) -> CompanyBooks;
    sandbox.company_of_organization(org_id) -> CompanyBooks

`CompanyBooks` (books.py) - one company's books; writes validate everything first, write last
    reads:   company, get_account, list_accounts, account_balance_cents(account_id, as_of=None),
             get_entry, list_entries, list_journal_lines, get_bill, list_bills, get_invoice,
             list_invoices, get_bank_account, list_bank_accounts, bank_account_balance_cents,
             get_bank_transaction, list_bank_transactions(bank_account_id=None), get_feed,
             list_feeds, feed_health(), get_reconciliation, list_reconciliations, today(now)
    accounts: create_account(AccountInput, now), update_account(id, AccountPatch, now),
             delete_account(id)
    entries: create_draft(EntryInput, now), post_entry(id, now), void_entry(id, now)
    postings (-> PostingReceipt): post(kind, input, now), kind one of POSTING_KINDS
    documents: create_document(document_type, DocumentInput, now), create_bill, create_invoice
    bank:    create_bank_account(BankAccountInput, now), create_feed(institution_name, now),
             record_feed_rows(ba_id, rows, now),
             fail_feed(feed_id, now, code, message), reclassify(btx_id, ReclassifyInput, now),
             match(btx_id, document_type, document_id, now), split(btx_id, allocations, now),
             reconcile(btx_id, statement_date, now), exclude(btx_id, now)
    reports: trial_balance(as_of), balance_sheet(as_of), profit_and_loss(start, end),
             general_ledger(start, end, account_id=None), bank_reconciliation_status(as_of),
             financial_packet(start, end, now)
    outbox:  drain_events() -> list[DomainEvent]

Posting kinds (postings.py): POSTING_KINDS, one PostingKind(name, segment, parse, post)
each, declared once; POSTING_KIND_BY_NAME.
Request parsing (requests.py): entry_from_json, purchase_from_json, deposit_from_json
(categorized_from_json), transfer_from_json, bill_payment_from_json, account_from_json,
account_patch_from_json,
bank_account_from_json, document_from_json, feed_rows_from_json, reclassify_from_json,
match_from_json, split_from_json, statement_date_from_json.
Pagination: page(items, limit, cursor) -> (items, next_cursor).
Errors (errors.py): LedgerError.kind is an ErrorKind of the catalog (code, status, retryable).
"""
from mock_server.ledger.bank import FeedAccountHealth, FeedHealth
from mock_server.ledger.books import CompanyBooks
from mock_server.ledger.errors import (
    AccountInUse, FixtureError, IdempotencyKeyInUse, IdempotencyKeyReused, InvalidField,
    InvalidState, LedgerError, NotFound, UnbalancedEntry, Unprocessable,
)
from mock_server.ledger.fixtures import (
    DEFAULT_FIXTURE_PATH, Sandbox, load_sandbox, load_sandbox_file, load_sandbox_text,
    parse_fixture_text,
)
from mock_server.ledger.idempotency import IdempotencyStore, StoredResponse, fingerprint
from mock_server.ledger.inputs import (
    AccountInput, AccountPatch, AllocationInput, BankAccountInput, BillPaymentInput,
    CategorizedInput, DocumentAllocation, DocumentInput, EntryInput, FeedRow, LineInput,
    ReclassifyInput, TransferInput,
)
from mock_server.ledger.money import AMOUNT_CENTS_MAX, AMOUNT_CENTS_MIN, CURRENCY, parse_cents
from mock_server.ledger.packet import (
    BankReconciliationStatus, FinancialPacket, ReconciliationStatusRow,
)
from mock_server.ledger.pagination import (
    PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX, PAGE_LIMIT_MIN, check_limit, page,
)
from mock_server.ledger.postings import POSTING_KIND_BY_NAME, POSTING_KINDS, PostingKind
from mock_server.ledger.records import (
    Account, BankAccount, BankFeed, BankMatch, BankTransaction, Company,
    CompanyJournalLine, Document, DomainEvent, EntryStatus, FeedError, JournalEntry, JournalLine,
    PostingReceipt, Reconciliation, Source,
)
from mock_server.ledger.reports import (
    BalanceSheet, GeneralLedger, LedgerAccount, LedgerLine, ProfitAndLoss, Section, SectionRow,
    TrialBalance, TrialBalanceRow,
)
from mock_server.ledger.requests import (
    account_from_json, account_patch_from_json, bank_account_from_json, bill_payment_from_json,
    categorized_from_json, deposit_from_json, document_from_json, entry_from_json, feed_rows_from_json,
    match_from_json, purchase_from_json, reclassify_from_json, split_from_json,
    statement_date_from_json, transfer_from_json,
)
from mock_server.ledger.tenancy import ApiKey, Firm, Organization, Session, User

