"""R9 edges in the books: a refused request leaves no trace; windows include both ends; what a void or a
delete claims is what every route shows afterwards."""
from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlsplit

from conformance.bank import own_bank_account, read_all, register_rows
from conformance.books import post, posting_for, shaped_body
from conformance.expect import expect_error, expect_status, json_object
from conformance.failures import LedgerChanged, LedgerMismatch, ReportsDisagree, Skip, WrongStatus
from conformance.http import Exchange, new_idempotency_key
from conformance.receiver import Receiver
from conformance.registry import rule_check
from conformance.suite import Suite

REFUSALS = frozenset({400, 404, 409, 422})
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
TRACE_EVENTS = ["journal_entry.posted", "journal_entry.voided", "bank_transaction.created",
                "bank_transaction.updated"]
TRACE_WAIT_S = 1.5                 # a refused request's event, if any, arrives well within this
WINDOW_DAYS_BACK = 40              # the window checks post on days nobody else in the run uses
MISSING_ACCOUNT = "acc_conformance_missing"


def trial_rows(suite: Suite, as_of: date | None = None) -> dict[str, int]:
    """accountId -> debits minus credits, every account of the company, from the trial balance."""
    op = suite.op("GET", "/reports/trial-balance")
    found = suite.call(op, params={"asOf": (as_of or suite.world.day + timedelta(days=WINDOW_DAYS_BACK)).isoformat()})
    expect_status(found, {200}, "the trial balance")
    rows = json_object(found, "trial balance").get("rows") or []
    return {row.get("accountId"): _int(row.get("debitCents")) - _int(row.get("creditCents"))
            for row in rows if isinstance(row, dict)}


def _int(value: object) -> int:
    return value if type(value) is int else 0


def snapshot(suite: Suite) -> tuple[dict[str, int], int]:
    return trial_rows(suite), len(register_rows(suite, own_bank_account(suite)["id"]))


def journal_body(suite: Suite, debit: int, credit: int, day: date | None = None) -> dict:
    accounts = suite.world.accounts
    return {"date": (day or suite.world.day).isoformat(), "description": "conformance edges",
            "lines": [{"accountId": accounts["expense"], "debitCents": debit},
                      {"accountId": accounts["cash_a"], "creditCents": credit}]}


def refused_postings(suite: Suite) -> list[tuple[str, object, dict, dict]]:
    """(what, operation, refused body, valid body) of postings a ledger must refuse, each a 4xx of another
    kind; the valid body is posted afterwards with the same key (its documents are made here, up front)."""
    bank = own_bank_account(suite)
    deposit = {"date": suite.world.day.isoformat(), "destinationAccountId": bank["accountId"],
               "categoryAccountId": suite.world.accounts["income"], "amountCents": 1900,
               "description": "conformance edges"}
    cases = [("a line amount given as a string (400)", suite.op("POST", "/journal-entries"),
              {**journal_body(suite, 1900, 1900), "lines": [{"accountId": suite.world.accounts["expense"],
                                                            "debitCents": "1900"},
                                                           {"accountId": suite.world.accounts["cash_a"],
                                                            "creditCents": 1900}]}),
             ("a deposit to the suite's register from an account that does not exist (404 or 422)",
              suite.op("POST", "/deposits"), {**deposit, "categoryAccountId": MISSING_ACCOUNT}),
             ("an unbalanced entry (422)", suite.op("POST", "/journal-entries"), journal_body(suite, 1900, 1800))]
    payment = suite.contract.find("POST", "/bill-payments")
    if payment is not None:
        cases.append(("a bill payment of a bill that does not exist (404 or 422)", payment,
                      shaped_body(suite, payment, 1900)))
    return [(what, op, body, posting_for(suite, op, 1900, description="conformance edges after a refusal").body)
            for what, op, body in cases]


def expect_no_trace(suite: Suite, before: tuple[dict, int], refused: Exchange, what: str) -> None:
    after = snapshot(suite)
    if after[0] != before[0]:
        moved = {k: after[0].get(k, 0) - before[0].get(k, 0) for k in set(after[0]) | set(before[0])
                 if after[0].get(k, 0) != before[0].get(k, 0)}
        raise LedgerChanged(f"{what} was refused ({refused.status}), yet the trial balance moved: {moved}", refused)
    if after[1] != before[1]:
        raise LedgerChanged(f"{what} was refused ({refused.status}), yet the suite's register went from "
                            f"{before[1]} to {after[1]} rows", refused)


