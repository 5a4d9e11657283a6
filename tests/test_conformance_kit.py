"""The conformance kit's own structure: one table of rules and their modules, postings built from the contract's
x-posting, one adapter for Schemathesis, and no way into the sandbox but its command."""
from __future__ import annotations

import ast
import importlib
import pkgutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from openapi_schema_validator import OAS30Validator

import conformance
from conformance import sandbox
from conformance.books import posting_for, shaped_body
from conformance.config import RULE_IDS, RULE_NAME_BY_ID, RULE_NAMES
from conformance.contract import schemathesis_adapter as adapter
from conformance.contract_map import Contract
from conformance.registry import CHECK_MARK, RULES, build_registry
from conformance.world import OWN_ACCOUNTS
from ledgerhq_contract import inline_refs, load_contract

KIT_ROOT = Path(conformance.__file__).parent
CHECK_PACKAGES = ("conformance.rules", "conformance.contract")


def kit_files() -> list[Path]:
    """The kit's modules; the faulty servers wrap the sandbox and are not part of the kit that ships."""
    return [path for path in sorted(KIT_ROOT.rglob("*.py")) if "faults" not in path.relative_to(KIT_ROOT).parts]


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_every_check_is_found_in_a_module_named_for_its_rule():
    registry = build_registry()
    assert len(registry.checks) == 66          # 45, five of R10 (rules.mcp), eleven of R8/R9 edges, five of R6 filters
    modules_of = {rule.name: rule.modules for rule in RULES}
    for check in registry.checks:
        assert registry.named(check.name) is check
        assert check.module in modules_of[check.rule], check
        package, _, module = check.module.rpartition(".")
        assert package.endswith("." + check.rule) or module == check.rule or module.startswith(check.rule + "_"), \
            f"{check.name} of rule {check.rule} lives in {check.module}"


def test_no_check_is_left_out_of_the_rule_table():
    listed = {check.function for check in build_registry().checks}
    for package_name in CHECK_PACKAGES:
        package = importlib.import_module(package_name)
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package_name}.{info.name}")
            for value in vars(module).values():
                if hasattr(value, CHECK_MARK) and value.__module__ == module.__name__:
                    assert value in listed, f"{module.__name__}.{value.__name__} is in no rule of RULES"


def test_rule_names_and_ids_come_from_the_one_table():
    assert RULE_NAMES == tuple(rule.name for rule in RULES)
    assert len(set(RULE_IDS.values())) == len(RULES)
    assert RULE_NAME_BY_ID["R9"] == "edges" and RULE_NAME_BY_ID["R1"] == "money"
    assert RULE_NAMES[0] == "webhooks"


def test_the_kit_never_imports_the_sandbox():
    for path in kit_files():
        text = path.read_text(encoding="utf-8")
        assert not any(name.split(".")[0] == "mock_server" for name in imported_modules(path)), path
        assert "mock_server" not in text, path


def test_only_the_adapter_imports_schemathesis():
    for path in kit_files():
        uses = {name for name in imported_modules(path) if name.split(".")[0] == "schemathesis"}
        if path.name != "schemathesis_adapter.py":
            assert not uses, (path, uses)


