"""operationId -> handler: `mock_server.api.<module of the first tag>.<snake_case id>`."""

from __future__ import annotations

import importlib

from connexion.resolver import Resolution, Resolver

from ledgerhq_contract import snake_case

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


class TagResolver(Resolver):
    def __init__(self, tag_by_operation_id: dict[str, str]) -> None:
        super().__init__()
        self.tag_by_operation_id = tag_by_operation_id

    def resolve(self, operation) -> Resolution:
        operation_id = operation.operation_id
        return Resolution(handler_for(operation_id, self.tag_by_operation_id[operation_id]),
                          operation_id)
