import datetime as dt

import pytest

from mock_server.ledger import (
    AllocationInput, BankAccountInput, BillPaymentInput, DocumentInput, EntryInput, InvalidField,
    LineInput, CategorizedInput, TransferInput, UnbalancedEntry, Unprocessable,
)
from tests.ledger.books_yaml import NOW, balances_snapshot, books_from_yaml

DAY = dt.date(2026, 6, 8)

BILLS_YAML = """\
accounts:
  - {id: acc_cash, code: "1000", name: Checking, type: asset, subtype: bank}
  - {id: acc_ap, code: "2000", name: Payables, type: liability, subtype: accounts_payable}
  - {id: acc_equity, code: "3000", name: Equity, type: equity}
  - {id: acc_rent, code: "6000", name: Rent, type: expense}
bankAccounts:
  - {id: ba_cash, accountId: acc_cash, name: Checking, type: checking}
bills:
  - {id: bill_1, number: "V-1", contactName: Landlord, date: "2026-06-01", dueDate: "2026-06-30", totalCents: 3000, accountId: acc_rent}
  - {id: bill_2, number: "V-2", contactName: Landlord, date: "2026-06-01", dueDate: "2026-06-30", totalCents: 2000, accountId: acc_rent}
"""


def lines_of(books, entry_id: str) -> list[tuple[str, int, int]]:
    return [(l.account_id, l.debit_cents, l.credit_cents) for l in books.get_entry(entry_id).lines]


def test_purchase_debits_category_credits_source_and_makes_a_bank_row() -> None:
    books = books_from_yaml()
    books.drain_events()
    receipt = books.post("purchase", CategorizedInput(DAY, "acc_cash", "acc_supplies", 4299,
                                                "Office supplies", "od-1001", "Office Depot"), NOW)
    assert lines_of(books, receipt.journal_entry_id) == [("acc_supplies", 4299, 0),
                                                         ("acc_cash", 0, 4299)]
    assert receipt.type == "purchase" and receipt.status == "posted" and receipt.created_at == NOW
    (row_id,) = receipt.bank_transaction_ids
    row = books.get_bank_transaction(row_id)
    assert (row.direction, row.amount_cents, row.source_type) == ("outflow", 4299, "posting")
    assert row.merchant_name == "Office Depot" and row.category_account_id == "acc_supplies"
    assert [e.type for e in books.drain_events()] == ["journal_entry.posted",
                                                      "bank_transaction.created"]


def test_deposit_and_card_purchase() -> None:
    books = books_from_yaml()
    receipt = books.post("deposit", CategorizedInput(DAY, "acc_cash", "acc_sales", 5000), NOW)
    assert lines_of(books, receipt.journal_entry_id) == [("acc_cash", 5000, 0),
                                                         ("acc_sales", 0, 5000)]
    card = books.post("purchase", CategorizedInput(DAY, "acc_card", "acc_supplies", 700), NOW)
    assert card.bank_transaction_ids == ()                  # the card has no bank account
    assert books.account_balance_cents("acc_card") == 700   # liability grows (credit-normal)


def test_transfer_between_two_bank_accounts_makes_two_rows() -> None:
    books = books_from_yaml()
    books.create_bank_account(BankAccountInput(
        "Savings", "savings", account_id="acc_savings"), NOW)
    receipt = books.post("transfer", TransferInput(DAY, "acc_cash", "acc_savings", 2500), NOW)
    rows = [books.get_bank_transaction(i) for i in receipt.bank_transaction_ids]
    assert sorted((r.direction, r.amount_cents) for r in rows) == [("inflow", 2500),
                                                                   ("outflow", 2500)]


@pytest.mark.parametrize("from_id,to_id", [("acc_cash", "acc_cash"), ("acc_cash", "acc_rent"),
                                           ("acc_sales", "acc_cash")])
def test_transfer_needs_two_different_balance_sheet_accounts(from_id: str, to_id: str) -> None:
    books = books_from_yaml()
    before = balances_snapshot(books)
    with pytest.raises(Unprocessable):
        books.post("transfer", TransferInput(DAY, from_id, to_id, 100), NOW)
    assert balances_snapshot(books) == before


