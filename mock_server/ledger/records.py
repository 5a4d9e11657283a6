"""Frozen records of the books. Field names are the contract's camelCase names in
snake_case. Records change only by copying (`dataclasses.replace`).

`seq` is the creation order number used for stable cursor pagination (R6); it is
internal and not part of any JSON shape.
"""
from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from mock_server.ledger.line_block import LineBlock

ACCOUNT_TYPES = ("asset", "liability", "equity", "income", "expense")
BALANCE_SHEET_TYPES = frozenset({"asset", "liability", "equity"})
DEBIT_NORMAL_TYPES = frozenset({"asset", "expense"})
SUBTYPES_BY_TYPE: dict[str, tuple[str, ...]] = {
    "asset": ("current_asset", "bank", "accounts_receivable", "fixed_asset", "suspense"),
    "liability": ("current_liability", "credit_card", "accounts_payable",
                  "long_term_liability", "suspense"),
    "equity": ("owners_equity", "retained_earnings", "suspense"),
    "income": ("income", "other_income", "suspense"),
    "expense": ("expense", "cost_of_goods_sold", "other_expense", "suspense"),
}
SOURCE_TYPES = ("manual", "purchase", "deposit", "transfer", "bill_payment", "journal_entry",
                "bank_feed", "bill", "invoice", "opening_balance")


class EntryStatus(str, enum.Enum):
    DRAFT = "draft"
    POSTED = "posted"
    VOIDED = "voided"


@dataclass(frozen=True, slots=True)
class Company:
    id: str
    name: str
    legal_name: str
    organization_id: str
    firm_id: str
    timezone: str
    fiscal_year_start_month: int
    created_at: dt.datetime
    currency: str = "USD"
    seq: int = 0


@dataclass(frozen=True, slots=True)
class Account:
    id: str
    company_id: str
    code: str
    name: str
    type: str                   # asset | liability | equity | income | expense
    subtype: str
    description: str
    archived: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    bank_account_id: str | None = None
    seq: int = 0

    @property
    def normal_balance(self) -> str:
        return "debit" if self.type in DEBIT_NORMAL_TYPES else "credit"

    @property
    def is_bank_account(self) -> bool:
        return self.bank_account_id is not None


@dataclass(frozen=True, slots=True)
class JournalLine:
    id: str
    account_id: str
    debit_cents: int            # exactly one of the two is > 0 (R3)
    credit_cents: int
    description: str | None = None
    seq: int = 0


@dataclass(frozen=True, slots=True)
class Source:
    type: str                   # one of SOURCE_TYPES
    id: str | None = None


@dataclass(frozen=True, slots=True)
class JournalEntry:
    id: str
    company_id: str
    date: dt.date
    description: str
    reference: str | None
    status: EntryStatus
    lines: LineBlock            # a sequence of JournalLine; given as any sequence, kept packed
    source: Source
    created_at: dt.datetime
    updated_at: dt.datetime     # its last change: made, posted, voided, editable line replaced
    posted_at: dt.datetime | None = None
    voided_at: dt.datetime | None = None
    seq: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", LineBlock.of(self.lines))

    @property
    def total_debit_cents(self) -> int:
        return self.lines.debit_cents_total()

    @property
    def total_credit_cents(self) -> int:
        return self.lines.credit_cents_total()

    @property
    def is_balanced(self) -> bool:
        return self.total_debit_cents == self.total_credit_cents


@dataclass(frozen=True, slots=True)
class CompanyJournalLine:
    """A line as the journal-lines route lists it."""

    id: str
    entry_id: str
    date: dt.date
    account_id: str
    debit_cents: int
    credit_cents: int
    description: str | None
    status: EntryStatus
    seq: int = 0


@dataclass(frozen=True, slots=True)
class Document:
    """A vendor bill or a customer invoice (`document_type`). A bill's `account_id` is its
    expense account (debit expense, credit AP); an invoice's its income account (debit AR,
    credit income)."""

    id: str
    company_id: str
    number: str
    contact_name: str
    date: dt.date
    due_date: dt.date
    total_cents: int
    open_balance_cents: int
    account_id: str
    journal_entry_id: str
    created_at: dt.datetime
    seq: int = 0
    document_type: str = "bill"     # bill | invoice; internal: each has its own route and shape

    @property
    def status(self) -> str:
        return document_status(self.total_cents, self.open_balance_cents)


def document_status(total_cents: int, open_balance_cents: int) -> str:
    assert 0 <= open_balance_cents <= total_cents, (open_balance_cents, total_cents)
    if open_balance_cents == total_cents:
        return "open"
    return "paid" if open_balance_cents == 0 else "partial"


@dataclass(frozen=True, slots=True)
class BankAccount:
    id: str
    company_id: str
    account_id: str
    name: str
    type: str                   # checking | savings | credit_card
    mask: str | None
    institution_name: str | None
    feed_id: str | None
    created_at: dt.datetime
    seq: int = 0


@dataclass(frozen=True, slots=True)
class BankMatch:
    document_type: str          # invoice | bill
    document_id: str
    amount_cents: int


@dataclass(frozen=True, slots=True)
class BankTransaction:
    id: str
    company_id: str
    bank_account_id: str
    date: dt.date
    amount_cents: int           # > 0; `direction` gives the sign
    direction: str              # inflow | outflow
    description: str
    merchant_name: str | None
    source_type: str            # plaid_bank_feed | posting
    status: str                 # unreviewed | categorized | matched | reconciled | excluded
    category_account_id: str | None
    journal_entry_id: str | None
    matches: tuple[BankMatch, ...]
    created_at: dt.datetime
    updated_at: dt.datetime
    reconciliation_id: str | None = None
    reconciled_at: dt.datetime | None = None
    excluded_at: dt.datetime | None = None
    seq: int = 0

    @property
    def signed_cents(self) -> int:
        """Inflow positive, outflow negative (the GL account's debit direction)."""
        return self.amount_cents if self.direction == "inflow" else -self.amount_cents


@dataclass(frozen=True, slots=True)
class FeedError:
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class BankFeed:
    id: str
    company_id: str
    institution_name: str
    status: str                 # healthy | login_required | error
    last_synced_at: dt.datetime | None
    bank_account_ids: tuple[str, ...]
    last_error: FeedError | None = None
    provider: str = "plaid"
    seq: int = 0


@dataclass(frozen=True, slots=True)
class Reconciliation:
    id: str
    company_id: str
    bank_account_id: str
    statement_date: dt.date
    transaction_count: int
    reconciled_cents: int       # inflows - outflows of its transactions
    created_at: dt.datetime
    status: str = "completed"
    seq: int = 0


@dataclass(frozen=True, slots=True)
class PostingReceipt:
    journal_entry_id: str
    bank_transaction_ids: tuple[str, ...]
    created_at: dt.datetime
    type: str                   # purchase | deposit | transfer | bill_payment | journal_entry
    status: str = "posted"


@dataclass(frozen=True, slots=True)
class DomainEvent:
    """An outbox event; the HTTP layer sends it as a webhook after the commit."""

    type: str   # journal_entry.posted | journal_entry.voided | bank_transaction.created | .updated
    company_id: str
    data: JournalEntry | BankTransaction
    occurred_at: dt.datetime
