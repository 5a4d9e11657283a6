"""Fixtures of the HTTP tests; `client` (tests/conftest.py) validates every response."""

from __future__ import annotations

import pytest

from tests.api.helpers import COMPANY_PATH, posting_headers


@pytest.fixture
def purchase_body() -> dict:
    return {"date": "2026-06-08", "sourceAccountId": "acc_bp_checking",
            "categoryAccountId": "acc_bp_office_supplies", "amountCents": 4299,
            "description": "Office supplies", "reference": "office-depot-1001"}


@pytest.fixture
def post_purchase(client, purchase_body):
    """Post a purchase on the company path; returns the response."""
    def post(key: str | None = None, **changes):
        return client.post(f"{COMPANY_PATH}/purchases", headers=posting_headers(key),
                           json={**purchase_body, **changes})
    return post


@pytest.fixture
def posted_entry_id(client) -> str:
    """A posted journal entry of cmp_brightpixel that nothing else depends on."""
    body = {"date": "2026-07-31", "description": "Printer lease accrual",
            "lines": [{"accountId": "acc_bp_office_supplies", "debitCents": 15000},
                      {"accountId": "acc_bp_ap", "creditCents": 15000}]}
    response = client.post(f"{COMPANY_PATH}/journal-entries", headers=posting_headers(), json=body)
    assert response.status_code == 201, response.text
    return response.json()["journalEntryId"]
