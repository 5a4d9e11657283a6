"""Money enters the ledger through one door: integer cents (R1)."""
from __future__ import annotations

from mock_server.ledger.errors import InvalidField

AMOUNT_CENTS_MIN = 1
AMOUNT_CENTS_MAX = 1_000_000_000_000
CURRENCY = "USD"


def parse_cents(value: object, field: str) -> int:
    """Return `value` as an input amount, or raise InvalidField.

    Refuses bool (a Python int), float (even 1250.0), str, None and anything
    outside AMOUNT_CENTS_MIN..AMOUNT_CENTS_MAX.
    """
    if type(value) is not int or not AMOUNT_CENTS_MIN <= value <= AMOUNT_CENTS_MAX:
        raise InvalidField(
            field, f"must be an integer count of cents in {AMOUNT_CENTS_MIN}..{AMOUNT_CENTS_MAX}"
        )
    return value


def parse_currency(value: object, field: str = "currency") -> str:
    """One currency per company (R9): absent or "USD"."""
    if value is None or value == CURRENCY:
        return CURRENCY
    raise InvalidField(field, f"must be {CURRENCY!r}: a company keeps one currency")
