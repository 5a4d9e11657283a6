"""The books' lists in creation order are kept in step with every write (not rebuilt per page): after every
write operation of the contract, each list is exactly its dict's records, and the same list object."""
from __future__ import annotations

from starlette.testclient import TestClient

from mock_server.app import create_app
from tests.api.operation_table import CANNED_REQUESTS
from tests.durable.test_replay import LAST, run_writes
from tests.service.sandbox_writes import SANDBOX_WRITES

COMPANY_ID = "cmp_brightpixel"


def test_the_lists_stay_the_dicts_records_through_every_write() -> None:
    app = create_app()
    writes = ["deleteAccount"] + [name for name in list(CANNED_REQUESTS) + list(SANDBOX_WRITES)
                                  if name not in LAST and name not in ("createWebhook", "deleteAccount")]
    with TestClient(app) as client:
        books = app.service.data.companies[COMPANY_ID]
        entries, rows = books.list_entries(), books.list_bank_transactions()      # the kept lists exist now
        count = (len(entries), len(rows))
        run_writes(client, writes)
        books = app.service.data.companies[COMPANY_ID]
        assert list(books.list_entries()) == list(books.entries.values())
        assert list(books.list_bank_transactions()) == list(books.bank_transactions.values())
        assert books.list_entries() is entries and books.list_bank_transactions() is rows, "kept, not rebuilt"
        assert (len(entries), len(rows)) != count, "the writes changed neither list: the test proves nothing"
