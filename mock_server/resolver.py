"""operationId -> handler: `mock_server.api.<module of the first tag>.<snake_case id>`."""

from __future__ import annotations

import importlib
from typing import Callable

from ledgerhq_contract import operations, snake_case

MODULE_BY_TAG = {
    "health": "health",
    "organizations": "organizations",
    "companies": "companies",
    "accounts": "accounts",
    "entries": "entries",
    "postings": "postings",
    "bank": "bank_activity",
    "bankActions": "bank_transaction_actions",
    "reports": "reports",
    "webhooks": "webhooks",
    "oauth": "oauth",
    "sandbox": "sandbox_controls",
}


def handler_for(operation_id: str, tag: str):
    module = importlib.import_module(f"mock_server.api.{MODULE_BY_TAG[tag]}")
    return getattr(module, snake_case(operation_id))


def handler_resolver(spec: dict) -> Callable[[str], Callable]:
    """operationId -> its handler, for every operation of `spec`."""
    tag_by_operation_id = {op["operationId"]: op["tags"][0] for _, _, op in operations(spec)}
    return lambda operation_id: handler_for(operation_id, tag_by_operation_id[operation_id])


def lenient_operation_ids(spec: dict) -> frozenset[str]:
    """Operations marked `x-unknown-parameters: ignore` (OAuth, RFC 6749 3.1): their unknown
    parameters are ignored rather than refused."""
    return frozenset(op["operationId"] for _, _, op in operations(spec)
                     if op.get("x-unknown-parameters") == "ignore")
