import pytest

from mock_server.ledger import AMOUNT_CENTS_MAX, InvalidField, parse_cents
from mock_server.ledger.requests import entry_from_json, purchase_from_json


@pytest.mark.parametrize("value", [1, 1250, AMOUNT_CENTS_MAX])
def test_parse_cents_accepts_integers_in_range(value: int) -> None:
    assert parse_cents(value, "amountCents") == value


@pytest.mark.parametrize("value", [0, -1, AMOUNT_CENTS_MAX + 1, True, False, 12.5, 1250.0,
                                   "1250", None, float("inf"), [1], 10**400])
def test_parse_cents_refuses_everything_else(value: object) -> None:
    with pytest.raises(InvalidField) as caught:
        parse_cents(value, "amountCents")
    assert caught.value.details[0][0] == "amountCents"
    assert caught.value.kind == "VALIDATION_ERROR"


def test_request_parser_reports_every_bad_field_at_once() -> None:
    with pytest.raises(InvalidField) as caught:
        purchase_from_json({"date": "2026-13-01", "sourceAccountId": "", "amountCents": "5",
                            "categoryAccountId": "acc_x"})
    fields = [field for field, _ in caught.value.details]
    assert fields == ["date", "sourceAccountId", "amountCents"]


def test_request_parser_refuses_another_currency() -> None:
    body = {"date": "2026-06-08", "sourceAccountId": "acc_a", "categoryAccountId": "acc_b",
            "amountCents": 4299, "currency": "EUR"}
    with pytest.raises(InvalidField) as caught:
        purchase_from_json(body)
    assert caught.value.details == [("currency", "must be 'USD': a company keeps one currency")]
    assert purchase_from_json({**body, "currency": "USD"}).amount_cents == 4299


def test_line_needs_exactly_one_side() -> None:
    lines = [{"accountId": "acc_a", "debitCents": 5, "creditCents": 5},
             {"accountId": "acc_b", "creditCents": 5}]
    with pytest.raises(InvalidField) as caught:
        entry_from_json({"date": "2026-01-02", "description": "x", "lines": lines})
    assert caught.value.details[0][0] == "lines[0].debitCents"


@pytest.mark.parametrize("count", [0, 1, 501])
def test_entry_line_count_is_bounded(count: int) -> None:
    lines = [{"accountId": "acc_a", "debitCents": 1}] * count
    with pytest.raises(InvalidField) as caught:
        entry_from_json({"date": "2026-01-02", "description": "x", "lines": lines})
    assert caught.value.details[0][0] == "lines"
