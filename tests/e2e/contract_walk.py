"""Requests built from openapi.json itself: every operation that names a company (a
`companyId` path parameter or the `x-organization-id` header), with the body of the
operation's own example, so a new route is walked without editing a list."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from mock_server.contract import load_contract, operations, resolve_ref

ORGANIZATION_HEADER = "x-organization-id"
IDEMPOTENCY_HEADER = "idempotency-key"


@dataclass(frozen=True)
class WalkedOperation:
    operation_id: str
    method: str
    path_template: str
    path_names: tuple[str, ...]
    takes_organization: bool
    takes_idempotency_key: bool
    body: object | None                 # the example of the JSON request body, if any

    def path(self, ids: dict[str, str]) -> str:
        path = self.path_template
        for name in self.path_names:
            path = path.replace("{" + name + "}", ids[name])
        return path

    def headers(self, organization_id: str) -> dict[str, str]:
        headers = {ORGANIZATION_HEADER: organization_id} if self.takes_organization else {}
        if self.takes_idempotency_key:
            headers["Idempotency-Key"] = f"walk-{uuid.uuid4()}"
        return headers


def example_body(spec: dict, operation: dict) -> object | None:
    content = resolve_ref(spec, operation.get("requestBody", {})).get("content", {})
    media = content.get("application/json")
    if media is None:
        return None
    if "example" in media:
        return media["example"]
    examples = list(media.get("examples", {}).values())
    if examples:
        return resolve_ref(spec, examples[0])["value"]
    return resolve_ref(spec, media.get("schema", {})).get("example", {})


def company_operations(spec: dict | None = None) -> list[WalkedOperation]:
    spec = spec or load_contract()
    walked = []
    for method, path, operation in operations(spec):
        parameters = [resolve_ref(spec, p) for p in operation.get("parameters", [])]
        path_names = tuple(p["name"] for p in parameters if p["in"] == "path")
        header_names = {p["name"].lower() for p in parameters if p["in"] == "header"}
        takes_organization = ORGANIZATION_HEADER in header_names
        if "companyId" not in path_names and not takes_organization:
            continue
        walked.append(WalkedOperation(
            operation["operationId"], method.upper(), path, path_names, takes_organization,
            IDEMPOTENCY_HEADER in header_names, example_body(spec, operation)))
    return walked
