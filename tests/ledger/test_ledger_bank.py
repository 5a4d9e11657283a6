import datetime as dt

import pytest

from mock_server.ledger import (
    DocumentAllocation, FeedRow, InvalidField, InvalidState, CategorizedInput, ReclassifyInput,
    Unprocessable,
)
from tests.ledger.books_yaml import NOW, balances_snapshot, books_from_yaml

DAY = dt.date(2026, 11, 3)

BANK_YAML = """\
accounts:
  - {id: acc_cash, code: "1000", name: Checking, type: asset, subtype: bank}
  - {id: acc_ar, code: "1200", name: Receivables, type: asset, subtype: accounts_receivable}
  - {id: acc_ap, code: "2000", name: Payables, type: liability, subtype: accounts_payable}
  - {id: acc_equity, code: "3000", name: Equity, type: equity}
  - {id: acc_sales, code: "4000", name: Sales, type: income}
  - {id: acc_rent, code: "6000", name: Rent, type: expense}
  - {id: acc_meals, code: "6300", name: Meals, type: expense}
bankFeeds:
  - {id: feed_1, institutionName: FirstBank}
bankAccounts:
  - {id: ba_cash, accountId: acc_cash, name: Checking, type: checking, feedId: feed_1}
invoices:
  - {id: inv_1, number: "I-1", contactName: Client, date: "2026-10-01", dueDate: "2026-10-31", totalCents: 5000, accountId: acc_sales}
  - {id: inv_2, number: "I-2", contactName: Client, date: "2026-10-01", dueDate: "2026-10-31", totalCents: 3000, accountId: acc_sales}
bills:
  - {id: bill_1, number: "B-1", contactName: Landlord, date: "2026-10-01", dueDate: "2026-10-31", totalCents: 2000, accountId: acc_rent}
bankTransactions:
  - {id: btx_in, bankAccountId: ba_cash, date: "2026-11-03", amountCents: 6000, direction: inflow, description: DEPOSIT}
  - {id: btx_out, bankAccountId: ba_cash, date: "2026-11-04", amountCents: 1500, direction: outflow, description: CAFE}
"""


def line_accounts(books, row_id: str) -> list[tuple[str, int, int]]:
    entry = books.get_entry(books.get_bank_transaction(row_id).journal_entry_id)
    return [(l.account_id, l.debit_cents, l.credit_cents) for l in entry.lines]


def test_feed_rows_land_in_suspense() -> None:
    books = books_from_yaml(BANK_YAML)
    inflow, outflow = books.get_bank_transaction("btx_in"), books.get_bank_transaction("btx_out")
    assert (inflow.status, inflow.source_type) == ("unreviewed", "plaid_bank_feed")
    income, expense = (books.get_account(inflow.category_account_id),
                       books.get_account(outflow.category_account_id))
    assert (income.type, income.subtype, expense.type, expense.subtype) == (
        "income", "suspense", "expense", "suspense")
    assert line_accounts(books, "btx_in") == [("acc_cash", 6000, 0), (income.id, 0, 6000)]
    assert line_accounts(books, "btx_out") == [("acc_cash", 0, 1500), (expense.id, 1500, 0)]
    assert books.get_feed("feed_1").bank_account_ids == ("ba_cash",)
    made = books.record_feed_rows("ba_cash", [FeedRow(DAY, 10, "inflow", "X")], NOW)
    assert books.get_feed("feed_1").last_synced_at == NOW and made[0].id.startswith("btx_")
    with pytest.raises(InvalidField):
        books.record_feed_rows("ba_cash", [FeedRow(DAY, 10, "sideways", "X")], NOW)


