"""Made-up Plaid feed rows for the sandbox's simulated sync, from faker.

Seeded per (bank account, sync number) so two sandboxes given the same calls make the
same rows.
"""

from __future__ import annotations

import datetime as dt
import random

from faker import Faker

from mock_server.ledger.inputs import FeedRow

AMOUNT_CENTS_OUTFLOW_MAX = 250_00
AMOUNT_CENTS_INFLOW_MAX = 5_000_00
DAYS_BACK_MAX = 7
INFLOW_SHARE = 0.3


def made_up_rows(count: int, today: dt.date, seed: str) -> list[FeedRow]:
    chooser = random.Random(seed)
    fake = Faker("en_US")
    fake.seed_instance(seed)
    rows = []
    for _ in range(count):
        date = today - dt.timedelta(days=chooser.randint(0, DAYS_BACK_MAX))
        if chooser.random() < INFLOW_SHARE:
            payer = fake.company()
            rows.append(FeedRow(date, chooser.randint(100_00, AMOUNT_CENTS_INFLOW_MAX), "inflow",
                                f"ACH DEPOSIT {payer.upper()}"[:120], payer))
        else:
            merchant = fake.company()
            rows.append(FeedRow(date, chooser.randint(1_00, AMOUNT_CENTS_OUTFLOW_MAX), "outflow",
                                f"POS PURCHASE {merchant.upper()}"[:120], merchant))
    return rows
