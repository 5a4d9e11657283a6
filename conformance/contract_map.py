"""What the suite learns from openapi.json: operations, posting routes, money fields, list routes."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from ledgerhq_contract import HTTP_METHODS, resolve_ref

COMPANY_PREFIX = "/api/v1/companies/{"
EXCLUDED_TAGS = frozenset({"sandbox"})
# /api/openapi.json is the contract itself, not a partner route: fuzzing it would fetch the whole document per
# case and check nothing the contract loader does not. /api/docs is that document as an HTML page.
EXCLUDED_PATH_PREFIXES = ("/api/oauth", "/.well-known", "/api/v1/sandbox", "/api/openapi.json", "/api/docs")
PAGE_WITHOUT_MAXIMUM = 50       # page size on a list whose `limit` declares neither maximum nor default
PLACEHOLDER = re.compile(r"\{[^}]+\}")


@dataclass(frozen=True, slots=True)
class Operation:
    method: str                      # upper case
    path: str                        # template, e.g. /api/v1/companies/{companyId}/purchases
    operation_id: str | None
    tags: tuple[str, ...]
    raw: dict

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def is_company_path(self) -> bool:
        return self.path.startswith(COMPANY_PREFIX)

    @property
    def path_params(self) -> tuple[str, ...]:
        return tuple(name[1:-1] for name in PLACEHOLDER.findall(self.path))

    @property
    def shape(self) -> str:
        return PLACEHOLDER.sub("{}", self.path)

    @property
    def kind(self) -> str:
        """Last literal segment: `purchases`, `trial-balance`, `void`."""
        literal = [part for part in self.path.split("/") if part and not part.startswith("{")]
        return literal[-1] if literal else ""


class Contract:
    def __init__(self, document: dict) -> None:
        self.document = document
        self.operations = list(self._read_operations())

    @classmethod
    def load(cls, path: Path) -> "Contract":
        return cls(json.loads(Path(path).read_text()))

    def _read_operations(self) -> Iterator[Operation]:
        for path, item in sorted(self.document.get("paths", {}).items()):
            shared = item.get("parameters", [])
            for method in HTTP_METHODS:
                if method not in item:
                    continue
                raw = dict(item[method])
                raw["parameters"] = [self.resolve(p) for p in shared + raw.get("parameters", [])]
                yield Operation(method.upper(), path, raw.get("operationId"), tuple(raw.get("tags", [])), raw)

    def resolve(self, node: Any) -> Any:
        """`node` with its local `$ref`s followed (the contract package's one resolver)."""
        return resolve_ref(self.document, node)

    # -- selections -----------------------------------------------------------------------------
    def partner_operations(self) -> list[Operation]:
        return [op for op in self.operations
                if not EXCLUDED_TAGS.intersection(op.tags) and not op.path.startswith(EXCLUDED_PATH_PREFIXES)]

    def is_public(self, op: Operation) -> bool:
        security = op.raw.get("security", self.document.get("security", []))
        return security == [] or {} in security

    def header_params(self, op: Operation) -> dict[str, dict]:
        return {p["name"].lower(): p for p in op.raw["parameters"] if p.get("in") == "header"}

    def query_params(self, op: Operation) -> dict[str, dict]:
        return {p["name"]: p for p in op.raw["parameters"] if p.get("in") == "query"}

    def limit_bound(self, op: Operation, keyword: str) -> int | None:
        """A positive integer `keyword` (`maximum`, `default`) of the operation's `limit` schema, else None."""
        value = self.resolve(self.query_params(op).get("limit", {}).get("schema", {})).get(keyword)
        return value if type(value) is int and value >= 1 else None

    def limit_maximum(self, op: Operation) -> int | None:
        """The largest `limit` the operation's contract allows (None: none declared)."""
        return self.limit_bound(op, "maximum")

    def largest_page(self, op: Operation) -> int:
        """The page size to walk a list with: the contract's largest `limit`, else its default, else 50."""
        return self.limit_bound(op, "maximum") or self.limit_bound(op, "default") or PAGE_WITHOUT_MAXIMUM

    def largest_page_of(self, path: str) -> int:
        """`largest_page` of the GET list at exactly `path` (PAGE_WITHOUT_MAXIMUM when the contract has none)."""
        op = next((op for op in self.operations if op.method == "GET" and op.path == path), None)
        return self.largest_page(op) if op is not None else PAGE_WITHOUT_MAXIMUM

    def posting_operations(self) -> list[Operation]:
        return [op for op in self.partner_operations() if "idempotency-key" in self.header_params(op)]

    @staticmethod
    def posting_effect(op: Operation) -> dict | None:
        """The entry a posting operation makes, as its `x-posting` extension states it (None: not stated)."""
        effect = op.raw.get("x-posting")
        return effect if isinstance(effect, dict) and isinstance(effect.get("kind"), str) else None

    def find(self, method: str, suffix_shape: str, *, company_path: bool | None = None,
             controls: bool = False) -> Operation | None:
        """The operation whose path ends with `suffix_shape` (`{}` for any parameter); company path first.
        `controls`: search the sandbox controls too (used only where an implementation offers them)."""
        found = [op for op in (self.operations if controls else self.partner_operations())
                 if op.method == method and op.shape.endswith(suffix_shape)
                 and (company_path is None or op.is_company_path == company_path)]
        found.sort(key=lambda op: (not op.is_company_path, len(op.path)))
        return found[0] if found else None

    def response_schema(self, op: Operation, status_prefix: str = "2") -> dict | None:
        for status, response in op.raw.get("responses", {}).items():
            if str(status).startswith(status_prefix):
                content = self.resolve(response).get("content", {})
                for media in content.values():
                    return self.resolve(media.get("schema", {}))
        return None

    def request_properties(self, op: Operation) -> dict[str, dict]:
        """The properties of an operation's request body schema, `$ref`s of each followed."""
        body = self.resolve(op.raw.get("requestBody", {}))
        for media in body.get("content", {}).values():
            return {name: self.resolve(schema) for name, schema in self.properties(media.get("schema", {})).items()}
        return {}

    def request_example(self, op: Operation) -> object | None:
        """The contract's example body of an operation, if it gives one."""
        body = self.resolve(op.raw.get("requestBody", {}))
        for media in body.get("content", {}).values():
            if "example" in media:
                return media["example"]
            for example in media.get("examples", {}).values():
                return self.resolve(example).get("value")
        return None

    def list_operations(self) -> list[Operation]:
        """GET operations answering `{data: [...], nextCursor}`."""
        found = []
        for op in self.partner_operations():
            schema = self.response_schema(op) if op.method == "GET" else None
            props = self.properties(schema or {})
            if "data" in props and "nextCursor" in props and "limit" in self.query_params(op):
                found.append(op)
        return found

    def properties(self, schema: dict, depth: int = 0) -> dict:
        schema = self.resolve(schema)
        props = dict(schema.get("properties", {}))
        for part in schema.get("allOf", []) if depth < 8 else []:
            props.update(self.properties(part, depth + 1))
        return props

    def money_fields(self) -> dict[str, bool]:
        """Every property named *Cents in the contract -> whether it may be null anywhere."""
        fields: dict[str, bool] = {}
        for name, schema in self.walk_properties(self.document):
            if name.endswith("Cents"):
                fields[name] = fields.get(name, False) or bool(self.resolve(schema).get("nullable"))
        return fields

    def walk_properties(self, node: Any, depth: int = 0) -> Iterator[tuple[str, dict]]:
        if depth > 40:
            return
        if isinstance(node, dict):
            for name, schema in node.get("properties", {}).items() if isinstance(node.get("properties"), dict) else []:
                yield name, schema
            for value in node.values():
                yield from self.walk_properties(value, depth + 1)
        elif isinstance(node, list):
            for value in node:
                yield from self.walk_properties(value, depth + 1)

    # -- matching concrete requests -------------------------------------------------------------
    def match(self, method: str, path: str) -> Operation | None:
        """The operation a concrete request path belongs to (literal segments win over parameters)."""
        candidates = []
        for op in self.operations:
            pattern = "^" + PLACEHOLDER.sub("[^/]+", re.escape(op.path).replace(r"\{", "{").replace(r"\}", "}")) + "$"
            if op.method == method.upper() and re.match(pattern, path):
                candidates.append(op)
        candidates.sort(key=lambda op: op.path.count("{"))
        return candidates[0] if candidates else None

    def legacy_error_allowed(self, method: str, path: str, status: int) -> bool:
        """Whether the contract lets this operation answer `{"error": "Message"}` with this status."""
        op = self.match(method, path)
        if op is None:
            return False
        responses = op.raw.get("responses", {})
        response = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or responses.get("default")
        return response is not None and "schemas/LegacyError" in json.dumps(self.resolve(response))
