"""The suite's own bank register and documents, and reading registers back.

A register is made through the partner API; feed rows, invoices and bills only through the sandbox's
controls, which a real deployment does not offer: then the checks needing them are skipped, saying so."""
from __future__ import annotations

import secrets
from datetime import date

from conformance.expect import expect_status, json_object
from conformance.failures import SetupFailed, Skip
from conformance.suite import Suite

PAGES_MAX = 50
DOCUMENT_ACCOUNT_ROLE = {"invoices": "income", "bills": "expense"}


def own_bank_account(suite: Suite) -> dict:
    """A checking register of the suite's own (made once per run): {id, accountId, ...}."""
    if suite.cache.own_bank_account is None:
        made = suite.call(suite.op("POST", "/bank-accounts"),
                          json_body={"name": f"Conformance {suite.world.run_tag} checking", "type": "checking"})
        expect_status(made, {201}, "a bank account of the suite's own")
        body = json_object(made, "bank account")
        if not isinstance(body.get("id"), str) or not isinstance(body.get("accountId"), str):
            raise SetupFailed("the new bank account has no id or accountId", made)
        suite.cache.own_bank_account = body
    return suite.cache.own_bank_account


def sandbox_control(suite: Suite, method: str, suffix: str):
    op = suite.contract.find(method, suffix, controls=True)
    if op is None:
        raise Skip(f"the contract has no sandbox control {method} ...{suffix}")
    return op


def land_feed_rows(suite: Suite, bank_account_id: str, rows: list[dict]) -> list[dict]:
    """Feed rows landed by the sandbox's sync control; skipped where there is none (404)."""
    op = sandbox_control(suite, "POST", "/sandbox/bank-accounts/{}/sync")
    landed = suite.call(op, path_values={"bankAccountId": bank_account_id}, json_body={"rows": rows})
    if landed.status == 404:
        raise Skip("this implementation offers no feed sync control (404): no feed rows to work on")
    expect_status(landed, {201}, "feed rows landed by the sync control")
    made = json_object(landed, "sync result").get("bankTransactions")
    if not isinstance(made, list) or len(made) != len(rows):
        raise SetupFailed("the sync control did not answer one transaction per row", landed)
    return made


def feed_row(day: date, amount_cents: int, direction: str) -> dict:
    return {"date": day.isoformat(), "amountCents": amount_cents, "direction": direction,
            "description": f"CONFORMANCE {secrets.token_hex(4).upper()}"}


def open_document(suite: Suite, kind: str, total_cents: int) -> str:
    """A fresh open invoice or bill (`kind` is the collection name) through the sandbox's control."""
    op = sandbox_control(suite, "POST", f"/sandbox/companies/{{}}/{kind}")
    body = {"number": f"CONF-{secrets.token_hex(6)}", "contactName": f"Conformance {suite.world.run_tag}",
            "date": suite.world.day.isoformat(), "totalCents": total_cents,
            "accountId": suite.world.accounts[DOCUMENT_ACCOUNT_ROLE[kind]]}
    made = suite.call(op, json_body=body)
    if made.status == 404:
        raise Skip(f"this implementation offers no {kind} control (404): no documents to allocate to")
    expect_status(made, {201}, f"a new open {kind[:-1]}")
    document_id = json_object(made, kind[:-1]).get("id")
    if not isinstance(document_id, str):
        raise SetupFailed(f"the new {kind[:-1]} has no id", made)
    return document_id


def read_all(suite: Suite, method: str, suffix: str, path_values: dict | None = None,
             controls: bool = False, filters: dict | None = None) -> list[dict]:
    """Every item of a list route, page by page (bounded); `filters` (query name -> value) narrow it where
    the contract declares them, so a list a long-lived server has grown stays short. A list still longer than
    the walk bound skips the check that needs it, saying so: a server's size is not a violation."""
    op = suite.contract.find(method, suffix, controls=controls) if controls else suite.op(method, suffix)
    if op is None:
        raise Skip(f"the contract has no {method} ...{suffix}")
    declared = suite.contract.query_params(op)
    narrowed = {name: value for name, value in (filters or {}).items() if name in declared}
    items, cursor, limit = [], None, suite.contract.largest_page(op)
    for _ in range(PAGES_MAX):
        page = suite.call(op, path_values=path_values, params={"limit": limit, **narrowed,
                                                               **({"cursor": cursor} if cursor else {})})
        expect_status(page, {200}, f"listing {op.label}")
        body = json_object(page, op.label)
        items += [item for item in body.get("data") or [] if isinstance(item, dict)]
        cursor = body.get("nextCursor")
        if not cursor:
            return items
    raise Skip(f"{op.label}{' narrowed by ' + str(narrowed) if narrowed else ''} lists more than "
               f"{PAGES_MAX} pages of {limit}: longer than this check walks, on a server this size")


def open_balances(suite: Suite, kind: str, document_ids: list[str]) -> dict[str, int]:
    """documentId -> openBalanceCents, from the sandbox's document list."""
    listed = read_all(suite, "GET", f"/sandbox/companies/{{}}/{kind}", controls=True)
    found = {item.get("id"): item.get("openBalanceCents") for item in listed}
    return {document_id: found.get(document_id) for document_id in document_ids}


def register_rows(suite: Suite, bank_account_id: str, filters: dict | None = None) -> list[dict]:
    return read_all(suite, "GET", "/bank-accounts/{}/transactions", path_values={"bankAccountId": bank_account_id},
                    filters=filters)


def register_row(suite: Suite, bank_account_id: str, landed: dict) -> dict:
    """The register's row for a transaction `landed` (as the sync answered it), found through the register's
    own filters where the contract declares them: its date, and changed no earlier than it landed."""
    row_id = landed["id"]
    narrowed = {"startDate": landed.get("date"), "endDate": landed.get("date"), "updatedSince": landed.get("updatedAt")}
    narrowed = {name: value for name, value in narrowed.items() if isinstance(value, str)}
    row = next((r for r in register_rows(suite, bank_account_id, narrowed) if r.get("id") == row_id), None)
    if row is None:
        raise SetupFailed(f"bank transaction {row_id} is missing from its register")
    return row