def refuse_then_reuse_key(suite: Suite, what: str, op, body: dict, valid: dict, made: set[str]) -> None:
    key, before = new_idempotency_key(), snapshot(suite)
    refused = post(suite, op, body, key)
    if refused.status not in REFUSALS:
        raise WrongStatus(f"{what}: expected a refusal ({sorted(REFUSALS)}), got {refused.status}", refused)
    expect_no_trace(suite, before, refused, what)
    again = post(suite, op, valid, key)
    if again.status != 201 or again.headers.get("idempotent-replayed", "").lower() == "true":
        raise LedgerChanged(f"{what} was refused, yet its Idempotency-Key is used: a valid body with it got "
                            f"{again.status}, Idempotent-Replayed {again.headers.get('idempotent-replayed')!r}",
                            again)
    receipt = json_object(again, "receipt")
    made.update(str(value) for value in [receipt.get("journalEntryId"), *(receipt.get("bankTransactionIds") or [])])


def refuse_void_twice(suite: Suite) -> tuple[str, Exchange]:
    """A posted entry voided, then voided again (409): the second must change nothing."""
    receipt = post(suite, suite.op("POST", "/journal-entries"), journal_body(suite, 1300, 1300))
    expect_status(receipt, {201}, "a posted journal entry")
    entry_id = json_object(receipt, "receipt").get("journalEntryId")
    void = suite.op("POST", "/entries/{}/void")
    expect_status(suite.call(void, path_values={"entryId": entry_id}, json_body={}), {200, 201}, "a void")
    return entry_id, void


def subscribed(suite: Suite, url: str) -> bool:
    """Whether a subscription of `url` to every event was made; False when the company holds as many as it
    may (422: the contract has no route that removes one, and a long run, the fuzzer's, may use them up)."""
    from conformance.rules.webhooks import subscribe_for_the_run
    try:
        subscribe_for_the_run(suite, url, TRACE_EVENTS)
    except WrongStatus as refused:
        if refused.status == 422:
            return False
        raise
    return True


def unexpected_events(receiver: Receiver, made: set[str], ours: set[str]) -> list[str]:
    """Deliveries about this run's own books (its accounts, its voided entry) that no accepted request made.
    Events about other books are another client's (two pipelines may share one company) and do not count."""
    from conformance.rules.webhooks import event_of
    found = []
    for delivery in receiver.deliveries():
        data = (event_of(delivery) or {}).get("data") or {}
        if isinstance(data, dict) and {str(data.get("id")), str(data.get("journalEntryId"))} & made:
            continue
        if any(ident in delivery.body.decode("utf-8", "replace") for ident in ours):
            found.append(delivery.excerpt())
    return found


@rule_check()
def check_refused_request_leaves_no_trace(suite: Suite) -> None:
    entry_id, void = refuse_void_twice(suite)
    cases = refused_postings(suite)
    local = urlsplit(suite.config.base_url).hostname in LOCAL_HOSTS
    with Receiver() as receiver:
        reachable = local and subscribed(suite, receiver.url)
        made: set[str] = set()
        for what, op, body, valid in cases:
            refuse_then_reuse_key(suite, what, op, body, valid, made)
        before, entry = snapshot(suite), suite.call(suite.op("GET", "/entries/{}"), path_values={"entryId": entry_id})
        again = suite.call(void, path_values={"entryId": entry_id}, json_body={})
        expect_error(again, 409, {"INVALID_STATE"}, "voiding a voided entry")
        expect_no_trace(suite, before, again, "voiding a voided entry")
        if suite.call(suite.op("GET", "/entries/{}"), path_values={"entryId": entry_id}).json != entry.json:
            raise LedgerChanged("a refused second void changed the entry", again)
        if reachable:
            receiver.wait_for(lambda _: False, TRACE_WAIT_S)
            extra = unexpected_events(receiver, made, {entry_id, *suite.world.accounts.values()})
            if extra:
                raise LedgerChanged(f"refused requests sent webhooks: {extra[:3]}", again)
        elif local:
            raise Skip("books, register and keys left as they were; the webhook part not checked: the company holds "
                       "as many webhook subscriptions as it may (422)")


def window_figures(suite: Suite, day: date) -> dict[str, int]:
    """The suite's expense account in every report that reads a window or a date ending on `day`."""
    expense = suite.world.accounts["expense"]
    window = {"startDate": day.isoformat(), "endDate": day.isoformat()}
    pnl = suite.call(suite.op("GET", "/reports/profit-and-loss"), params=window)
    expect_status(pnl, {200}, "the profit and loss")
    rows = (json_object(pnl, "profit and loss").get("expenses") or {}).get("accounts") or []
    figures = {f"profit and loss {day}..{day}": sum(_int(r.get("balanceCents")) for r in rows
                                                    if isinstance(r, dict) and r.get("accountId") == expense)}
    figures[f"trial balance as of {day}"] = trial_rows(suite, day).get(expense, 0)
    figures[f"trial balance as of {day - timedelta(days=1)}"] = trial_rows(suite, day - timedelta(days=1)).get(expense, 0)
    return figures


