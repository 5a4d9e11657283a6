"""Every partner operation of the contract answers its success status to a valid request.

The parameter list is the contract's own operation list, so an operation added to the
contract without a canned request here fails instead of passing unnoticed.
"""

from __future__ import annotations

import pytest

from tests.api.operation_table import CANNED_REQUESTS, partner_operation_ids, success_statuses


def test_table_names_exactly_the_contract_partner_operations():
    assert sorted(CANNED_REQUESTS) == sorted(partner_operation_ids())


@pytest.mark.parametrize("operation_id", partner_operation_ids())
def test_operation_answers_its_success_status(client, operation_id):
    assert operation_id in CANNED_REQUESTS, f"no canned request for {operation_id}"
    response = CANNED_REQUESTS[operation_id](client)
    assert response.status_code in success_statuses(operation_id), response.text
    assert response.headers["x-request-id"].startswith("req_")
