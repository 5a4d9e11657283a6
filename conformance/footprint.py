"""What a run leaves in the company under test: kept small, cleaned up at the end, and reported.

A run makes at most one webhook subscription (deleted at the end when the contract declares
`DELETE /api/v1/webhooks/{webhookId}`), reuses the accounts an earlier run made (a set found by
its name marker and leased to one run at a time, so two pipelines never share books), and deletes
what the contract layer's fuzzing created, right after each case, where the contract has a delete.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from conformance.contract_map import Operation

if TYPE_CHECKING:
    from conformance.suite import Suite

WEBHOOK_DELETE_SUFFIX = "/webhooks/{webhookId}"
CREATED_STATUSES = frozenset({201})
GONE_STATUSES = frozenset({204, 404})
DELETABLE_KINDS = frozenset({"webhooks", "accounts"})     # postings, entries and bank accounts are ledger history
UNDELETABLE_CREATES_MAX = 1
NO_DELETE = "no delete in the contract, or ledger history"


@dataclass
class Footprint:
    """Every resource the run made, what it removed again, and what it had to leave."""
    reused_accounts: list[str] = field(default_factory=list)
    created: list[tuple[str, str]] = field(default_factory=list)       # (kind, id)
    removed: list[tuple[str, str]] = field(default_factory=list)
    left: list[dict] = field(default_factory=list)                    # {kind, id, reason}
    notes: list[str] = field(default_factory=list)
    cleanups: list = field(default_factory=list)                      # callables run at the end, last first

    def leave(self, kind: str, ident: str, reason: str) -> None:
        self.left.append({"kind": kind, "id": ident, "reason": reason})

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def as_json(self) -> dict:
        return {"reusedAccounts": list(self.reused_accounts),
                "created": [{"kind": kind, "id": ident} for kind, ident in self.created],
                "removed": [{"kind": kind, "id": ident} for kind, ident in self.removed],
                "leftBehind": list(self.left), "notes": list(self.notes)}


def observer_for(suite: Suite):
    """Counts what the suite's own requests made that it never deletes (bank registers, postings, drafts);
    subscriptions and accounts are counted where they are made."""
    def observe(exchange) -> None:
        if exchange.method != "POST" or exchange.status not in CREATED_STATUSES:
            return
        kind = exchange.path.rstrip("/").rsplit("/", 1)[-1]
        body = exchange.json if isinstance(exchange.json, dict) else {}
        ident = body.get("id") or body.get("journalEntryId")
        if kind not in DELETABLE_KINDS and isinstance(ident, str):
            footprint_of(suite).created.append((kind, ident))
            footprint_of(suite).leave(kind, ident, f"made by a check; {NO_DELETE}")
    return observe


def footprint_of(suite: Suite) -> Footprint:
    if suite.cache.footprint is None:
        suite.cache.footprint = Footprint()
    return suite.cache.footprint


def delete_operation_for(suite: Suite, create: Operation) -> Operation | None:
    """The contract's DELETE of what `create` makes: same resource segment, one path id more."""
    resource = create.path.rstrip("/").rsplit("/", 1)[-1]
    for op in suite.contract.operations:
        if op.method != "DELETE" or not op.path_params:
            continue
        head, _, last = op.path.rstrip("/").rpartition("/")
        if last.startswith("{") and head.rsplit("/", 1)[-1] == resource and len(op.path_params) <= 2:
            return op
    return None


def webhook_delete(suite: Suite) -> Operation | None:
    return next((op for op in suite.contract.operations
                 if op.method == "DELETE" and op.path.endswith(WEBHOOK_DELETE_SUFFIX)), None)


def kind_of(op: Operation) -> str:
    return op.path.rstrip("/").rsplit("/", 1)[-1]


def remove(suite: Suite, delete: Operation, ident: str, kind: str) -> bool:
    from conformance.world import call
    values = {name: ident for name in delete.path_params if name != "companyId"}
    try:
        gone = call(suite.api, suite.contract, delete, suite.world, path_values=values)
    except Exception as error:       # the run's result stands; what could not be removed is reported
        footprint_of(suite).leave(kind, ident, f"{delete.label} failed: {type(error).__name__}")
        return False
    if gone.status in GONE_STATUSES:
        footprint_of(suite).removed.append((kind, ident))
        return True
    footprint_of(suite).leave(kind, ident, f"{delete.label} answered {gone.status}")
    return False