def test_a_missing_sandbox_command_says_how_to_get_one(monkeypatch, tmp_path):
    monkeypatch.setattr(sandbox.sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(sandbox.SandboxMissing) as missing:
        sandbox.sandbox_command()
    message = missing.value.message
    assert message.count(". ") == 0 and message.endswith(".")
    assert "--base-url" in message and "pip install" in message


def test_the_installed_schemathesis_has_everything_the_adapter_reads():
    assert adapter.missing_internals() == []
    assert len(adapter.fuzz_checks()) == 10 and len(adapter.stateful_checks()) == 9


def test_the_adapter_names_an_attribute_a_release_moved():
    with pytest.raises(adapter.SchemathesisMoved, match="CoverageScenario.NO_SUCH_SCENARIO"):
        adapter.internal("schemathesis.generation.meta", "CoverageScenario.NO_SUCH_SCENARIO")
    with pytest.raises(adapter.SchemathesisMoved, match="schemathesis.no_such_module"):
        adapter.internal("schemathesis.no_such_module", "anything")


# -- postings derived from the contract's x-posting --------------------------------------------------------------
@dataclass
class OwnWorld:
    accounts: dict[str, str] = field(default_factory=lambda: {role: f"acc_conf_{role}" for role in OWN_ACCOUNTS})
    account_types: dict[str, str] = field(default_factory=lambda: {f"acc_conf_{role}": kind
                                                                   for role, (kind, _) in OWN_ACCOUNTS.items()})
    day: date = date(2026, 7, 1)


class ContractOnlySuite:
    """What posting_for reads: the contract, the suite's own accounts and day; no server."""

    def __init__(self) -> None:
        self.contract = Contract(load_contract())
        self.world = OwnWorld()
        self.posting_operations = self.contract.posting_operations()


def request_validator(spec: dict, op) -> OAS30Validator:
    schema = inline_refs(spec, op.raw["requestBody"]["content"]["application/json"]["schema"])
    return OAS30Validator(schema)


def test_every_posting_body_is_valid_and_its_deltas_balance():
    suite = ContractOnlySuite()
    spec = suite.contract.document
    assert len(suite.posting_operations) == 10
    for op in suite.posting_operations:
        posting = posting_for(suite, op, 1250, document_id="bill_conf_open")
        request_validator(spec, op).validate(posting.body)
        effect = op.raw["x-posting"]
        payables = "accountSubtype" in effect.get("debit", {})
        assert sum(posting.deltas.values()) == (-1250 if payables else 0), op.label
        assert all(account.startswith("acc_conf_") for account in posting.deltas), op.label
        assert len(posting.deltas) == (1 if payables else 2), op.label


def test_postings_book_what_the_contract_says():
    suite = ContractOnlySuite()
    accounts = suite.world.accounts
    by_kind = {op.raw["x-posting"]["kind"]: op for op in suite.posting_operations if op.is_company_path}
    purchase = posting_for(suite, by_kind["purchase"], 500)
    assert purchase.body["categoryAccountId"] == accounts["expense"]
    assert purchase.body["sourceAccountId"] == accounts["cash_a"]
    assert purchase.deltas == {accounts["expense"]: 500, accounts["cash_a"]: -500}
    deposit = posting_for(suite, by_kind["deposit"], 500)
    assert deposit.deltas == {accounts["cash_a"]: 500, accounts["income"]: -500}
    transfer = posting_for(suite, by_kind["transfer"], 500)
    assert transfer.deltas == {accounts["cash_b"]: 500, accounts["cash_a"]: -500}
    entry = posting_for(suite, by_kind["journal_entry"], 500)
    assert [line.get("debitCents", 0) - line.get("creditCents", 0) for line in entry.body["lines"]] == [500, -500]
    shaped = shaped_body(suite, by_kind["bill_payment"], 500)
    assert shaped["allocations"] == [{"billId": "bill_conformance_missing", "amountCents": 500}]


def test_stateful_bodies_name_the_suites_own_accounts():
    from conformance.contract.stateful_inputs import own_accounts_in
    suite = ContractOnlySuite()
    accounts = suite.world.accounts
    by_kind = {op.raw["x-posting"]["kind"]: op for op in suite.posting_operations if op.is_company_path}
    drawn = {"date": "2026-07-01", "sourceAccountId": "acc_x", "categoryAccountId": "acc_y", "amountCents": 7}
    assert own_accounts_in(suite, by_kind["purchase"], drawn) == {
        **drawn, "sourceAccountId": accounts["cash_a"], "categoryAccountId": accounts["expense"]}
    paid = own_accounts_in(suite, by_kind["bill_payment"], {"sourceAccountId": "acc_x", "amountCents": 7,
                                                            "allocations": [{"billId": "bill_bp_1", "amountCents": 7}]})
    assert paid["allocations"] == [{"billId": "bill_conformance_missing", "amountCents": 7}]
    lines = own_accounts_in(suite, by_kind["journal_entry"], {"lines": [{"accountId": "acc_x", "creditCents": 9}]})
    assert lines["lines"] == [{"accountId": accounts["expense"], "debitCents": 9},
                              {"accountId": accounts["income"], "creditCents": 9}]


def test_pages_grow_on_a_long_list_but_never_past_the_contract_maximum():
    """A server never reset grows: 30,000 journal lines must still be walked with pages the contract allows,
    and the largest page is the contract's (`limit`'s maximum), not a number typed into the kit."""
    import copy
    from types import SimpleNamespace
    from conformance.contract_map import PAGE_WITHOUT_MAXIMUM, Contract
    from conformance.rules.lists import small_limit
    from ledgerhq_contract import load_contract
    document = load_contract()
    contract = Contract(document)
    lines = next(op for op in contract.operations if op.method == "GET" and op.path.endswith("/journal-lines"))
    suite = SimpleNamespace(profile=SimpleNamespace(page_limit_small=1), contract=contract)
    assert small_limit(suite, lines, 10) == 1
    assert small_limit(suite, lines, 1_000) == 10
    declared = document["components"]["parameters"]["Limit"]["schema"]
    assert small_limit(suite, lines, 30_000) == contract.largest_page(lines) == declared["maximum"]
    assert contract.largest_page_of("/api/v1/companies") == declared["maximum"]
    smaller = copy.deepcopy(document)
    smaller["components"]["parameters"]["Limit"]["schema"]["maximum"] = 75
    assert Contract(smaller).largest_page_of("/api/v1/companies") == 75
    del smaller["components"]["parameters"]["Limit"]["schema"]["maximum"]
    undeclared = Contract(smaller)
    assert undeclared.limit_maximum(next(op for op in undeclared.operations if op.path == lines.path)) is None
    assert Contract(smaller).largest_page_of("/api/v1/companies") == declared["default"]
    del smaller["components"]["parameters"]["Limit"]["schema"]["default"]
    assert Contract(smaller).largest_page_of("/api/v1/companies") == PAGE_WITHOUT_MAXIMUM