def test_purchase_with_unknown_account_names_the_field() -> None:
    books = books_from_yaml()
    with pytest.raises(Unprocessable) as caught:
        books.post("purchase", CategorizedInput(DAY, "acc_cash", "acc_ghost", 100), NOW)
    assert caught.value.details[0][0] == "categoryAccountId"


def test_purchase_from_an_expense_account_is_unprocessable() -> None:
    books = books_from_yaml()
    with pytest.raises(Unprocessable):
        books.post("purchase", CategorizedInput(DAY, "acc_rent", "acc_supplies", 100), NOW)


def test_posting_refuses_bad_amounts() -> None:
    books = books_from_yaml()
    for amount in (0, -5, 12.5, True, "100"):
        with pytest.raises(InvalidField):
            books.post("purchase", CategorizedInput(DAY, "acc_cash", "acc_supplies", amount), NOW)


def test_bill_payment_lowers_open_balances_and_void_restores_them() -> None:
    books = books_from_yaml(BILLS_YAML)
    payment = BillPaymentInput(DAY, "acc_cash", 4000, (AllocationInput("bill_1", 3000),
                                                       AllocationInput("bill_2", 1000)))
    receipt = books.post("bill_payment", payment, NOW)
    assert lines_of(books, receipt.journal_entry_id) == [("acc_ap", 4000, 0), ("acc_cash", 0, 4000)]
    assert [(b.open_balance_cents, b.status) for b in books.list_bills()] == [(0, "paid"),
                                                                              (1000, "partial")]
    assert books.account_balance_cents("acc_ap") == 1000
    books.void_entry(receipt.journal_entry_id, NOW)
    assert [(b.open_balance_cents, b.status) for b in books.list_bills()] == [(3000, "open"),
                                                                              (2000, "open")]


@pytest.mark.parametrize("amount,allocations", [
    (3000, [("bill_1", 2999)]),                               # sum differs
    (3001, [("bill_1", 3001)]),                               # over the open balance
    (4000, [("bill_1", 2000), ("bill_1", 2000)]),             # over it in total
    (100, [("bill_nope", 100)]),                              # unknown bill
])
def test_bill_payment_refusals_change_nothing(amount: int, allocations: list) -> None:
    books = books_from_yaml(BILLS_YAML)
    before = balances_snapshot(books)
    payment = BillPaymentInput(DAY, "acc_cash", amount,
                               tuple(AllocationInput(b, c) for b, c in allocations))
    with pytest.raises(Unprocessable):
        books.post("bill_payment", payment, NOW)
    assert balances_snapshot(books) == before
    assert books.drain_events() == []


def test_posted_journal_entry_must_balance() -> None:
    books = books_from_yaml()
    unbalanced = EntryInput(DAY, "x", (LineInput("acc_rent", debit_cents=10),
                                       LineInput("acc_cash", credit_cents=9)))
    before = balances_snapshot(books)
    with pytest.raises(UnbalancedEntry):
        books.post("journal_entry", unbalanced, NOW)
    assert balances_snapshot(books) == before
    balanced = EntryInput(DAY, "x", (LineInput("acc_rent", debit_cents=10),
                                     LineInput("acc_cash", credit_cents=10)))
    receipt = books.post("journal_entry", balanced, NOW)
    assert receipt.type == "journal_entry" and len(receipt.bank_transaction_ids) == 1


def test_documents_post_their_entries() -> None:
    books = books_from_yaml()
    invoice = books.create_invoice(DocumentInput("INV-1", "Client", DAY, DAY, 900, "acc_sales"),
                                   NOW)
    assert lines_of(books, invoice.journal_entry_id) == [("acc_ar", 900, 0), ("acc_sales", 0, 900)]
    bill = books.create_bill(DocumentInput("B-1", "Vendor", DAY, DAY, 400, "acc_rent"), NOW)
    assert lines_of(books, bill.journal_entry_id) == [("acc_rent", 400, 0), ("acc_ap", 0, 400)]
    with pytest.raises(Unprocessable):
        books.create_invoice(DocumentInput("INV-2", "Client", DAY, DAY, 900, "acc_rent"), NOW)
    with pytest.raises(InvalidField):
        books.create_bill(DocumentInput("B-2", "V", DAY, DAY - dt.timedelta(1), 1, "acc_rent"), NOW)
