"""The LedgerHQ partner API contract (`openapi.json`, shipped inside this package) and the few
pure functions both the sandbox and the conformance kit need to read it: the loader, the one
`$ref` resolver, the list of HTTP methods and the one snake-case function.

No web framework and no sandbox code here: the kit and the sandbox both import this package,
and neither imports the other.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterator

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
REFERENCE_DEPTH_MAX = 32


def contract_path() -> Path:
    """The packaged `openapi.json` (a real file: the package is never zipped)."""
    return Path(str(resources.files(__name__).joinpath("openapi.json")))


CONTRACT_PATH = contract_path()
# Schemathesis' configuration for a run against the contract: the refusals that are the contract's
# (`schemathesis --config-file SCHEMATHESIS_CONFIG_PATH run ...`; the repository root links to it).
SCHEMATHESIS_CONFIG_PATH = CONTRACT_PATH.with_name("schemathesis.toml")


@lru_cache(maxsize=8)
def load_contract(path: Path | str | None = None) -> dict:
    """The contract as a dict, read once per path (the packaged one by default)."""
    with open(path or CONTRACT_PATH, encoding="utf-8") as handle:
        return json.load(handle)


def unescape_pointer_part(part: str) -> str:
    """RFC 6901: `~1` is `/`, `~0` is `~` (in that order)."""
    return part.replace("~1", "/").replace("~0", "~")


def resolve_ref(spec: dict, node: Any) -> Any:
    """`node` with its chain of local `$ref`s followed (bounded); anything else as it is."""
    for _ in range(REFERENCE_DEPTH_MAX):
        if not (isinstance(node, dict) and "$ref" in node):
            return node
        reference = node["$ref"]
        if not reference.startswith("#/"):
            raise ValueError(f"only local references are supported: {reference}")
        target: Any = spec
        for part in reference[2:].split("/"):
            target = target[unescape_pointer_part(part)]
        node = target
    raise ValueError("reference chain too deep")


def inline_refs(spec: dict, node: Any, depth_max: int = 60) -> Any:
    """A deep copy of `node` with every local `$ref` replaced by its target (refuses cycles)."""
    def walk(value: Any, depth: int) -> Any:
        if depth > depth_max:
            raise ValueError("schema nesting too deep (a recursive $ref?)")
        if isinstance(value, dict):
            if "$ref" in value:
                return walk(resolve_ref(spec, value), depth + 1)
            return {key: walk(item, depth + 1) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item, depth + 1) for item in value]
        return value
    return walk(node, 0)


def operations(spec: dict) -> Iterator[tuple[str, str, dict]]:
    """(method, path template, operation) for every operation of the contract."""
    for template, path_item in spec["paths"].items():
        for method in HTTP_METHODS:
            if method in path_item:
                yield method, template, path_item[method]


def snake_case(name: str) -> str:
    """`getOAuthAuthorizationServerMetadata` -> `get_oauth_authorization_server_metadata`;
    `companyId` -> `company_id`; `x-organization-id` -> `x_organization_id`."""
    words = name.replace("OAuth", "Oauth")
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", words).replace("-", "_").lower()
