"""Helpers: books stated inline in the fixtures format (fixtures/default.yaml)."""
from __future__ import annotations

import datetime as dt
import textwrap

from mock_server.ledger import CompanyBooks, Sandbox, load_sandbox_text

NOW = dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.timezone.utc)

TENANCY_YAML = """\
firms: [{id: firm_a, name: Firm A, accessTokens: [{token: mcp_at_a}]}]
organizations: [{id: org_a, name: Org A, companyId: cmp_a, firmId: firm_a}]
"""

SMALL_BOOKS_YAML = """\
accounts:
  - {id: acc_cash, code: "1000", name: Checking, type: asset, subtype: bank}
  - {id: acc_savings, code: "1010", name: Savings, type: asset, subtype: bank}
  - {id: acc_ar, code: "1200", name: Receivables, type: asset, subtype: accounts_receivable}
  - {id: acc_ap, code: "2000", name: Payables, type: liability, subtype: accounts_payable}
  - {id: acc_card, code: "2100", name: Card, type: liability, subtype: credit_card}
  - {id: acc_equity, code: "3000", name: Equity, type: equity}
  - {id: acc_sales, code: "4000", name: Sales, type: income}
  - {id: acc_rent, code: "6000", name: Rent, type: expense}
  - {id: acc_supplies, code: "6200", name: Supplies, type: expense}
bankAccounts:
  - {id: ba_cash, accountId: acc_cash, name: Checking, type: checking}
entries:
  - id: je_open
    date: "2026-01-01"
    description: Opening
    lines:
      - {accountId: acc_cash, debitCents: 100000}
      - {accountId: acc_equity, creditCents: 100000}
"""


def sandbox_from_yaml(company_yaml: str) -> Sandbox:
    """One company `cmp_a` whose sections are given in `company_yaml` (fixtures format)."""
    body = textwrap.indent(textwrap.dedent(company_yaml), " " * 4)
    text = (TENANCY_YAML + "companies:\n  - id: cmp_a\n    name: A\n    organizationId: org_a\n"
            "    firmId: firm_a\n    timezone: America/New_York\n" + body)
    return load_sandbox_text(text, NOW)


def books_from_yaml(company_yaml: str = SMALL_BOOKS_YAML) -> CompanyBooks:
    return sandbox_from_yaml(company_yaml).company("cmp_a")


def balances_snapshot(books: CompanyBooks) -> dict:
    """Everything a refused operation must leave untouched."""
    return {
        "balances": {a: books.account_balance_cents(a) for a in books.accounts},
        "entries": dict(books.entries),
        "bank_transactions": dict(books.bank_transactions),
        "bills": dict(books.bills),
        "invoices": dict(books.invoices),
        "reconciliations": dict(books.reconciliations),
        "accounts": dict(books.accounts),
    }
