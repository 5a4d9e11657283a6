"""A large company for the scale bench, made up by faker and deterministic by seed.

`scale_fixture(seed)` is a fixture (the `fixtures/` format, as a dict): one firm, one
organization with an API key, one company whose chart holds CHART_ACCOUNTS_MIN+ accounts
over the five types, with plausible codes and names (banks, receivables by region, fixed
assets, cards, loans, revenue lines and expense categories per department). `post_lines`
posts journal entries of 2-10 lines (entry and line descriptions, dates spread over
YEARS years in order) through the domain API until the books hold the lines asked for.
`scale_service(lines, seed)` is a sandbox holding both, ready to serve or to save as a
`--state` image (`save_state`).

    python -m benchmarks.scale_fixtures 1000000 /tmp/scale.sqlite    # a state file
"""
from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

from faker import Faker

from mock_server.ledger import load_sandbox
from mock_server.ledger.ids import SeededIds
from mock_server.ledger.inputs import EntryInput, LineInput

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.timezone.utc)
FIRST_DAY, YEARS = dt.date(2019, 1, 1), 7
COMPANY_ID, ORGANIZATION_ID, FIRM_ID = "cmp_scale", "org_scale", "firm_scale"
API_KEY = "dk_live_scale_bench_key"
CHART_ACCOUNTS_MIN = 200
LINES_PER_ENTRY_MIN, LINES_PER_ENTRY_MAX = 2, 10
DEPARTMENTS = ("Sales", "Marketing", "Engineering", "Operations", "Support", "Finance", "People",
               "Legal", "Facilities", "Research")
EXPENSE_KINDS = ("Salaries", "Payroll Taxes", "Benefits", "Travel", "Meals", "Software",
                 "Office Supplies", "Training", "Contractors", "Telephone", "Subscriptions",
                 "Equipment Rental", "Recruiting", "Events", "Postage")
REVENUE_LINES = ("Product Sales", "Subscriptions", "Consulting", "Support Plans", "Training Fees",
                 "Licensing", "Installation", "Maintenance Contracts", "Hardware", "Shipping Income")
REGIONS = ("Northeast", "Southeast", "Midwest", "Southwest", "West", "Canada", "Europe", "Asia Pacific")
FIXED_ASSETS = ("Computer Equipment", "Furniture", "Vehicles", "Leasehold Improvements", "Machinery",
                "Buildings", "Land", "Software Licenses")
DESCRIPTION_POOL = 2_000           # faker names drawn once, then combined (faker is slow per call)


def _accounts_of(type_: str, subtype: str, first_code: int, names: list[str]) -> list[dict]:
    return [{"id": f"acc_{type_[:3]}_{first_code + n}", "code": str(first_code + n), "name": name,
             "type": type_, "subtype": subtype} for n, name in enumerate(names)]


def scale_chart(fake: Faker) -> list[dict]:
    """The chart: 1xxx assets, 2xxx liabilities, 3xxx equity, 4xxx income, 5xxx-6xxx expenses."""
    banks = [f"{fake.unique.last_name()} Bank {kind}" for kind in ("Checking", "Savings", "Payroll")
             for _ in range(4)]
    chart = (_accounts_of("asset", "bank", 1000, banks)
             + _accounts_of("asset", "accounts_receivable", 1200, [f"Receivables {r}" for r in REGIONS])
             + _accounts_of("asset", "current_asset", 1300, ["Prepaid Insurance", "Prepaid Rent",
                                                             "Inventory", "Deposits", "Employee Advances"])
             + _accounts_of("asset", "fixed_asset", 1500, list(FIXED_ASSETS)
                            + [f"Accumulated Depreciation {a}" for a in FIXED_ASSETS])
             + _accounts_of("liability", "accounts_payable", 2000, [f"Payables {r}" for r in REGIONS])
             + _accounts_of("liability", "credit_card", 2100,
                            [f"{fake.unique.last_name()} Card {n:04d}" for n in range(1, 7)])
             + _accounts_of("liability", "current_liability", 2200,
                            ["Sales Tax Payable", "Payroll Liabilities", "Accrued Expenses", "Deferred Revenue"])
             + _accounts_of("liability", "long_term_liability", 2700, ["Term Loan", "Equipment Loan", "Notes Payable"])
             + _accounts_of("equity", "owners_equity", 3000, ["Owner's Equity", "Owner's Draw", "Common Stock",
                                                             "Additional Paid-in Capital"])
             + _accounts_of("equity", "retained_earnings", 3900, ["Retained Earnings"])
             + _accounts_of("income", "income", 4000, [f"{line} {r}" for line in REVENUE_LINES[:6]
                                                        for r in REGIONS[:4]])
             + _accounts_of("income", "other_income", 4800, ["Interest Income", "Other Income", *REVENUE_LINES[6:]])
             + _accounts_of("expense", "cost_of_goods_sold", 5000, [f"Cost of {line}" for line in REVENUE_LINES])
             + _accounts_of("expense", "expense", 6000, [f"{kind} - {d}" for d in DEPARTMENTS
                                                         for kind in EXPENSE_KINDS[:10]])
             + _accounts_of("expense", "other_expense", 7000, ["Interest Expense", "Bank Fees",
                                                              "Depreciation", *EXPENSE_KINDS[10:]]))
    assert len(chart) >= CHART_ACCOUNTS_MIN, len(chart)
    return chart