def test_reclassify_changes_the_editable_line_only() -> None:
    books = books_from_yaml(BANK_YAML)
    bank_line = books.get_entry(books.get_bank_transaction("btx_out").journal_entry_id).lines[0]
    row = books.reclassify("btx_out", ReclassifyInput("acc_meals", reason="review"), NOW)
    assert (row.status, row.category_account_id) == ("categorized", "acc_meals")
    entry = books.get_entry(row.journal_entry_id)
    assert entry.lines[0] == bank_line and entry.lines[1].account_id == "acc_meals"
    assert books.account_balance_cents("acc_meals") == 1500
    assert books.account_balance_cents(books.get_account(entry.lines[1].account_id).id) == 1500
    with pytest.raises(Unprocessable):
        books.reclassify("btx_out", ReclassifyInput("acc_cash"), NOW)


def test_reclassify_to_another_bank_account_is_refused() -> None:
    """Money moved onto acc_card without a row in its register: the reconciliation status report then
    failed its invariant (book balance == register) and answered 500 (found by `make fuzz`)."""
    books = books_from_yaml(BANK_YAML.replace(
        "bankFeeds:", '  - {id: acc_card, code: "2100", name: Card, type: liability, subtype: credit_card}\nbankFeeds:'
    ).replace("invoices:", "  - {id: ba_card, accountId: acc_card, name: Card, type: credit_card}\ninvoices:"))
    before = balances_snapshot(books)
    with pytest.raises(Unprocessable) as raised:
        books.reclassify("btx_out", ReclassifyInput("acc_card"), NOW)
    assert raised.value.details == [("accountId", "is a bank account")]
    assert balances_snapshot(books) == before
    status = books.bank_reconciliation_status(dt.date(2026, 11, 30)).accounts
    assert [row.bank_account_id for row in status] == ["ba_cash", "ba_card"]


def test_match_moves_the_line_to_receivables_and_lowers_the_invoice() -> None:
    books = books_from_yaml(BANK_YAML)
    with pytest.raises(Unprocessable):                      # 6000 > 5000 open
        books.match("btx_in", "invoice", "inv_1", NOW)
    with pytest.raises(Unprocessable):                      # an inflow cannot pay a bill
        books.match("btx_out", "invoice", "inv_1", NOW)
    books.record_feed_rows("ba_cash", [FeedRow(DAY, 5000, "inflow", "ACH")], NOW, ["btx_ach"])
    row = books.match("btx_ach", "invoice", "inv_1", NOW)
    assert row.status == "matched" and row.matches[0].amount_cents == 5000
    assert line_accounts(books, "btx_ach") == [("acc_cash", 5000, 0), ("acc_ar", 0, 5000)]
    assert books.get_invoice("inv_1").status == "paid"
    assert books.account_balance_cents("acc_ar") == 3000


def test_split_must_add_up_exactly() -> None:
    books = books_from_yaml(BANK_YAML)
    before = balances_snapshot(books)
    uneven = [DocumentAllocation("invoice", "inv_1", 3000), DocumentAllocation("invoice", "inv_2", 2999)]
    with pytest.raises(Unprocessable):
        books.split("btx_in", uneven, NOW)
    too_much = [DocumentAllocation("invoice", "inv_1", 2000), DocumentAllocation("invoice", "inv_2", 4000)]
    with pytest.raises(Unprocessable):
        books.split("btx_in", too_much, NOW)
    assert balances_snapshot(books) == before
    even = [DocumentAllocation("invoice", "inv_1", 3500), DocumentAllocation("invoice", "inv_2", 2500)]
    row = books.split("btx_in", even, NOW)
    assert [m.amount_cents for m in row.matches] == [3500, 2500]
    assert (books.get_invoice("inv_1").open_balance_cents,
            books.get_invoice("inv_2").open_balance_cents) == (1500, 500)
    books.reclassify("btx_in", ReclassifyInput("acc_sales"), NOW)   # unmatching gives it back
    assert books.get_invoice("inv_1").open_balance_cents == 5000


