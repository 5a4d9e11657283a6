"""Checks are small named functions `check(suite[, target])`, marked with `rule_check` in the modules of the
rule they check. The rules and their modules are listed once, in RULES; a registry is built from that list."""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable, Iterable

CheckFunction = Callable[..., None]
TargetsFunction = Callable[..., Iterable]
CHECK_MARK = "conformance_check"
DEFAULT_PROFILES = ("quick", "full")


@dataclass(frozen=True, slots=True)
class Rule:
    name: str                     # the --rules name: money, idempotency, ...
    rule_id: str                  # R1..R9, OAS
    modules: tuple[str, ...]      # where its checks live, each named for the rule (money, money_allocations)


# In run order. Webhooks first: it times a delivery, and the other rules leave subscriptions to unreachable
# URLs whose retries an implementation may queue in front of it.
RULES = (
    Rule("webhooks", "R8", ("conformance.rules.webhooks", "conformance.rules.webhooks_retries")),
    Rule("contract", "OAS", ("conformance.contract.fuzz", "conformance.contract.stateful")),
    Rule("money", "R1", ("conformance.rules.money", "conformance.rules.money_allocations")),
    Rule("idempotency", "R2", ("conformance.rules.idempotency",)),
    Rule("balance", "R3", ("conformance.rules.balance", "conformance.rules.balance_machine",
                           "conformance.rules.balance_bank_register")),
    Rule("errors", "R4", ("conformance.rules.errors",)),
    Rule("auth", "R5", ("conformance.rules.auth", "conformance.rules.auth_api_key")),
    Rule("edges", "R9", ("conformance.rules.edges", "conformance.rules.edges_books", "conformance.rules.edges_bank",
                         "conformance.rules.edges_ids", "conformance.rules.edges_declared")),    # declared last: it reads the run's answers
    Rule("lists", "R6", ("conformance.rules.lists", "conformance.rules.lists_filters")),
    Rule("mcp", "R10", ("conformance.rules.mcp",)),
)


@dataclass(frozen=True, slots=True)
class CheckOptions:
    targets: TargetsFunction | None   # suite -> operations the check runs against, one row each
    profiles: frozenset[str]


@dataclass(frozen=True, slots=True)
class RegisteredCheck:
    rule: str                 # rule name: money, idempotency, ...
    rule_id: str              # R1..R9, OAS
    name: str                 # function name
    function: CheckFunction
    targets: TargetsFunction | None
    profiles: frozenset[str]
    module: str               # the module it lives in


def rule_check(*, targets: TargetsFunction | None = None,
               profiles: Iterable[str] = DEFAULT_PROFILES) -> Callable[[CheckFunction], CheckFunction]:
    """Mark `function(suite[, target])` as a check; it raises a Failure or Skip, or returns. Nothing is
    registered here: the registry finds marked functions in the modules RULES lists."""
    def mark(function: CheckFunction) -> CheckFunction:
        setattr(function, CHECK_MARK, CheckOptions(targets, frozenset(profiles)))
        return function
    return mark


@dataclass(frozen=True, slots=True)
class Registry:
    checks: tuple[RegisteredCheck, ...]      # rule by rule in RULES order, each module's in definition order

    def named(self, name: str) -> RegisteredCheck:
        found = next((check for check in self.checks if check.name == name), None)
        if found is None:
            raise KeyError(f"no check named {name}")
        return found

    def for_rules(self, rules: Iterable[str], profile: str, order: tuple[str, ...] = ()) -> list[RegisteredCheck]:
        """Checks of the wanted rules, rule by rule in `order`, each rule's checks in definition order."""
        wanted = list(rules)
        found = [check for check in self.checks if check.rule in wanted and profile in check.profiles]
        rank = {rule: index for index, rule in enumerate(order or wanted)}
        return sorted(found, key=lambda check: rank.get(check.rule, len(rank)))


def module_checks(rule: Rule, module_name: str) -> list[RegisteredCheck]:
    module = importlib.import_module(module_name)
    found = []
    for function in vars(module).values():
        options = getattr(function, CHECK_MARK, None)
        if isinstance(options, CheckOptions) and function.__module__ == module_name:
            found.append(RegisteredCheck(rule.name, rule.rule_id, function.__name__, function, options.targets,
                                         options.profiles, module_name))
    return found


def build_registry(rules: tuple[Rule, ...] = RULES) -> Registry:
    checks = [check for rule in rules for module_name in rule.modules for check in module_checks(rule, module_name)]
    names = [check.name for check in checks]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"checks defined twice: {repeated}")
    return Registry(tuple(checks))


def checks_for(rules: Iterable[str], profile: str, order: tuple[str, ...] = ()) -> list[RegisteredCheck]:
    return build_registry().for_rules(rules, profile, order)