def scale_fixture(seed: int = 1) -> dict:
    fake = Faker("en_US")
    fake.seed_instance(seed)
    name = fake.company()
    return {
        "version": 1,
        "firms": [{"id": FIRM_ID, "name": f"{fake.last_name()} Bookkeeping"}],
        "organizations": [{"id": ORGANIZATION_ID, "name": name, "companyId": COMPANY_ID, "firmId": FIRM_ID,
                           "apiKeys": [{"key": API_KEY, "name": "Scale bench key"}]}],
        "companies": [{"id": COMPANY_ID, "name": name, "legalName": f"{name} {fake.company_suffix()}",
                       "organizationId": ORGANIZATION_ID, "firmId": FIRM_ID, "timezone": "America/Chicago",
                       "fiscalYearStartMonth": 1, "createdAt": "2018-12-01T09:00:00Z",
                       "accounts": scale_chart(fake)}],
    }


class EntryMaker:
    """Journal entries of 2-10 lines, one side from each of two disjoint account pools."""

    def __init__(self, chart: list[dict], seed: int) -> None:
        fake = Faker("en_US")
        fake.seed_instance(seed + 1)
        self.chooser = random.Random(seed)
        by_type = {t: [a["id"] for a in chart if a["type"] == t]
                   for t in ("asset", "liability", "equity", "income", "expense")}
        paying = [a["id"] for a in chart if a["subtype"] in ("bank", "credit_card", "accounts_payable")]
        receiving = [a["id"] for a in chart if a["subtype"] in ("bank", "accounts_receivable")]
        self.shapes = (("Invoice", receiving, by_type["income"]), ("Bill", by_type["expense"], paying),
                       ("Payroll", by_type["expense"], paying), ("Asset purchase", by_type["asset"][-16:],
                                                                 by_type["liability"] + by_type["equity"]))
        self.parties = [fake.company() for _ in range(DESCRIPTION_POOL)]
        self.memos = [fake.bs().capitalize() for _ in range(DESCRIPTION_POOL // 4)]

    def entry(self, number: int, date: dt.date, line_count: int) -> EntryInput:
        pick = self.chooser
        label, debit_pool, credit_pool = self.shapes[number % len(self.shapes)]
        debit_count = pick.randint(1, line_count - 1)
        amounts = [pick.randint(100, 2_500_000) for _ in range(debit_count)]
        credits = _split(pick, sum(amounts), line_count - debit_count)
        lines = [LineInput(pick.choice(debit_pool), debit_cents=cents, description=self._memo())
                 for cents in amounts]
        lines += [LineInput(pick.choice(credit_pool), credit_cents=cents, description=self._memo())
                  for cents in credits]
        party = self.parties[pick.randrange(len(self.parties))]
        return EntryInput(date, f"{label} {number:07d} {party}", tuple(lines), reference=f"REF-{number}")

    def _memo(self) -> str | None:
        return self.memos[self.chooser.randrange(len(self.memos))] if self.chooser.random() < 0.5 else None


def _split(pick: random.Random, total: int, parts: int) -> list[int]:
    """`total` in `parts` positive integers that add up to it exactly."""
    if parts == 1 or total < parts:
        return [total] if parts == 1 else [total - parts + 1] + [1] * (parts - 1)
    cuts = sorted(pick.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total])]


def post_lines(books, lines: int, seed: int = 1) -> int:
    """Post entries until the books hold at least `lines` lines; the count posted."""
    maker = EntryMaker([vars_of(a) for a in books.accounts.values()], seed)
    books.ids = SeededIds(f"scale:{seed}")
    days = YEARS * 365
    expected = lines / ((LINES_PER_ENTRY_MIN + LINES_PER_ENTRY_MAX) / 2)
    posted, number = 0, 0
    while posted < lines:
        count = min(maker.chooser.randint(LINES_PER_ENTRY_MIN, LINES_PER_ENTRY_MAX), max(lines - posted, 2))
        date = FIRST_DAY + dt.timedelta(days=min(int(number * days / expected), days - 1))
        books.post("journal_entry", maker.entry(number, date, count), NOW)
        posted, number = posted + count, number + 1
    return posted


def vars_of(account) -> dict:
    return {"id": account.id, "type": account.type, "subtype": account.subtype}


def scale_service(lines: int, seed: int = 1):
    from ledgerhq_contract import load_contract
    from mock_server.service import SandboxService
    service = SandboxService(load_sandbox(scale_fixture(seed), NOW), load_contract(), Path("scale.yaml"))
    post_lines(service.data.companies[COMPANY_ID], lines, seed)
    return service


def save_state(service, path: Path) -> Path:
    """The service as a `--state` file (`serve --state path` restores it)."""
    from mock_server.service.durable import DurableJournal
    journal = DurableJournal(path)
    credentials = dict.fromkeys(("accessToken", "otherFirmAccessToken", "otherCompanyId",
                                 "oauthClientId", "redirectUri"), "(none)")
    credentials.update(apiKey=API_KEY, organizationId=ORGANIZATION_ID, companyId=COMPANY_ID)
    journal.describe_new("scale.yaml", credentials)
    journal.save_image(service)
    journal.close()
    return path


if __name__ == "__main__":
    save_state(scale_service(int(sys.argv[1])), Path(sys.argv[2]))
