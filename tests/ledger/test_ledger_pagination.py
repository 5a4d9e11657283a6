import base64

import pytest

from mock_server.ledger import AccountInput, InvalidField, page
from tests.ledger.books_yaml import NOW, books_from_yaml


def test_paging_returns_every_item_once_while_items_are_added() -> None:
    books = books_from_yaml()
    seen, cursor, added = [], None, 0
    for _ in range(100):
        items, cursor = page(books.list_accounts(), 2, cursor)
        seen += [a.id for a in items]
        if added < 5:
            added += 1
            books.create_account(AccountInput(f"9{added:03d}", f"New {added}", "expense"), NOW)
        if cursor is None:
            break
    assert seen == [a.id for a in books.list_accounts()]
    assert len(seen) == len(set(seen)) == 9 + 5


def test_cursor_survives_a_deleted_item() -> None:
    books = books_from_yaml()
    first, cursor = page(books.list_accounts(), 3)
    books.delete_account("acc_supplies")
    rest, end = page(books.list_accounts(), 200, cursor)
    assert end is None and [a.id for a in first + rest] == [a.id for a in books.list_accounts()]


def test_last_page_has_no_cursor() -> None:
    books = books_from_yaml()
    items, cursor = page(books.list_accounts(), 9)
    assert len(items) == 9 and cursor is None
    assert page([], 50) == ([], None)


@pytest.mark.parametrize("cursor", ["", "%%%", "bm9wZQ", base64.urlsafe_b64encode(b"seq:x").decode(),
                                    "A" * 65, base64.urlsafe_b64encode(b"\xff\xfe").decode()])
def test_malformed_cursor_is_a_validation_error(cursor: str) -> None:
    with pytest.raises(InvalidField) as caught:
        page([], 10, cursor)
    assert caught.value.details[0][0] == "cursor"


@pytest.mark.parametrize("limit", [0, 201, True, 2.0])
def test_limit_is_bounded(limit: object) -> None:
    with pytest.raises(InvalidField):
        page([], limit)


SCOPE = ("/api/v1/companies/cmp_a/accounts", "")


def test_a_cursor_is_good_for_its_own_list_and_company_only() -> None:
    books = books_from_yaml()
    first, cursor = page(books.list_accounts(), 2, None, SCOPE)
    rest, _ = page(books.list_accounts(), 200, cursor, SCOPE)
    assert [a.id for a in first + rest] == [a.id for a in books.list_accounts()]
    for scope in [("/api/v1/companies/cmp_b/accounts", ""), ("/api/v1/companies/cmp_a/entries", ""),
                  (SCOPE[0], "org_b|firm_b")]:
        with pytest.raises(InvalidField) as caught:
            page(books.list_accounts(), 2, cursor, scope)
        assert caught.value.details[0][0] == "cursor"


@pytest.mark.parametrize("forged", [b"seq:2", b"seq:0", (2).to_bytes(8, "big") + bytes(16)])
def test_a_forged_cursor_is_a_validation_error(forged: bytes) -> None:
    books = books_from_yaml()
    cursor = base64.urlsafe_b64encode(forged).decode().rstrip("=")
    with pytest.raises(InvalidField):
        page(books.list_accounts(), 2, cursor, SCOPE)