@rule_check()
def check_date_windows_include_both_ends(suite: Suite) -> None:
    day = suite.world.day - timedelta(days=WINDOW_DAYS_BACK)
    before = window_figures(suite, day)
    op = suite.op("POST", "/journal-entries")
    for amount, dated in ((2300, day), (4700, day + timedelta(days=1)), (900, day - timedelta(days=1))):
        expect_status(post(suite, op, journal_body(suite, amount, amount, dated)), {201}, f"an entry dated {dated}")
    after = window_figures(suite, day)
    wanted = {f"profit and loss {day}..{day}": 2300, f"trial balance as of {day}": 3200,
              f"trial balance as of {day - timedelta(days=1)}": 900}
    wrong = [f"{name} moved by {after[name] - before[name]}, expected {delta}" for name, delta in wanted.items()
             if after[name] - before[name] != delta]
    if wrong:
        raise ReportsDisagree(f"entries dated {day - timedelta(days=1)}, {day} and {day + timedelta(days=1)}: "
                              + "; ".join(wrong), suite.api.history[-1])


def expect_voided_everywhere(suite: Suite, entry_id: str) -> None:
    found = suite.call(suite.op("GET", "/entries/{}"), path_values={"entryId": entry_id})
    expect_status(found, {200}, "a voided entry read back")
    if json_object(found, "entry").get("status") != "voided":
        raise LedgerMismatch(f"entry {entry_id} reads back as {found.json.get('status')!r} after its void", found)
    voided = {"status": "voided", **({"updatedSince": found.json["updatedAt"]}
                                     if isinstance(found.json.get("updatedAt"), str) else {})}
    listed = next((e for e in read_all(suite, "GET", "/entries", filters=voided) if e.get("id") == entry_id), None)
    if listed is None or listed.get("status") != "voided":
        raise LedgerMismatch(f"entry {entry_id} is listed as {listed and listed.get('status')!r} after its void",
                             suite.api.history[-1])
    for action in ("void", "post"):
        again = suite.call(suite.op("POST", f"/entries/{{}}/{action}"), path_values={"entryId": entry_id},
                           json_body={})
        expect_error(again, 409, {"INVALID_STATE"}, f"{action} of a voided entry")


def expect_deleted_everywhere(suite: Suite, account_id: str) -> None:
    for method in ("GET", "PATCH", "DELETE"):
        op = suite.op(method, "/accounts/{}")
        body = {"json_body": {"name": "conformance after delete"}} if method == "PATCH" else {}
        found = suite.call(op, path_values={"accountId": account_id}, **body)
        if found.status != 404:
            raise LedgerMismatch(f"{method} of deleted account {account_id}: expected 404, got {found.status}", found)
    if account_id in [account.get("id") for account in read_all(suite, "GET", "/accounts")]:
        raise LedgerMismatch(f"deleted account {account_id} is still listed", suite.api.history[-1])


def expect_renamed(suite: Suite, account_id: str) -> None:
    """A PATCH that answers success shows in the account read back."""
    name = f"Conformance {suite.world.run_tag} renamed"
    changed = suite.call(suite.op("PATCH", "/accounts/{}"), path_values={"accountId": account_id},
                         json_body={"name": name})
    expect_status(changed, {200}, "renaming an account of the suite's own")
    found = suite.call(suite.op("GET", "/accounts/{}"), path_values={"accountId": account_id})
    if not isinstance(found.json, dict) or found.json.get("name") != name:
        raise LedgerMismatch(f"account {account_id} was renamed ({changed.status}), yet it reads back as "
                             f"{found.json.get('name') if isinstance(found.json, dict) else found.text[:80]!r}", found)


def fresh_account(suite: Suite) -> str:
    from conformance.world import create_account
    return create_account(suite.api, suite.contract, suite.world, "deleted", "expense", "expense")


@rule_check()
def check_final_state_after_void_and_delete(suite: Suite) -> None:
    entry_id, _ = refuse_void_twice(suite)
    expect_voided_everywhere(suite, entry_id)
    account_id = fresh_account(suite)
    expect_renamed(suite, account_id)
    deleted = suite.call(suite.op("DELETE", "/accounts/{}"), path_values={"accountId": account_id})
    if deleted.status == 409:
        raise Skip(f"a fresh account without activity could not be deleted: {deleted.error_code}")
    expect_status(deleted, {200, 204}, "deleting an account without activity")
    expect_deleted_everywhere(suite, account_id)
