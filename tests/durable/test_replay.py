"""Replaying the journal gives the state it recorded: every write operation of the contract
(the canned requests of the API and sandbox tables), committed with `--state`, replayed from
a copy of the file taken before any stop, answers the same (no mismatch) and reads the same."""
from __future__ import annotations

import asyncio
import datetime as dt
import pickle
import shutil
import sqlite3
import time

import pytest
from starlette.testclient import TestClient

from mock_server.api.http import write_books
from mock_server.app import create_app
from mock_server.ledger.idempotency import IdempotencyStore
from mock_server.ledger.inputs import EntryInput, LineInput
from mock_server.recording import recorded
from mock_server.service.durable import IMAGE_SUFFIX, DurableStateError, open_service
from tests.api.helpers import AUTH, COMPANY_PATH, ORG
from tests.api.operation_table import CANNED_REQUESTS
from tests.service.sandbox_writes import LOOPBACK_RECEIVER, SANDBOX_WRITES

LAST = ("resetSandbox", "loadSandboxFixtures", "setSandboxFaults")     # they undo the others
READS = [f"{COMPANY_PATH}/journal-entries?limit=100", f"{COMPANY_PATH}/accounts?limit=100",
         f"{COMPANY_PATH}/bank-transactions?limit=100", f"{COMPANY_PATH}/reports/trial-balance",
         "/api/v1/companies"]
WRITES_MIN = 5
IMAGE_WAIT_ROUNDS = 600             # 30 s at most for the forked writer
LEGACY_READS = ["/api/v1/webhooks", "/api/v1/bank-accounts"]


def run_writes(client: TestClient, names) -> None:
    client.post("/api/v1/webhooks", headers=ORG, json={"url": LOOPBACK_RECEIVER, "events": ["journal_entry.posted"]})
    for name in names:
        call = CANNED_REQUESTS.get(name) or SANDBOX_WRITES[name]
        response = call(client)
        assert response.status_code < 500, (name, response.status_code, response.text)


def reads(client: TestClient) -> list:
    """What the books show (an error's request id is each request's own)."""
    answers = ([client.get(path, headers=AUTH).json() for path in READS]
               + [client.get(path, headers=ORG).json() for path in LEGACY_READS])
    for answer in answers:
        answer.get("error", {}).pop("requestId", None)
    return answers


def replayed_copy(service, copy_path) -> None:
    """A copy of the live files, as a SIGKILL would leave them (no stop, no last image)."""
    with sqlite3.connect(copy_path) as copy:
        service.journal.db.backup(copy)
    shutil.copyfile(service.journal.image_path, copy_path.with_name(copy_path.name + IMAGE_SUFFIX))


def run_and_replay(tmp_path, names) -> None:
    service = open_service(tmp_path / "state.sqlite")
    with TestClient(create_app(service=service)) as client:
        run_writes(client, names)
        before, written = reads(client), service.journal.seq
        replayed_copy(service, tmp_path / "copy.sqlite")
    restored = open_service(tmp_path / "copy.sqlite")
    with TestClient(create_app(service=restored)) as client:
        assert restored.journal.count == written >= WRITES_MIN     # every row replayed
        assert restored.journal.mismatches == 0
        assert reads(client) == before


def test_every_write_operation_replays_the_same(tmp_path) -> None:
    writes = ["deleteAccount"] + [         # before createAccount: both make the example's code
        name for name in list(CANNED_REQUESTS) + list(SANDBOX_WRITES)
        if name not in LAST and name not in ("createWebhook", "deleteAccount")]   # createWebhook: its example URL is not loopback
    run_and_replay(tmp_path, writes)


def test_a_reset_and_a_fixture_load_are_replayed_too(tmp_path) -> None:
    run_and_replay(tmp_path, ["createCompanyPurchase", "resetSandbox", "createPurchase",
                              "loadSandboxFixtures", "createEntry", "setSandboxFaults"])


async def post_through_another_front_end(service, description: str):
    """An operation that is not an HTTP route (as another front end's tool would be)."""
    books = service.data.companies["cmp_brightpixel"]
    entry = EntryInput(dt.date(2026, 6, 30), description,
                       (LineInput("acc_bp_office_supplies", debit_cents=700), LineInput("acc_bp_ap", credit_cents=700)))
    answer, _ = await write_books(service, "journal_entry", books,
                                  lambda now: books.post("journal_entry", entry, now), service.shapes.record, 201)
    return answer


