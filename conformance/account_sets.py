"""The suite's own accounts, reused from run to run: a set found by its name marker, leased to one run.

Each set is named `Conformance <role> [ledgerhq-conformance set <id>]`. The lease sits in the
description of the set's first account: a run reads that it is free (or expired), writes its own
lease, waits LEASE_SETTLE_S and reads it back; only a run that still finds its own lease uses the
set. Two runs at once thus never share books; a run with no free set makes a new one.
"""
from __future__ import annotations

import re
import time
from datetime import datetime, timedelta, timezone

from conformance.contract_map import Contract
from conformance.http import Api

MARKER = "ledgerhq-conformance set"
NAME = re.compile(r"^Conformance (?P<role>[a-z_]+) \[" + MARKER + r" (?P<set>[0-9a-f]{6,12})\]$")
LEASE = "ledgerhq-conformance lease"
FREE = "ledgerhq-conformance: free for the next run"
LEASE_MINUTES = 60
LEASE_SETTLE_S = 0.6
PAGES_MAX = 50
LEASE_ROLE = "cash_a"


def account_name(role: str, set_id: str) -> str:
    return f"Conformance {role} [{MARKER} {set_id}]"


def lease_text(run_tag: str) -> str:
    until = datetime.now(timezone.utc) + timedelta(minutes=LEASE_MINUTES)
    return f"{LEASE} {run_tag} until {until.strftime('%Y-%m-%dT%H:%M:%SZ')}"


def lease_is_free(description: object) -> bool:
    if not isinstance(description, str) or not description.startswith(LEASE):
        return True
    try:
        until = datetime.strptime(description.rsplit(" ", 1)[-1], "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return True
    return until.replace(tzinfo=timezone.utc) < datetime.now(timezone.utc)


def marked_sets(api: Api, contract: Contract, world, roles: dict[str, tuple[str, str]]) -> dict[str, dict]:
    """set id -> {role: account row}, complete sets only (every role, of its type, not archived)."""
    from conformance.world import call
    op = contract.find("GET", "/accounts")
    sets: dict[str, dict] = {}
    cursor = None
    for _ in range(PAGES_MAX if op else 0):
        params = {"limit": contract.largest_page(op), **({"cursor": cursor} if cursor else {})}
        page = call(api, contract, op, world, params=params)
        body = page.json if page.status == 200 and isinstance(page.json, dict) else {}
        for row in body.get("data") or []:
            found = NAME.match(str(row.get("name", ""))) if isinstance(row, dict) else None
            if found and found["role"] in roles and not row.get("archived") \
                    and row.get("type") == roles[found["role"]][0]:
                sets.setdefault(found["set"], {})[found["role"]] = row
        cursor = body.get("nextCursor")
        if not cursor:
            break
    return {set_id: rows for set_id, rows in sets.items() if set(rows) == set(roles)}


def write_lease(api: Api, contract: Contract, world, account_id: str, text: str):
    from conformance.world import call
    op = contract.find("PATCH", "/accounts/{}")
    if op is None:
        return None
    return call(api, contract, op, world, path_values={"accountId": account_id}, json_body={"description": text})


def read_description(api: Api, contract: Contract, world, account_id: str) -> object:
    from conformance.world import call
    op = contract.find("GET", "/accounts/{}")
    got = call(api, contract, op, world, path_values={"accountId": account_id}) if op else None
    return got.json.get("description") if got is not None and isinstance(got.json, dict) else None


def claim_set(api: Api, contract: Contract, world, roles: dict[str, tuple[str, str]]) -> dict[str, str] | None:
    """role -> account id of a free marked set, now leased to this run; None when there is none."""
    mine = lease_text(world.run_tag)
    for rows in marked_sets(api, contract, world, roles).values():
        leased = rows[LEASE_ROLE]
        if not lease_is_free(leased.get("description")):
            continue
        written = write_lease(api, contract, world, leased["id"], mine)
        if written is None or written.status != 200:
            return None
        time.sleep(LEASE_SETTLE_S)
        if read_description(api, contract, world, leased["id"]) == mine:
            world.lease = mine
            for role, row in rows.items():
                world.account_types[row["id"]] = row["type"]
            return {role: row["id"] for role, row in rows.items()}
    return None


def release_set(api: Api, contract: Contract, world) -> bool:
    """The lease given back, if it is still this run's."""
    leased = world.accounts.get(LEASE_ROLE)
    if not leased or read_description(api, contract, world, leased) != world.lease:
        return False
    written = write_lease(api, contract, world, leased, FREE)
    return written is not None and written.status == 200
