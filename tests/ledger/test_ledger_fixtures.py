import datetime as dt
import json

import pytest

from mock_server.ledger import (
    DEFAULT_FIXTURE_PATH, EntryStatus, FixtureError, load_sandbox, load_sandbox_file,
    load_sandbox_text,
)
from tests.ledger.books_yaml import NOW, sandbox_from_yaml

END = dt.date(2026, 11, 30)


@pytest.fixture(scope="module")
def sandbox():
    return load_sandbox_file(DEFAULT_FIXTURE_PATH, NOW)


def test_default_credentials_match_the_architecture_table(sandbox) -> None:
    assert sandbox.access_tokens["mcp_at_sandbox_summit_firm_token"].firm_id == "firm_summit"
    assert sandbox.access_tokens["mcp_at_sandbox_northgate_firm_token"].firm_id == "firm_northgate"
    assert sandbox.api_keys["dk_live_sandbox_brightpixel_key"].organization_id == "org_brightpixel"
    session = sandbox.sessions["sess_sandbox_summit_owner"]
    assert sandbox.users[session.user_id].organization_ids == ("org_brightpixel", "org_harborcoffee")
    assert sandbox.oauth_clients["lhq_client_sandbox"].redirect_uris == (
        "http://127.0.0.1:8765/callback",)
    assert [b.company.id for b in sandbox.companies_of_firm("firm_summit")] == [
        "cmp_brightpixel", "cmp_harborcoffee"]
    assert sandbox.company_of_organization("org_cedarplumbing").company.firm_id == "firm_northgate"
    assert sandbox.organizations["org_brightpixel"].name == "Bright Pixel Studio LLC"


def test_bright_pixel_books(sandbox) -> None:
    books = sandbox.company("cmp_brightpixel")
    assert books.company.timezone == "America/New_York"
    assert books.get_bank_account("ba_bp_checking").account_id == "acc_bp_checking"
    assert books.get_bank_account("ba_bp_checking").feed_id == "feed_bp_firstbank"
    assert books.get_account("acc_bp_card").type == "liability"
    statuses = [e.status for e in books.list_entries()]
    assert statuses.count(EntryStatus.DRAFT) == 2 and EntryStatus.VOIDED in statuses
    manual = [e for e in books.list_entries() if e.id.startswith("je_bp_")]
    assert 60 <= len(manual) <= 120
    assert any(b.status == "open" for b in books.list_bills())
    assert any(i.status == "open" for i in books.list_invoices())
    rows = books.list_bank_transactions()
    assert {"unreviewed", "matched", "reconciled", "excluded"} <= {r.status for r in rows}
    assert books.drain_events() == []                  # the starting state is not news


def test_every_default_company_satisfies_the_report_invariants(sandbox) -> None:
    for books in sandbox.companies.values():
        trial = books.trial_balance(END)
        assert trial.total_debit_cents == trial.total_credit_cents > 0
        sheet = books.balance_sheet(END)
        assert sheet.total_assets_cents == sheet.total_liabilities_and_equity_cents
        for row in books.bank_reconciliation_status(END).accounts:
            assert row.book_balance_cents == row.reconciled_balance_cents + row.unreconciled_cents


def test_loading_twice_gives_the_same_ids() -> None:
    first, second = (load_sandbox_file(DEFAULT_FIXTURE_PATH, NOW) for _ in range(2))
    ids = lambda s: [t.id for t in s.company("cmp_brightpixel").list_bank_transactions()]
    assert ids(first) == ids(second)


def test_json_fixture_loads_too(sandbox) -> None:
    text = json.dumps({"firms": [{"id": "firm_x", "name": "X"}], "organizations": [],
                       "companies": []})
    assert list(load_sandbox_text(text, NOW).firms) == ["firm_x"]


def test_unbalanced_posted_fixture_entry_fails_naming_it() -> None:
    with pytest.raises(FixtureError) as caught:
        sandbox_from_yaml("""\
accounts:
  - {id: acc_cash, code: "1000", name: Cash, type: asset}
  - {id: acc_sales, code: "4000", name: Sales, type: income}
entries:
  - id: je_bad
    date: "2026-01-02"
    description: Off by one
    lines: [{accountId: acc_cash, debitCents: 101}, {accountId: acc_sales, creditCents: 100}]
""")
    (issue,) = caught.value.issues
    assert "je_bad" in issue and "does not balance" in issue


def test_every_issue_is_reported_at_once() -> None:
    with pytest.raises(FixtureError) as caught:
        sandbox_from_yaml("""\
accounts:
  - {id: acc_cash, code: "1000", name: Cash, type: asset}
  - {id: acc_cash, code: "1001", name: Cash again, type: asset}
  - {id: bad-id, code: "1002", name: Bad, type: asset}
bankAccounts:
  - {id: ba_1, accountId: acc_missing, name: Checking, type: checking}
entries:
  - {id: je_1, date: "2026-01-02", description: x, lines: [{accountId: acc_ghost, debitCents: 1}, {accountId: acc_cash, creditCents: 2}]}
""")
    text = "\n".join(caught.value.issues)
    for fragment in ("used twice", "bad-id", "acc_missing", "acc_ghost", "does not balance"):
        assert fragment in text
    assert len(caught.value.issues) >= 5


def test_domain_refusals_during_build_are_collected() -> None:
    with pytest.raises(FixtureError) as caught:
        sandbox_from_yaml("""\
accounts:
  - {id: acc_cash, code: "1000", name: Cash, type: asset}
  - {id: acc_rent, code: "1000", name: Rent, type: expense}
  - {id: acc_sales, code: "4000", name: Sales, type: bogus}
""")
    assert len(caught.value.issues) == 2
    assert "acc_rent" in caught.value.issues[0] and "acc_sales" in caught.value.issues[1]


def test_bad_tenancy_references_and_shapes() -> None:
    with pytest.raises(FixtureError) as caught:
        load_sandbox({"firms": [{"id": "firm_a"}], "organizations": [
            {"id": "org_a", "companyId": "cmp_nope", "firmId": "firm_a"}], "companies": {}}, NOW)
    assert any("companies: must be a list" in i for i in caught.value.issues)
    assert any("org_a" in i for i in caught.value.issues)
    with pytest.raises(FixtureError):
        load_sandbox_text("firms: [", NOW)
    with pytest.raises(FixtureError):
        load_sandbox(["not", "a", "mapping"], NOW)
