"""Typed inputs of the CompanyBooks methods (already parsed from JSON by `requests.py`,
or built directly). Money fields are re-checked by the books through `parse_cents`."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LineInput:
    account_id: str
    debit_cents: int = 0        # exactly one of the two > 0
    credit_cents: int = 0
    description: str | None = None


@dataclass(frozen=True, slots=True)
class EntryInput:
    date: dt.date
    description: str
    lines: tuple[LineInput, ...]
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class CategorizedInput:
    """A purchase (money out of `account_id`, its source) or a deposit (money into
    `account_id`, its destination), against a category account."""

    date: dt.date
    account_id: str
    category_account_id: str
    amount_cents: int
    description: str | None = None
    reference: str | None = None
    contact_name: str | None = None


@dataclass(frozen=True, slots=True)
class TransferInput:
    date: dt.date
    from_account_id: str
    to_account_id: str
    amount_cents: int
    description: str | None = None
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class AllocationInput:
    bill_id: str
    amount_cents: int


@dataclass(frozen=True, slots=True)
class BillPaymentInput:
    date: dt.date
    source_account_id: str
    amount_cents: int
    allocations: tuple[AllocationInput, ...]
    description: str | None = None
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class AccountInput:
    code: str
    name: str
    type: str
    subtype: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class AccountPatch:
    """None leaves a field unchanged. `type` may change only while the account has no activity."""

    code: str | None = None
    name: str | None = None
    description: str | None = None
    archived: bool | None = None
    type: str | None = None


@dataclass(frozen=True, slots=True)
class BankAccountInput:
    name: str
    type: str                   # checking | savings | credit_card
    mask: str | None = None
    institution_name: str | None = None
    account_id: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentInput:
    """A bill (account_id = expense account) or an invoice (account_id = income account)."""

    number: str
    contact_name: str
    date: dt.date
    due_date: dt.date
    total_cents: int
    account_id: str


@dataclass(frozen=True, slots=True)
class FeedRow:
    date: dt.date
    amount_cents: int
    direction: str              # inflow | outflow
    description: str
    merchant_name: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentAllocation:
    document_type: str          # invoice | bill
    document_id: str
    amount_cents: int


@dataclass(frozen=True, slots=True)
class ReclassifyInput:
    account_id: str
    contact_name: str | None = None
    tax_code: str | None = None
    reason: str | None = None