async def front_end_writes(path, copy_path=None) -> tuple:
    service = open_service(path)
    create_app(service=service)                         # the recorder, as serving makes it
    operation = recorded(service, "tool_post", post_through_another_front_end)
    await service.journal.recover(service)
    answer = await operation(service, description="from another front end") if copy_path else None
    if copy_path:
        replayed_copy(service, copy_path)
    service.journal.close()                             # no last image: as after a SIGKILL
    return service, answer


def test_another_front_ends_operation_is_recorded_and_replayed(tmp_path) -> None:
    _, answer = asyncio.run(front_end_writes(tmp_path / "state.sqlite", tmp_path / "copy.sqlite"))
    restored, _ = asyncio.run(front_end_writes(tmp_path / "copy.sqlite"))
    assert restored.journal.mismatches == 0 and restored.journal.count == 1
    entry = restored.data.companies["cmp_brightpixel"].get_entry(answer["journalEntryId"])
    assert entry.description == "from another front end"


def test_a_replay_that_answers_differently_is_counted(tmp_path) -> None:
    """The mismatch count can fail: a row whose tape lost its tokens replays with new ids."""
    asyncio.run(front_end_writes(tmp_path / "state.sqlite", tmp_path / "copy.sqlite"))
    with sqlite3.connect(tmp_path / "copy.sqlite") as db:
        seq, record = db.execute("SELECT seq, record FROM journal").fetchone()
        operation, arguments, headers, caller, tape, answer = pickle.loads(record)
        untaped = [value for value in tape if not isinstance(value, str)]
        db.execute("UPDATE journal SET record = ? WHERE seq = ?",
                   (pickle.dumps((operation, arguments, headers, caller, untaped, answer)), seq))
    restored, _ = asyncio.run(front_end_writes(tmp_path / "copy.sqlite"))
    assert restored.journal.count == 1 and restored.journal.mismatches == 1


def test_an_image_taken_while_serving_covers_the_rows_before_it(tmp_path) -> None:
    """Every few writes a forked copy writes the image; the rows it covers go, and a
    restart from the image plus the later rows reads the same."""
    service = open_service(tmp_path / "state.sqlite")
    service.journal.snapshot_writes = 4
    with TestClient(create_app(service=service)) as client:
        run_writes(client, ["createCompanyPurchase"] * 6 + ["createEntry"] * 3)
        for _ in range(IMAGE_WAIT_ROUNDS):
            if service.journal.image_child is None and service.journal.image_seq:
                break
            time.sleep(0.05)
        assert service.journal.image_seq >= 4
        rows = service.journal.db.execute("SELECT MIN(seq), COUNT(*) FROM journal").fetchone()
        assert rows[1] == 0 or rows[0] > service.journal.image_seq
        before = reads(client)
        replayed_copy(service, tmp_path / "copy.sqlite")
    restored = open_service(tmp_path / "copy.sqlite")
    with TestClient(create_app(service=restored)) as client:
        assert restored.journal.mismatches == 0 and reads(client) == before


def test_a_restored_state_frees_the_keys_in_flight() -> None:
    """A key in flight when the image was taken was never answered: free, and counted so."""
    store = IdempotencyStore()
    now = dt.datetime(2026, 6, 8, tzinfo=dt.timezone.utc)
    store.begin("cmp_a", "done", "purchase", {}, now)
    store.complete("cmp_a", "done", 201, {"ok": True})
    store.begin("cmp_a", "flying", "purchase", {}, now)
    store.forget_in_flight()
    assert not store.in_flight("cmp_a", "flying") and store.keys_held("cmp_a") == 1
    assert store.begin("cmp_a", "done", "purchase", {}, now).body == {"ok": True}


def test_a_write_no_operation_records_is_refused_before_it_changes_anything(tmp_path) -> None:
    async def unrecorded() -> None:
        service = open_service(tmp_path / "state.sqlite")
        create_app(service=service)
        await service.journal.recover(service)
        entries = len(service.data.companies["cmp_brightpixel"].entries)
        with pytest.raises(DurableStateError):
            await post_through_another_front_end(service, "not recorded")
        assert len(service.data.companies["cmp_brightpixel"].entries) == entries
        assert service.journal.seq == 0
        service.journal.close()
    asyncio.run(unrecorded())