def positive_examples(suite: Suite, op: Operation, examples: int) -> int:
    """A create the run cannot undo (no delete, and not a posting: postings are ledger history by design)
    is fuzzed with at most UNDELETABLE_CREATES_MAX positive cases, so each run adds a bounded number."""
    creates = op.method == "POST" and "201" in op.raw.get("responses", {}) and not op.path.endswith("}")
    if not creates or op in suite.posting_operations or kind_of(op) in DELETABLE_KINDS:
        return examples
    if examples > UNDELETABLE_CREATES_MAX:
        footprint_of(suite).note(f"positive fuzz cases of {op.label} limited to {UNDELETABLE_CREATES_MAX}: the "
                                 "contract declares no delete for what they create")
    return min(examples, UNDELETABLE_CREATES_MAX)


def creates_without_delete(suite: Suite, op: Operation) -> bool:
    """A create whose results the run could not remove: its positive fuzz cases are left out."""
    return op.method == "POST" and kind_of(op) == "webhooks" and webhook_delete(suite) is None


def created_id(op: Operation, status: int | None, body: object) -> str | None:
    if op.method != "POST" or status not in CREATED_STATUSES or not isinstance(body, dict):
        return None
    ident = body.get("id")
    return ident if isinstance(ident, str) else None


def delete_for_kind(suite: Suite, op: Operation, kind: str) -> Operation | None:
    if kind == "webhooks":
        return webhook_delete(suite)
    return delete_operation_for(suite, op) if kind in DELETABLE_KINDS else None


def record_created(suite: Suite, op: Operation, status: int | None, body: object, made_by: str):
    """What a create answered: recorded, with the operation that deletes it; None when nothing was made or
    the contract declares no delete for it (then it is reported as left, with `made_by`)."""
    ident = created_id(op, status, body)
    if ident is None:
        return None
    kind = kind_of(op)
    footprint_of(suite).created.append((kind, ident))
    delete = delete_for_kind(suite, op, kind)
    if delete is None:
        footprint_of(suite).leave(kind, ident, f"made by {made_by}; {NO_DELETE}")
        return None
    return delete, ident, kind


def after_fuzz_case(suite: Suite, op: Operation, status: int | None, body: object) -> None:
    """A subscription or account a fuzzed create made is deleted at once (else reported as left)."""
    made = record_created(suite, op, status, body, "a fuzzed case")
    if made is not None:
        remove(suite, *made)


def delete_at_end(suite: Suite, op: Operation, status: int | None, body: object) -> None:
    """What a stateful sequence made is deleted after the run (its links still need it meanwhile)."""
    made = record_created(suite, op, status, body, "a stateful sequence")
    if made is not None:
        footprint_of(suite).cleanups.append(lambda: remove(suite, *made))


def finish_accounts(suite: Suite, world) -> None:
    """The accounts made beyond the set deleted; the set's lease given back."""
    from conformance.account_sets import release_set
    footprint = footprint_of(suite)
    footprint.reused_accounts = list(world.accounts.values()) if world.reused else []
    create = suite.contract.find("POST", "/accounts")
    delete = delete_operation_for(suite, create) if create else None
    for ident in world.made:
        footprint.created.append(("accounts", ident))
        if delete is None:
            footprint.leave("accounts", ident, "the contract declares no delete for accounts")
        else:
            remove(suite, delete, ident, "accounts")
    if not world.reused:
        footprint.created.extend(("accounts", ident) for ident in world.accounts.values())
        footprint.leave("accounts", ", ".join(world.accounts.values()),
                        "the suite's own account set, kept for the next run to reuse")
    if not release_set(suite.api, suite.contract, world):
        footprint.note("the account set's lease could not be given back; it expires by itself")


def finish(suite: Suite) -> Footprint:
    """Run the cleanups (last registered first); never raises."""
    footprint = footprint_of(suite)
    world = getattr(suite, "_world", None)
    if world is not None:
        footprint.cleanups.insert(0, lambda: finish_accounts(suite, world))
    while footprint.cleanups:
        cleanup = footprint.cleanups.pop()
        try:
            cleanup()
        except Exception as error:
            footprint.note(f"a cleanup step failed: {type(error).__name__}: {error}")
    return footprint
