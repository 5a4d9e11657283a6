import pytest

from mock_server.ledger import (
    AccountInput, AccountInUse, AccountPatch, BankAccountInput, InvalidField, InvalidState, NotFound,
    Unprocessable,
)
from tests.ledger.books_yaml import NOW, books_from_yaml


def test_create_account_defaults_subtype_and_normal_balance() -> None:
    books = books_from_yaml()
    account = books.create_account(AccountInput("6300", "Meals", "expense"), NOW)
    assert (account.subtype, account.normal_balance, account.is_bank_account) == (
        "expense", "debit", False)
    assert account.id.startswith("acc_") and len(account.id) == 4 + 24
    assert books.list_accounts()[-1] == account


@pytest.mark.parametrize("data,error", [
    (AccountInput("6300", "Meals", "expenses"), InvalidField),
    (AccountInput("6300", "Meals", "expense", "bank"), Unprocessable),   # subtype of another type
    (AccountInput("", "Meals", "expense"), InvalidField),
    (AccountInput("6300", " ", "expense"), InvalidField),
    (AccountInput("6000", "Rent again", "expense"), InvalidState),    # code taken
])
def test_create_account_refusals(data: AccountInput, error: type) -> None:
    books = books_from_yaml()
    count = len(books.accounts)
    with pytest.raises(error):
        books.create_account(data, NOW)
    assert len(books.accounts) == count


def test_account_with_activity_cannot_be_deleted_or_change_type() -> None:
    books = books_from_yaml()
    with pytest.raises(AccountInUse) as caught:
        books.delete_account("acc_equity")
    assert caught.value.kind == "ACCOUNT_IN_USE"
    with pytest.raises(AccountInUse):
        books.update_account("acc_equity", AccountPatch(type="liability"), NOW)
    with pytest.raises(AccountInUse):
        books.delete_account("acc_cash")                      # bank-linked
    books.update_account("acc_supplies", AccountPatch(type="asset"), NOW)
    assert books.get_account("acc_supplies").subtype == "current_asset"
    books.delete_account("acc_supplies")
    with pytest.raises(NotFound):
        books.get_account("acc_supplies")


def test_patch_renames_and_archives() -> None:
    books = books_from_yaml()
    patched = books.update_account("acc_rent", AccountPatch(name="Studio Rent", code="6010",
                                                            archived=True), NOW)
    assert (patched.name, patched.code, patched.archived, patched.updated_at) == (
        "Studio Rent", "6010", True, NOW)
    with pytest.raises(InvalidState):
        books.update_account("acc_supplies", AccountPatch(code="1000"), NOW)


def test_bank_account_creates_or_links_its_gl_account() -> None:
    books = books_from_yaml()
    made = books.create_bank_account(BankAccountInput("Payroll", "checking", "1234"), NOW)
    account = books.get_account(made.account_id)
    assert (account.type, account.subtype, account.bank_account_id) == ("asset", "bank", made.id)
    card = books.create_bank_account(BankAccountInput("Card", "credit_card",
                                                      account_id="acc_card"), NOW)
    assert books.get_account("acc_card").bank_account_id == card.id
    with pytest.raises(Unprocessable):                           # already linked
        books.create_bank_account(BankAccountInput("Again", "checking", account_id="acc_cash"), NOW)
    with pytest.raises(Unprocessable):                           # wrong type for a card
        books.create_bank_account(BankAccountInput("X", "credit_card", account_id="acc_ar"), NOW)
    with pytest.raises(InvalidField):
        books.create_bank_account(BankAccountInput("X", "brokerage"), NOW)
