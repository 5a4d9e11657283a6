"""The packed layout behind the record API: entries keep their lines in a LineBlock, the
balance index holds entries in arrays, journal lines are made on read. Reports must equal a
naive scan of the posted lines on any ledger, and the records must read as before."""
import dataclasses
import datetime as dt
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mock_server.ledger import EntryInput, EntryStatus, LineInput
from mock_server.ledger.balances import Fenwick
from mock_server.ledger.line_block import LineBlock
from mock_server.ledger.records import JournalEntry, JournalLine, Source
from mock_server.ledger.reports import normal
from tests.ledger.books_yaml import NOW, SMALL_BOOKS_YAML, books_from_yaml

LINES = (JournalLine("jl_" + "0a" * 12, "acc_cash", 1250, 0, None, 7),
         JournalLine("jl_readable_1", "acc_sales", 0, 1250, "Widgets", 8))
ACCOUNT_IDS = ["acc_cash", "acc_savings", "acc_ar", "acc_ap", "acc_card", "acc_equity",
               "acc_sales", "acc_rent", "acc_supplies"]
FIRST_DAY = dt.date(2026, 1, 1)


def entry_with(lines) -> JournalEntry:
    return JournalEntry("je_1", "cmp_1", FIRST_DAY, "Sale", None, EntryStatus.POSTED, lines,
                        Source("manual"), NOW, NOW)       # created_at, updated_at


def test_an_entry_gives_back_the_lines_it_was_made_with() -> None:
    entry = entry_with(LINES)
    assert type(entry.lines) is LineBlock
    assert tuple(entry.lines) == LINES and entry.lines == LINES and list(entry.lines[::-1]) == list(LINES[::-1])
    assert (entry.lines[0], entry.lines[-1], len(entry.lines)) == (LINES[0], LINES[1], 2)
    assert (entry.total_debit_cents, entry.total_credit_cents, entry.is_balanced) == (1250, 1250, True)
    with pytest.raises(IndexError):
        entry.lines[2]


def test_a_copied_or_pickled_entry_is_equal_and_keeps_its_lines() -> None:
    entry = entry_with(LINES)
    voided = dataclasses.replace(entry, status=EntryStatus.VOIDED)
    assert voided.lines is entry.lines and voided != entry
    assert pickle.loads(pickle.dumps(entry)) == entry
    assert hash(entry_with(LINES)) == hash(entry)


@pytest.mark.parametrize("cents", [True, 1.5, -1])
def test_a_line_block_refuses_money_that_is_not_a_non_negative_int(cents) -> None:
    with pytest.raises(AssertionError):
        LineBlock([JournalLine("jl_" + "0b" * 12, "acc_cash", cents, 0)])


def test_an_unbalanced_entry_never_posts() -> None:
    books = books_from_yaml(SMALL_BOOKS_YAML)
    cash_cents = books.balances.net_debit_total("acc_cash")
    draft = books.create_draft(EntryInput(FIRST_DAY, "Off", (LineInput("acc_cash", debit_cents=5),
                                                             LineInput("acc_sales", credit_cents=4))), NOW)
    with pytest.raises(AssertionError):
        books.commit_posted(draft, NOW)
    assert books.balances.net_debit_total("acc_cash") == cash_cents
    assert books.get_entry(draft.id).status is EntryStatus.DRAFT


def test_a_fenwick_tree_past_64_bits_stays_exact() -> None:
    tree = Fenwick([2**62, 2**62])
    tree.add(0, 2**62)
    tree.append(5)
    assert (tree.prefix(1), tree.prefix(3)) == (2**63, 3 * 2**62 + 5)


def test_journal_lines_are_listed_in_creation_order_with_their_entry() -> None:
    books = books_from_yaml(SMALL_BOOKS_YAML)
    before = len(books.list_journal_lines())
    receipt = books.post("journal_entry", EntryInput(FIRST_DAY, "Sale", (
        LineInput("acc_cash", debit_cents=10), LineInput("acc_sales", credit_cents=10, description="x"))), NOW)
    rows = books.list_journal_lines()
    assert len(rows) == before + 2 and [r.seq for r in rows] == sorted(r.seq for r in rows)
    assert [(r.entry_id, r.account_id, r.description) for r in rows[-2:]] == [
        (receipt.journal_entry_id, "acc_cash", None), (receipt.journal_entry_id, "acc_sales", "x")]


def naive_net(books, account_id: str, first: dt.date, last: dt.date) -> int:
    return sum(line.debit_cents - line.credit_cents for entry in books.entries.values()
               if entry.status is EntryStatus.POSTED and first <= entry.date <= last
               for line in entry.lines if line.account_id == account_id)


line_inputs = st.builds(lambda a, cents, debit: LineInput(a, cents if debit else 0, 0 if debit else cents),
                        st.sampled_from(ACCOUNT_IDS), st.integers(1, 10**6), st.booleans())
entries = st.tuples(st.integers(0, 90), st.lists(line_inputs, min_size=1, max_size=6), st.booleans())


@settings(max_examples=40, deadline=None)
@given(st.lists(entries, max_size=25), st.integers(0, 90), st.integers(0, 90))
def test_reports_equal_a_naive_scan_of_posted_lines(postings, first, span) -> None:
    books = books_from_yaml(SMALL_BOOKS_YAML)
    for number, (day, lines, void) in enumerate(postings):
        net = sum(l.debit_cents - l.credit_cents for l in lines)
        if net:
            lines = [*lines, LineInput("acc_equity", credit_cents=net) if net > 0
                     else LineInput("acc_rent", debit_cents=-net)]
        data = EntryInput(FIRST_DAY + dt.timedelta(days=day), f"E{number}", tuple(lines))
        if len({l.account_id for l in lines}) < 2:
            continue
        entry_id = books.post("journal_entry", data, NOW).journal_entry_id
        if void:
            books.void_entry(entry_id, NOW)
    start = FIRST_DAY + dt.timedelta(days=first)
    end = start + dt.timedelta(days=span)
    trial = {row.account_id: row.debit_cents - row.credit_cents for row in books.trial_balance(end).rows}
    for account_id in ACCOUNT_IDS:
        assert trial.get(account_id, 0) == naive_net(books, account_id, dt.date.min, end)
    pnl = books.profit_and_loss(start, end)
    for row in pnl.income.accounts + pnl.expenses.accounts:
        assert row.balance_cents == normal(books.get_account(row.account_id),
                                           naive_net(books, row.account_id, start, end))
    ledger = books.general_ledger(start, end, account_id="acc_cash").accounts[0]
    assert [l.entry_id for l in ledger.lines] == [
        e.id for e in sorted((e for e in books.entries.values() if e.status is EntryStatus.POSTED
                              and start <= e.date <= end), key=lambda e: (e.date, e.seq))
        for l in e.lines if l.account_id == "acc_cash"]