def test_reconcile_groups_by_statement_date_and_freezes_the_row() -> None:
    books = books_from_yaml(BANK_YAML)
    statement = dt.date(2026, 11, 30)
    books.reconcile("btx_in", statement, NOW)
    row = books.reconcile("btx_out", statement, NOW)
    (reconciliation,) = books.list_reconciliations()
    assert (reconciliation.transaction_count, reconciliation.reconciled_cents) == (2, 4500)
    assert row.reconciliation_id == reconciliation.id and row.reconciled_at == NOW
    before = balances_snapshot(books)
    for action in (lambda: books.reclassify("btx_out", ReclassifyInput("acc_meals"), NOW),
                   lambda: books.match("btx_out", "bill", "bill_1", NOW),
                   lambda: books.exclude("btx_out", NOW),
                   lambda: books.reconcile("btx_out", statement, NOW),
                   lambda: books.void_entry(row.journal_entry_id, NOW)):
        with pytest.raises(InvalidState):
            action()
    assert balances_snapshot(books) == before
    books.record_feed_rows("ba_cash", [FeedRow(DAY, 1, "inflow", "X")], NOW, ["btx_new"])
    with pytest.raises(Unprocessable):                      # statement before the row's date
        books.reconcile("btx_new", dt.date(2026, 1, 1), NOW)


def test_exclude_takes_the_row_out_of_the_books() -> None:
    books = books_from_yaml(BANK_YAML)
    books.record_feed_rows("ba_cash", [FeedRow(DAY, 2000, "outflow", "RENT")], NOW, ["btx_rent"])
    books.match("btx_rent", "bill", "bill_1", NOW)
    assert books.get_bill("bill_1").status == "paid"
    cash = books.account_balance_cents("acc_cash")
    row = books.exclude("btx_rent", NOW)
    assert (row.status, row.excluded_at, row.matches) == ("excluded", NOW, ())
    assert books.get_entry(row.journal_entry_id).status.value == "voided"
    assert books.account_balance_cents("acc_cash") == cash + 2000
    assert books.get_bill("bill_1").status == "open"
    with pytest.raises(InvalidState):
        books.exclude("btx_rent", NOW)


def test_posting_rows_follow_their_entry() -> None:
    books = books_from_yaml(BANK_YAML)
    receipt = books.post("purchase", CategorizedInput(DAY, "acc_cash", "acc_rent", 100), NOW)
    (row_id,) = receipt.bank_transaction_ids
    with pytest.raises(InvalidState):
        books.reclassify(row_id, ReclassifyInput("acc_meals"), NOW)
    books.exclude(row_id, NOW)
    assert books.get_entry(receipt.journal_entry_id).status.value == "voided"


def test_book_balance_equals_register_in_reconciliation_status() -> None:
    books = books_from_yaml(BANK_YAML)
    books.reconcile("btx_in", dt.date(2026, 11, 3), NOW)
    books.post("purchase", CategorizedInput(DAY, "acc_cash", "acc_rent", 100), NOW)
    (status,) = books.bank_reconciliation_status(dt.date(2026, 11, 30)).accounts
    assert status.book_balance_cents == 6000 - 1500 - 100
    assert (status.reconciled_balance_cents, status.unreconciled_count,
            status.unreconciled_cents) == (6000, 2, -1600)
    assert status.last_reconciled_date == dt.date(2026, 11, 3)
    (early,) = books.bank_reconciliation_status(dt.date(2026, 11, 2)).accounts
    assert (early.book_balance_cents, early.unreconciled_count, early.last_reconciled_date) == (
        0, 0, None)


def test_feed_health_and_failure() -> None:
    books = books_from_yaml(BANK_YAML)
    books.fail_feed("feed_1", NOW)
    (health,) = books.feed_health()
    assert health.status == "login_required" and health.last_error.code == "ITEM_LOGIN_REQUIRED"
    assert health.accounts[0].transaction_count == 2
    assert health.accounts[0].last_transaction_date == dt.date(2026, 11, 4)
