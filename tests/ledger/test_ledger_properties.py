"""Property tests: any sequence of operations keeps the books' invariants (R3, R7, R9)."""
import datetime as dt

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from mock_server.ledger import (
    AllocationInput, BillPaymentInput, DocumentInput, EntryInput, EntryStatus,
    FeedRow, IdempotencyStore, LedgerError, LineInput, CategorizedInput, ReclassifyInput,
    TransferInput,
)
from tests.ledger.books_yaml import NOW, SMALL_BOOKS_YAML, balances_snapshot, books_from_yaml

ACCOUNT_IDS = ["acc_cash", "acc_savings", "acc_ar", "acc_ap", "acc_card", "acc_equity",
               "acc_sales", "acc_rent", "acc_supplies", "acc_missing"]
FIRST_DAY = dt.date(2026, 1, 1)
days = st.integers(0, 120).map(lambda n: FIRST_DAY + dt.timedelta(days=n))
accounts = st.sampled_from(ACCOUNT_IDS)
amounts = st.one_of(st.integers(1, 100_000), st.sampled_from([0, -1, 10**13]))
lines = st.builds(lambda a, c, debit: LineInput(a, c if debit else 0, 0 if debit else c),
                  accounts, st.integers(1, 5000), st.booleans())
SETTINGS = settings(max_examples=60, stateful_step_count=30, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def posted_lines_model(books) -> dict[str, int]:
    """Net debits per account recomputed from scratch from the posted entries."""
    net: dict[str, int] = {}
    for entry in books.entries.values():
        if entry.status is EntryStatus.POSTED:
            for line in entry.lines:
                net[line.account_id] = net.get(line.account_id, 0) + line.debit_cents - line.credit_cents
    return net


class BooksMachine(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        self.books = books_from_yaml(SMALL_BOOKS_YAML)
        self.books.create_bill(DocumentInput("B-1", "V", FIRST_DAY, FIRST_DAY, 50_000, "acc_rent"), NOW)
        self.books.create_invoice(DocumentInput("I-1", "C", FIRST_DAY, FIRST_DAY, 50_000,
                                                "acc_sales"), NOW)
        self.store = IdempotencyStore()
        self.replayed: dict[str, str] = {}
        self.books.drain_events()

    def attempt(self, operation) -> object:
        """Run `operation`; a refusal must leave no trace at all (R9)."""
        self.books.drain_events()
        before = balances_snapshot(self.books)
        try:
            return operation()
        except LedgerError:
            assert balances_snapshot(self.books) == before
            assert self.books.drain_events() == []
            return None

    @rule(day=days, source=accounts, category=accounts, amount=amounts)
    def purchase(self, day, source, category, amount) -> None:
        self.attempt(lambda: self.books.post("purchase", CategorizedInput(day, source, category, amount), NOW))

    @rule(day=days, destination=accounts, category=accounts, amount=amounts)
    def deposit(self, day, destination, category, amount) -> None:
        self.attempt(lambda: self.books.post("deposit", 
            CategorizedInput(day, destination, category, amount), NOW))

    @rule(day=days, source=accounts, to=accounts, amount=amounts)
    def transfer(self, day, source, to, amount) -> None:
        self.attempt(lambda: self.books.post("transfer", TransferInput(day, source, to, amount), NOW))

    @rule(day=days, parts=st.lists(st.integers(1, 30_000), min_size=1, max_size=3),
          extra=st.sampled_from([0, 0, 1]))
    def bill_payment(self, day, parts, extra) -> None:
        bill_id = self.books.list_bills()[0].id
        allocations = tuple(AllocationInput(bill_id, p) for p in parts)
        self.attempt(lambda: self.books.post("bill_payment", 
            BillPaymentInput(day, "acc_cash", sum(parts) + extra, allocations), NOW))

    @rule(day=days, entry_lines=st.lists(lines, min_size=1, max_size=4), post=st.booleans())
    def draft(self, day, entry_lines, post) -> None:
        entry = self.attempt(lambda: self.books.create_draft(EntryInput(day, "d", tuple(entry_lines)), NOW))
        if entry is not None and post:
            self.attempt(lambda: self.books.post_entry(entry.id, NOW))

    @rule(data=st.data())
    def void_or_post(self, data) -> None:
        entry_id = data.draw(st.sampled_from(list(self.books.entries)))
        action = data.draw(st.sampled_from([self.books.void_entry, self.books.post_entry]))
        self.attempt(lambda: action(entry_id, NOW))

    @rule(day=days, amount=st.integers(1, 60_000), inflow=st.booleans(), data=st.data())
    def feed_row_and_action(self, day, amount, inflow, data) -> None:
        direction = "inflow" if inflow else "outflow"
        (row,) = self.books.record_feed_rows("ba_cash", [FeedRow(day, amount, direction, "row")], NOW)
        document = ("invoice", self.books.list_invoices()[0].id) if inflow else (
            "bill", self.books.list_bills()[0].id)
        actions = [lambda: self.books.reclassify(row.id, ReclassifyInput(data.draw(accounts)), NOW),
                   lambda: self.books.match(row.id, *document, NOW),
                   lambda: self.books.exclude(row.id, NOW),
                   lambda: self.books.reconcile(row.id, day, NOW)]
        for index in data.draw(st.lists(st.integers(0, 3), max_size=3)):
            self.attempt(actions[index])

    @rule(key=st.sampled_from(["k1", "k2"]), amount=st.sampled_from([100, 200]))
    def idempotent_purchase(self, key, amount) -> None:
        body = {"amountCents": amount, "categoryAccountId": "acc_supplies"}
        try:
            replay = self.store.begin("cmp_a", key, "purchase", body, NOW)
        except LedgerError:
            return
        if replay is not None:
            assert replay.body["journalEntryId"] == self.replayed[key]
            return
        receipt = self.books.post("purchase", CategorizedInput(FIRST_DAY, "acc_cash", "acc_supplies", amount), NOW)
        self.store.complete("cmp_a", key, 201, {"journalEntryId": receipt.journal_entry_id})
        assert key not in self.replayed, "a replayed key posted twice"
        self.replayed[key] = receipt.journal_entry_id

    @invariant()
    def index_matches_posted_entries(self) -> None:
        model = posted_lines_model(self.books)
        for account_id in self.books.accounts:
            assert self.books.balances.net_debit_total(account_id) == model.get(account_id, 0)

    @invariant()
    def reports_agree(self) -> None:
        books = self.books
        start, end = dt.date(2026, 2, 1), dt.date(2026, 3, 31)
        trial = books.trial_balance(end)
        assert trial.total_debit_cents == trial.total_credit_cents
        sheet = books.balance_sheet(end)
        assert sheet.total_assets_cents == sheet.total_liabilities_cents + sheet.total_equity_cents
        before = books.balance_sheet(start - dt.timedelta(1)).earnings_to_date_cents
        assert books.profit_and_loss(start, end).net_income_cents == sheet.earnings_to_date_cents - before
        trial_net = {r.account_id: r.debit_cents - r.credit_cents for r in trial.rows}
        for ledger in books.general_ledger(start, end).accounts:
            account = books.get_account(ledger.account_id)
            sign = 1 if account.normal_balance == "debit" else -1
            activity = sign * (ledger.debit_cents - ledger.credit_cents)
            assert ledger.opening_balance_cents + activity == ledger.closing_balance_cents
            assert ledger.closing_balance_cents == sign * trial_net.get(ledger.account_id, 0)
        for row in books.bank_reconciliation_status(end).accounts:
            assert row.book_balance_cents == row.reconciled_balance_cents + row.unreconciled_cents

    @invariant()
    def documents_stay_within_bounds(self) -> None:
        for document in [*self.books.list_bills(), *self.books.list_invoices()]:
            assert 0 <= document.open_balance_cents <= document.total_cents


BooksMachine.TestCase.settings = SETTINGS
TestBooksMachine = BooksMachine.TestCase
