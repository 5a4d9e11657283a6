"""Acknowledged writes survive SIGKILL: a real sandbox with `--state`, a bounded load of
postings (with keys), drafts and voids from a few concurrent clients, SIGKILL mid-load,
a restart on the same file; every acknowledged receipt is there with the same ids, every
acknowledged key replays its body, an unacknowledged posting is whole or absent, and the
trial balance nets to zero."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import httpx

from tests.durable.server_process import (
    COMPANY_ID, ORGANIZATION_ID, TOKEN, SandboxProcess, all_entries, trial_balance,
)

CLIENTS = 4
REQUESTS_PER_CLIENT_MAX = 400           # bounded: the kill comes long before
KILL_AFTER_ACKNOWLEDGED = 120
PURCHASES = f"/api/v1/companies/{COMPANY_ID}/purchases"
LEGACY = {"Authorization": f"Bearer {TOKEN}", "x-organization-id": ORGANIZATION_ID}


def purchase(key: str) -> dict:
    return {"date": "2026-06-08", "sourceAccountId": "acc_bp_checking", "amountCents": 4299,
            "categoryAccountId": "acc_bp_office_supplies", "description": f"kill {key}"}


def draft(number: int) -> dict:
    return {"date": "2026-06-30", "description": f"kill draft {number}",
            "lines": [{"accountId": "acc_bp_office_supplies", "debitCents": 1500},
                      {"accountId": "acc_bp_ap", "creditCents": 1500}]}


@dataclass
class Load:
    postings: dict[str, dict] = field(default_factory=dict)     # key -> acknowledged receipt
    unanswered: set[str] = field(default_factory=set)          # keys sent, never answered
    drafts: dict[str, dict] = field(default_factory=dict)      # id -> acknowledged draft
    voided: set[str] = field(default_factory=set)              # entry ids acknowledged voided
    void_sent: set[str] = field(default_factory=set)           # entry ids whose void was sent (answered or not)
    acknowledged: int = 0


async def client_loop(number: int, base_url: str, load: Load, killed: asyncio.Event) -> None:
    async with httpx.AsyncClient(base_url=base_url, headers=LEGACY, timeout=10.0) as client:
        for step in range(REQUESTS_PER_CLIENT_MAX):
            if killed.is_set():
                return
            try:
                await one_request(client, number, step, load)
            except httpx.HTTPError:
                return                          # the server is gone
            load.acknowledged += 1


async def one_request(client: httpx.AsyncClient, number: int, step: int, load: Load) -> None:
    choice = step % 4
    if choice == 3 and load.postings:            # void one of this client's receipts
        mine = [r for k, r in load.postings.items() if k.startswith(f"c{number}-")
                and r["journalEntryId"] not in load.voided]
        if mine:
            entry_id = mine[-1]["journalEntryId"]
            load.void_sent.add(entry_id)
            response = await client.post(f"/api/v1/entries/{entry_id}/void", json={})
            assert response.status_code == 200, response.text
            load.voided.add(entry_id)
            return
    if choice == 2:
        response = await client.post("/api/v1/entries", json=draft(number * 1000 + step))
        assert response.status_code == 201, response.text
        load.drafts[response.json()["id"]] = response.json()
        return
    key = f"c{number}-{step}"
    load.unanswered.add(key)
    response = await client.post(PURCHASES, json=purchase(key), headers={"Idempotency-Key": key})
    assert response.status_code == 201, response.text
    load.unanswered.discard(key)
    load.postings[key] = response.json()


async def load_then_kill(sandbox: SandboxProcess) -> Load:
    load, killed = Load(), asyncio.Event()
    clients = [asyncio.create_task(client_loop(n, sandbox.base_url, load, killed)) for n in range(CLIENTS)]
    for _ in range(60_000):                      # bounded wait: 0.005 s a round
        if load.acknowledged >= KILL_AFTER_ACKNOWLEDGED or all(c.done() for c in clients):
            break
        await asyncio.sleep(0.005)
    sandbox.kill()                               # mid-load: requests are in flight
    killed.set()
    await asyncio.gather(*clients)
    return load


def test_acknowledged_writes_survive_sigkill(tmp_path) -> None:
    state = tmp_path / "state.sqlite"
    sandbox = SandboxProcess(state, tmp_path / "sandbox.log").start()
    try:
        load = asyncio.run(load_then_kill(sandbox))
    finally:
        sandbox.kill()
    assert load.acknowledged >= KILL_AFTER_ACKNOWLEDGED and load.postings and load.drafts and load.voided
    restarted = SandboxProcess(state, tmp_path / "sandbox.log").start()
    try:
        with restarted.client(**{"x-organization-id": ORGANIZATION_ID}) as client:
            check_books(client, load)
            check_keys_replay(client, load)
            check_unanswered(client, load)
            rows = trial_balance(client)["rows"]
            assert sum(r["debitCents"] for r in rows) == sum(r["creditCents"] for r in rows)
    finally:
        restarted.stop()


def check_books(client: httpx.Client, load: Load) -> None:
    entries = {entry["id"]: entry for entry in all_entries(client)}
    for key, receipt in load.postings.items():
        entry = entries[receipt["journalEntryId"]]
        assert entry["description"] == f"kill {key}"
        if entry["id"] in load.voided:
            assert entry["status"] == "voided"
        else:       # a void killed before its answer was committed whole or not at all
            assert entry["status"] in ({"posted", "voided"} if entry["id"] in load.void_sent else {"posted"})
    for entry_id, made in load.drafts.items():
        assert entries[entry_id]["status"] == "draft" and entries[entry_id]["lines"] == made["lines"]
    descriptions = [entry["description"] for entry in entries.values()]
    duplicated = {d for d in descriptions if d.startswith("kill ") and descriptions.count(d) > 1}
    assert not duplicated, duplicated                   # no key posted twice


def check_keys_replay(client: httpx.Client, load: Load) -> None:
    for key, receipt in load.postings.items():
        again = client.post(PURCHASES, json=purchase(key), headers={"Idempotency-Key": key})
        assert again.status_code == 201, again.text
        assert again.headers["Idempotent-Replayed"] == "true", key
        assert again.json() == receipt


def check_unanswered(client: httpx.Client, load: Load) -> None:
    """A posting sent but never answered exists whole (its key replays it) or not at all."""
    entries = {entry["description"]: entry for entry in all_entries(client)}
    for key in sorted(load.unanswered):
        existing = entries.get(f"kill {key}")
        again = client.post(PURCHASES, json=purchase(key), headers={"Idempotency-Key": key})
        assert again.status_code == 201, again.text
        if existing is None:
            assert again.headers["Idempotent-Replayed"] == "false", key
        else:
            assert again.headers["Idempotent-Replayed"] == "true", key
            assert again.json()["journalEntryId"] == existing["id"]
            assert sum(l["debitCents"] for l in existing["lines"]) == \
                sum(l["creditCents"] for l in existing["lines"]) > 0
