"""The operations of one contract, keyed so that the same route matches across versions: the method and the
path with its parameter names blanked (`/accounts/{id}` is `/accounts/{accountId}`)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from conformance.diff.schema_view import follow, join
from ledgerhq_contract import operations

IDEMPOTENCY_KEY = ("header", "idempotency-key")
PATH_PARAMETER = re.compile(r"\{[^}]*\}")


@dataclass(frozen=True, slots=True)
class Parameter:
    node: dict
    pointer: str

    @property
    def name(self) -> str:
        return self.node.get("name", "")

    @property
    def required(self) -> bool:
        return bool(self.node.get("required")) or self.node.get("in") == "path"


@dataclass(frozen=True, slots=True)
class Operation:
    method: str
    path: str
    node: dict
    pointer: str
    parameters: dict[tuple[str, str], Parameter]    # (in, name; a header's in lower case) -> parameter
    security: tuple[frozenset[str], ...]            # alternatives, each the schemes (and scheme:scope) it needs
    security_pointer: str

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


def parameter_key(node: dict) -> tuple[str, str]:
    where, name = node.get("in", ""), node.get("name", "")
    return where, name.lower() if where == "header" else name


def parameters_of(spec: dict, path_item: dict, operation: dict, pointer: str) -> dict[tuple[str, str], Parameter]:
    """Path-level parameters, overridden by the operation's own, each resolved and placed."""
    found: dict[tuple[str, str], Parameter] = {}
    path_pointer = pointer.rsplit("/", 1)[0]
    for owner, owner_pointer in ((path_item, path_pointer), (operation, pointer)):
        for index, raw in enumerate(owner.get("parameters") or ()):
            node, where = follow(spec, raw, join(owner_pointer, "parameters", str(index)))
            found[parameter_key(node)] = Parameter(node, where)
    return found


def security_of(spec: dict, operation: dict, pointer: str) -> tuple[tuple[frozenset[str], ...], str]:
    requirements, where = (operation["security"], join(pointer, "security")) if "security" in operation \
        else (spec.get("security") or [], "/security")
    alternatives = tuple(frozenset(name for scheme, scopes in requirement.items()
                                   for name in (scheme, *(f"{scheme}:{scope}" for scope in scopes)))
                         for requirement in requirements)
    return alternatives or (frozenset(),), where


def route_key(method: str, path: str) -> tuple[str, str]:
    return method, PATH_PARAMETER.sub("{}", path)


def operations_by_route(spec: dict) -> dict[tuple[str, str], Operation]:
    found = {}
    for method, path, node in operations(spec):
        pointer = join("/paths", path, method)
        security, security_pointer = security_of(spec, node, pointer)
        found[route_key(method, path)] = Operation(method, path, node, pointer,
                                                   parameters_of(spec, spec["paths"][path], node, pointer),
                                                   security, security_pointer)
    return found


def resolved(spec: dict, node: Any, pointer: str) -> tuple[dict, str]:
    node, pointer = follow(spec, node, pointer)
    return (node if isinstance(node, dict) else {}), pointer
