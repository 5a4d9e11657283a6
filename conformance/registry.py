"""Checks are small named functions, registered by name under the rule they check."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

CheckFunction = Callable[..., None]
TargetsFunction = Callable[..., Iterable]


@dataclass(frozen=True, slots=True)
class RegisteredCheck:
    rule: str                 # module name: money, idempotency, ...
    rule_id: str              # R1..R6, OAS
    name: str                 # function name
    function: CheckFunction
    targets: TargetsFunction | None   # suite -> operations the check runs against, one row each
    profiles: frozenset[str]


CHECKS: dict[str, RegisteredCheck] = {}


def rule_check(rule: str, rule_id: str, *, targets: TargetsFunction | None = None,
               profiles: Iterable[str] = ("quick", "full")) -> Callable[[CheckFunction], CheckFunction]:
    """Register `function(suite[, target])` under `rule`; it raises a Failure or Skip, or returns."""
    def register(function: CheckFunction) -> CheckFunction:
        if function.__name__ in CHECKS:
            raise ValueError(f"check {function.__name__} registered twice")
        CHECKS[function.__name__] = RegisteredCheck(
            rule, rule_id, function.__name__, function, targets, frozenset(profiles))
        return function
    return register


def checks_for(rules: Iterable[str], profile: str, order: tuple[str, ...] = ()) -> list[RegisteredCheck]:
    """Checks of the wanted rules, rule by rule in `order`, each rule's checks in registration order."""
    wanted = list(rules)
    found = [check for check in CHECKS.values() if check.rule in wanted and profile in check.profiles]
    rank = {rule: index for index, rule in enumerate(order or wanted)}
    return sorted(found, key=lambda check: rank.get(check.rule, len(rank)))
