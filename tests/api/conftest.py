"""Fixtures of the HTTP tests; `client` (tests/conftest.py) validates every response."""

from __future__ import annotations

import hashlib
import json

import pytest

from tests.api.helpers import COMPANY_PATH, posting_headers


@pytest.fixture(scope="session", autouse=True)
def contract_meta_validated_once():
    """Connexion checks the contract against the OpenAPI meta-schema on every app build
    (about 0.25 s of each fresh app). tests/test_contract.py checks the contract itself, so
    here each distinct contract text is checked once per session; apps stay fresh per test."""
    from connexion.spec import Specification
    validate = Specification._validate_spec.__func__
    checked: set[str] = set()

    def validate_once(cls, spec):
        digest = hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()
        if digest not in checked:
            validate(cls, spec)
            checked.add(digest)

    patch = pytest.MonkeyPatch()
    patch.setattr(Specification, "_validate_spec", classmethod(validate_once))
    yield
    patch.undo()


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
