"""R3 state machine: random postings, drafts and voids, with the books checked after every step."""
from __future__ import annotations

from hypothesis import HealthCheck, Phase, settings, seed as hypothesis_seed, strategies as st
from hypothesis.errors import Flaky
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule, run_state_machine_as_test

from conformance.books import kinds_without_documents
from conformance.expect import expect_error, expect_status, json_object
from conformance.failures import Failure, Skip
from conformance.registry import rule_check
from conformance.rules.balance_model import BooksModel, create_draft, entry_call, lines_for, post_kind, start_model, verify_books
from conformance.suite import Suite

AMOUNTS = st.integers(min_value=1, max_value=5_000_000)


class BooksMachine(RuleBasedStateMachine):
    suite: Suite = None  # type: ignore[assignment]   set on the per-run subclass
    kinds: tuple[str, ...] = ()                         # posting kinds that pay no documents, from the contract

    def __init__(self) -> None:
        super().__init__()
        self.model: BooksModel = start_model(self.suite)
        self.posted: list[tuple[str, dict]] = []      # entry id, deltas
        self.voided: list[str] = []
        self.drafts: list[tuple[str, dict, bool]] = []  # entry id, deltas, balanced
        self.steps: list[str] = []

    def note(self, text: str) -> None:
        self.steps.append(text)

    @rule(data=st.data(), amount=AMOUNTS)
    def post_resource(self, data, amount: int) -> None:
        kind = data.draw(st.sampled_from(self.kinds), label="kind")
        self.note(f"post {kind} {amount}")
        receipt, deltas = post_kind(self.suite, kind, amount)
        self.model.apply(deltas)
        self.posted.append((json_object(receipt, "receipt")["journalEntryId"], deltas))

    @initialize(amount=AMOUNTS)
    def start_with_a_balanced_draft(self, amount: int) -> None:
        """Every run saves a balanced draft first, so a server that posts drafts on save is always seen."""
        self.save_draft(amount, True)

    @rule(amount=AMOUNTS, balanced=st.booleans())
    def create_draft(self, amount: int, balanced: bool) -> None:
        self.save_draft(amount, balanced)

    def save_draft(self, amount: int, balanced: bool) -> None:
        accounts = self.suite.world.accounts
        credit = amount if balanced else amount + 1
        self.note(f"draft {amount}/{credit}")
        draft = create_draft(self.suite, lines_for(accounts["expense"], accounts["loan"], amount, credit))
        expect_status(draft, {200, 201}, "saving a draft")
        deltas = {accounts["expense"]: amount, accounts["loan"]: -credit}
        self.drafts.append((json_object(draft, "draft")["id"], deltas, balanced))

    @precondition(lambda self: self.drafts)
    @rule(index=st.integers(min_value=0, max_value=1000))
    def post_draft(self, index: int) -> None:
        entry_id, deltas, balanced = self.drafts[index % len(self.drafts)]
        self.note(f"post draft {entry_id} (balanced={balanced})")
        sent = entry_call(self.suite, "POST", "post", entry_id)
        if not balanced:
            expect_error(sent, 422, {"UNBALANCED_ENTRY"}, "posting an unbalanced draft")
            return
        expect_status(sent, {200, 201}, "posting a balanced draft")
        self.drafts.remove((entry_id, deltas, balanced))
        self.model.apply(deltas)
        self.posted.append((entry_id, deltas))

    @precondition(lambda self: self.posted)
    @rule(index=st.integers(min_value=0, max_value=1000))
    def void_posted(self, index: int) -> None:
        entry_id, deltas = self.posted.pop(index % len(self.posted))
        self.note(f"void {entry_id}")
        expect_status(entry_call(self.suite, "POST", "void", entry_id), {200, 201}, "voiding a posted entry")
        self.model.apply(deltas, factor=-1)
        self.voided.append(entry_id)

    @precondition(lambda self: self.voided or self.posted)
    @rule(index=st.integers(min_value=0, max_value=1000))
    def repeat_is_invalid_state(self, index: int) -> None:
        if self.voided:
            entry_id, action = self.voided[index % len(self.voided)], "void"
        else:
            entry_id, action = self.posted[index % len(self.posted)][0], "post"
        self.note(f"{action} again {entry_id}")
        sent = entry_call(self.suite, "POST", action, entry_id)
        expect_error(sent, 409, {"INVALID_STATE"}, f"{action} of an entry already {action}ed")

    @invariant()
    def books_match_model(self) -> None:
        verify_books(self.suite, self.model)


def run_machine(suite: Suite) -> None:
    kinds = tuple(kinds_without_documents(suite))
    if not kinds:
        raise Skip("the contract has no posting kind that pays no documents")
    machine = type("BooksMachineRun", (BooksMachine,), {"suite": suite, "kinds": kinds})
    hypothesis_seed(suite.seed)(machine)
    steps: list[str] = []
    original_init = machine.__init__

    def init(self) -> None:
        original_init(self)
        steps.clear()
        self.steps = steps

    machine.__init__ = init
    options = settings(max_examples=suite.profile.machine_examples, stateful_step_count=suite.profile.machine_steps,
                       deadline=None, database=None, phases=[Phase.generate], derandomize=False,
                       suppress_health_check=list(HealthCheck), report_multiple_bugs=False)
    try:
        run_state_machine_as_test(machine, settings=options)
    except (Failure, Flaky, BaseExceptionGroup) as error:
        failure = first_failure(error)
        if failure is None:
            raise
        failure.message += f" (after steps: {'; '.join(steps[-12:])})"
        failure.args = (failure.message,)
        raise failure from None


def first_failure(error: BaseException) -> Failure | None:
    if isinstance(error, Failure):
        return error
    for inner in getattr(error, "exceptions", ()) or ():
        found = first_failure(inner)
        if found is not None:
            return found
    cause = error.__cause__ or error.__context__
    return first_failure(cause) if cause is not None else None


@rule_check()
def check_books_state_machine(suite: Suite) -> None:
    run_machine(suite)
