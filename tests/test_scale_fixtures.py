"""The scale bench's faker company: deterministic by seed, a realistic chart, balanced books."""
from benchmarks.scale_fixtures import (
    CHART_ACCOUNTS_MIN, COMPANY_ID, LINES_PER_ENTRY_MAX, LINES_PER_ENTRY_MIN, post_lines, scale_fixture,
    scale_service,
)
from mock_server.ledger.records import ACCOUNT_TYPES

LINES = 600


def entries_of(service) -> list[tuple]:
    books = service.data.companies[COMPANY_ID]
    return [(e.id, e.date, e.description, tuple(e.lines)) for e in books.entries.values()]


def test_the_chart_holds_200_accounts_of_every_type_with_unique_codes() -> None:
    accounts = scale_fixture(3)["companies"][0]["accounts"]
    assert len(accounts) >= CHART_ACCOUNTS_MIN
    assert {a["type"] for a in accounts} == set(ACCOUNT_TYPES)
    assert len({a["code"] for a in accounts}) == len({a["id"] for a in accounts}) == len(accounts)


def test_the_same_seed_makes_the_same_books_and_another_seed_others() -> None:
    assert entries_of(scale_service(LINES, seed=5)) == entries_of(scale_service(LINES, seed=5))
    assert entries_of(scale_service(LINES, seed=5)) != entries_of(scale_service(LINES, seed=6))


def test_the_books_hold_the_lines_asked_for_balanced_in_entries_of_two_to_ten() -> None:
    service = scale_service(0)
    books = service.data.companies[COMPANY_ID]
    posted = post_lines(books, LINES)
    sizes = [len(e.lines) for e in books.entries.values()]
    assert posted == sum(sizes) and LINES <= posted < LINES + LINES_PER_ENTRY_MAX
    assert all(LINES_PER_ENTRY_MIN <= size <= LINES_PER_ENTRY_MAX for size in sizes)
    assert all(e.is_balanced for e in books.entries.values())
    dates = [e.date for e in books.entries.values()]
    assert dates == sorted(dates) and dates[-1].year > dates[0].year
    trial = books.trial_balance(dates[-1])
    assert trial.total_debit_cents == trial.total_credit_cents > 0
