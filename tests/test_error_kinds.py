"""The error catalog against the contract, and every domain error against the catalog (R4)."""

from __future__ import annotations

import importlib
import pkgutil

import mock_server
from mock_server import errors
from mock_server.domain_error import DomainError
from mock_server.error_kinds import ErrorKind
from mock_server.contract import load_contract
from mock_server.ledger.errors import NotFound

CONTRACT_CODES = load_contract()["components"]["schemas"]["ErrorCode"]["x-error-codes"]


def every_subclass(base: type) -> list[type]:
    """Every class below `base`, once every module of the sandbox is imported."""
    for module in pkgutil.walk_packages(mock_server.__path__, "mock_server."):
        importlib.import_module(module.name)
    found, todo = [], list(base.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_the_catalog_is_the_contracts_table() -> None:
    catalog = {kind.code: {"status": kind.status, "retryable": kind.retryable} for kind in ErrorKind}
    assert catalog == CONTRACT_CODES


def test_every_domain_error_carries_a_kind_of_the_catalog_with_the_contracts_status() -> None:
    classes = every_subclass(DomainError)
    assert len(classes) >= 15, [cls.__name__ for cls in classes]      # the walk found them
    for cls in [DomainError, *classes]:
        where = f"{cls.__module__}.{cls.__qualname__}.kind = {cls.kind!r}"
        assert isinstance(cls.kind, ErrorKind), f"{where}: not an ErrorKind"
        assert cls.kind.code in CONTRACT_CODES, f"{where}: not a code of the contract"
        assert cls.kind.status == CONTRACT_CODES[cls.kind.code]["status"], where


def test_a_kind_outside_the_catalog_is_a_500_never_a_guess() -> None:
    misspelt = NotFound("account", "acc_x")
    misspelt.kind = "NOT_FOUN"      # a code string, as domain errors carried before
    response = errors.exception_response(misspelt, "req_test")
    assert response.status_code == 500 and b'"INTERNAL_ERROR"' in response.body
    found = errors.exception_response(NotFound("account", "acc_x"), "req_test")
    assert found.status_code == 404 and b'"requestId":"req_test"' in found.body
