"""The kit's registered checks, read through one door so the self-test follows the registry as it is."""
from __future__ import annotations

from functools import lru_cache

from conformance.registry import RegisteredCheck, build_registry


@lru_cache(maxsize=1)
def registered_checks() -> dict[str, RegisteredCheck]:
    """Every registered check by name, in the registry's order (rule by rule)."""
    return {check.name: check for check in build_registry().checks}


def rule_of(check_name: str) -> str:
    """The rule (as `--rules` names it) the check runs under."""
    return registered_checks()[check_name].rule
