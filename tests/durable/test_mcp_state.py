"""The MCP tools' writes under `serve --state`: journaled like REST writes, so after a SIGKILL and a
restart the entry is in the books, its key replays the receipt, and a reclassification is kept."""
from __future__ import annotations

import pytest

from tests.durable.server_process import COMPANY_ID, TOKEN, SandboxProcess, all_entries, trial_balance
from tests.mcp.mcp_client import call_tool

pytestmark = pytest.mark.slow
ENTRY = {"companyId": COMPANY_ID, "idempotencyKey": "mcp-durable-1", "date": "2026-06-09",
         "description": "Office chairs (MCP, durable)",
         "lines": [{"accountId": "acc_bp_office_supplies", "debitCents": 4321},
                   {"accountId": "acc_bp_checking", "creditCents": 4321}]}
FEED_ROW = "btx_bp_feed_020"


def test_mcp_writes_are_kept_across_a_sigkill_and_restart(tmp_path) -> None:
    state, log = tmp_path / "state.sqlite", tmp_path / "sandbox.log"
    sandbox = SandboxProcess(state, log).start()
    try:
        posted = call_tool(sandbox.base_url + "/api/mcp", TOKEN, "post_journal_entry", ENTRY)
        assert not posted.is_error, posted.content
        moved = call_tool(sandbox.base_url + "/api/mcp", TOKEN, "reclassify_bank_transaction", {
            "companyId": COMPANY_ID, "bankTransactionId": FEED_ROW, "accountId": "acc_bp_office_supplies"})
        assert not moved.is_error, moved.content
        with sandbox.client() as client:
            before = (all_entries(client), trial_balance(client))
    finally:
        sandbox.kill()
    receipt = posted.structured_content
    assert receipt["replayed"] is False
    restarted = SandboxProcess(state, log).start()
    try:
        with restarted.client() as client:
            assert (all_entries(client), trial_balance(client)) == before
            assert receipt["journalEntryId"] in {entry["id"] for entry in before[0]}
            row = client.get(f"/api/v1/companies/{COMPANY_ID}/bank-transactions", params={"limit": 200})
            assert next(r for r in row.json()["data"] if r["id"] == FEED_ROW)["categoryAccountId"] \
                == "acc_bp_office_supplies"
        again = call_tool(restarted.base_url + "/api/mcp", TOKEN, "post_journal_entry", ENTRY)
        assert not again.is_error and again.structured_content == {**receipt, "replayed": True}
    finally:
        restarted.stop()
