"""The action methods of CompanyBooks, each delegating to its module (one job per module)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from mock_server.ledger import bank, bank_actions, documents, packet, postings, reports
from mock_server.ledger.errors import InvalidField
from mock_server.ledger.inputs import (
    BankAccountInput, DocumentAllocation, DocumentInput, FeedRow, ReclassifyInput,
)
from mock_server.ledger.records import (
    BankAccount, BankFeed, BankTransaction, Document, PostingReceipt,
)

if TYPE_CHECKING:
    from mock_server.ledger.books import CompanyBooks


class BooksApi:
    # -- postings (R3) ------------------------------------------------------------------------
    def post(self: CompanyBooks, kind: str, data: object, now: dt.datetime) -> PostingReceipt:
        """Post one of the POSTING_KINDS (purchase, deposit, ...): a PostingReceipt."""
        posting = postings.POSTING_KIND_BY_NAME.get(kind)
        if posting is None:
            names = ", ".join(k.name for k in postings.POSTING_KINDS)
            raise InvalidField("kind", f"must be one of {names}")
        return posting.post(self, data, now)

    # -- documents: bills and invoices ---------------------------------------------------------
    def create_document(self: CompanyBooks, document_type: str, data: DocumentInput,
                        now: dt.datetime, document_id: str | None = None) -> Document:
        return documents.create_document(self, document_type, data, now, document_id)

    def create_bill(self: CompanyBooks, data: DocumentInput, now: dt.datetime,
                    bill_id: str | None = None) -> Document:
        return documents.create_document(self, "bill", data, now, bill_id)

    def create_invoice(self: CompanyBooks, data: DocumentInput, now: dt.datetime,
                       invoice_id: str | None = None) -> Document:
        return documents.create_document(self, "invoice", data, now, invoice_id)

    # -- bank --------------------------------------------------------------------------------
    def create_bank_account(self: CompanyBooks, data: BankAccountInput, now: dt.datetime,
                            bank_account_id: str | None = None,
                            feed_id: str | None = None) -> BankAccount:
        return bank.create_bank_account(self, data, now, bank_account_id, feed_id)

    def create_feed(self: CompanyBooks, institution_name: str, now: dt.datetime,
                    feed_id: str | None = None, status: str = "healthy",
                    last_synced_at: dt.datetime | None = None) -> BankFeed:
        return bank.create_feed(self, institution_name, now, feed_id, status, last_synced_at)

    def fail_feed(self: CompanyBooks, feed_id: str, now: dt.datetime,
                  code: str = "ITEM_LOGIN_REQUIRED",
                  message: str = "The institution needs the user to sign in again.",
                  status: str | None = None) -> BankFeed:
        return bank.fail_feed(self, feed_id, now, code, message, status)

    def feed_health(self: CompanyBooks) -> list[bank.FeedHealth]:
        return bank.feed_health(self)

    def record_feed_rows(self: CompanyBooks, bank_account_id: str, rows: Sequence[FeedRow],
                         now: dt.datetime,
                         row_ids: Sequence[str] | None = None) -> list[BankTransaction]:
        return bank.record_feed_rows(self, bank_account_id, rows, now, row_ids)

    def reclassify(self: CompanyBooks, bank_transaction_id: str, data: ReclassifyInput,
                   now: dt.datetime) -> BankTransaction:
        return bank_actions.reclassify(self, bank_transaction_id, data, now)

    def match(self: CompanyBooks, bank_transaction_id: str, document_type: str,
              document_id: str, now: dt.datetime) -> BankTransaction:
        return bank_actions.match(self, bank_transaction_id, document_type, document_id, now)

    def split(self: CompanyBooks, bank_transaction_id: str,
              allocations: Sequence[DocumentAllocation], now: dt.datetime) -> BankTransaction:
        return bank_actions.split(self, bank_transaction_id, allocations, now)

    def reconcile(self: CompanyBooks, bank_transaction_id: str, statement_date: dt.date | None,
                  now: dt.datetime) -> BankTransaction:
        return bank_actions.reconcile(self, bank_transaction_id, statement_date, now)

    def exclude(self: CompanyBooks, bank_transaction_id: str, now: dt.datetime) -> BankTransaction:
        return bank_actions.exclude(self, bank_transaction_id, now)

    # -- reports -----------------------------------------------------------------------------
    def trial_balance(self: CompanyBooks, as_of: dt.date) -> reports.TrialBalance:
        return reports.trial_balance(self, as_of)

    def balance_sheet(self: CompanyBooks, as_of: dt.date) -> reports.BalanceSheet:
        return reports.balance_sheet(self, as_of)

    def profit_and_loss(self: CompanyBooks, start: dt.date, end: dt.date) -> reports.ProfitAndLoss:
        return reports.profit_and_loss(self, start, end)

    def general_ledger(self: CompanyBooks, start: dt.date, end: dt.date,
                       account_id: str | None = None) -> reports.GeneralLedger:
        return reports.general_ledger(self, start, end, account_id)

    def bank_reconciliation_status(self: CompanyBooks,
                                   as_of: dt.date) -> packet.BankReconciliationStatus:
        return packet.bank_reconciliation_status(self, as_of)

    def financial_packet(self: CompanyBooks, start: dt.date, end: dt.date,
                         now: dt.datetime) -> packet.FinancialPacket:
        return packet.financial_packet(self, start, end, now)
