"""R1 allocations of bank activity: a split or match moves documents by exactly what it allocates."""
from __future__ import annotations

from conformance.bank import feed_row, land_feed_rows, open_balances, open_document, own_bank_account, register_row
from conformance.books import own_balances
from conformance.expect import expect_status
from conformance.failures import LedgerChanged, LedgerMismatch, WrongStatus
from conformance.http import Exchange
from conformance.registry import rule_check
from conformance.suite import Suite

REFUSED_INEXACT = {400: {"VALIDATION_ERROR"}, 422: {"UNPROCESSABLE"}}


def bank_action(suite: Suite, action: str, row_id: str, body: dict) -> Exchange:
    op = suite.op("POST", f"/bank-transactions/{{}}/{action}")
    return suite.call(op, path_values={"bankTransactionId": row_id}, json_body=body)


def expect_refused(exchange: Exchange, what: str) -> None:
    if exchange.error_code not in REFUSED_INEXACT.get(exchange.status, set()):
        raise WrongStatus(f"{what}: expected 422 UNPROCESSABLE or 400 VALIDATION_ERROR, got {exchange.status} "
                          f"{exchange.error_code}", exchange)


class Scene:
    """One inflow feed row and open invoices, with what they looked like before any action."""

    def __init__(self, suite: Suite, amount_cents: int, invoice_totals: list[int]) -> None:
        self.suite = suite
        self.bank_id = own_bank_account(suite)["id"]
        self.row = land_feed_rows(suite, self.bank_id, [feed_row(suite.world.day, amount_cents, "inflow")])[0]
        self.invoices = [open_document(suite, "invoices", total) for total in invoice_totals]
        self.balances = open_balances(suite, "invoices", self.invoices)
        self.books = own_balances(suite)

    def expect_unchanged(self, refused: Exchange, what: str) -> None:
        row = register_row(self.suite, self.bank_id, self.row)
        balances = open_balances(self.suite, "invoices", self.invoices)
        if row.get("status") != self.row.get("status") or row.get("matches") != self.row.get("matches"):
            raise LedgerChanged(f"{what}, yet the transaction became {row.get('status')} {row.get('matches')}",
                                refused)
        if balances != self.balances or own_balances(self.suite) != self.books:
            raise LedgerChanged(f"{what}, yet open balances went {self.balances} -> {balances}", refused)

    def expect_moved(self, done: Exchange, allocated: dict[str, int], what: str) -> None:
        expected = {doc: self.balances[doc] - allocated.get(doc, 0) for doc in self.invoices}
        balances = open_balances(self.suite, "invoices", self.invoices)
        if balances != expected:
            raise LedgerMismatch(f"{what}: open balances {self.balances} should be {expected}, are {balances}", done)
        matches = register_row(self.suite, self.bank_id, self.row).get("matches") or []
        moved = {m.get("documentId"): m.get("amountCents") for m in matches if isinstance(m, dict)}
        if moved != allocated:
            raise LedgerMismatch(f"{what}: the transaction's matches are {moved}, expected {allocated}", done)


def split_body(invoices: list[str], amounts: list[int]) -> dict:
    return {"allocations": [{"documentType": "invoice", "documentId": doc, "amountCents": cents}
                            for doc, cents in zip(invoices, amounts)]}


@rule_check()
def check_split_and_match_allocations_exact(suite: Suite) -> None:
    split = Scene(suite, 1000, [700, 600])
    for amounts, what in (([400, 599], "a split short of the amount"), ([400, 601], "a split over the amount")):
        refused = bank_action(suite, "split", split.row["id"], split_body(split.invoices, amounts))
        expect_refused(refused, what)
        split.expect_unchanged(refused, f"{what} was refused")
    done = bank_action(suite, "split", split.row["id"], split_body(split.invoices, [400, 600]))
    expect_status(done, {200}, "a split that adds up exactly")
    split.expect_moved(done, dict(zip(split.invoices, [400, 600])), "an exact split")
    match = Scene(suite, 700, [1000, 500])
    over = bank_action(suite, "match", match.row["id"], {"documentType": "invoice", "documentId": match.invoices[1]})
    expect_refused(over, "a match over the invoice's open balance")
    match.expect_unchanged(over, "a match over the open balance was refused")
    done = bank_action(suite, "match", match.row["id"], {"documentType": "invoice", "documentId": match.invoices[0]})
    expect_status(done, {200}, "a match within the invoice's open balance")
    match.expect_moved(done, {match.invoices[0]: 700}, "a match")
