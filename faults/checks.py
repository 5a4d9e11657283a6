"""The kit's registered checks, read through one door so the self-test follows the registry as it is."""
from __future__ import annotations

from conformance.registry import CHECKS, RegisteredCheck


def registered_checks() -> dict[str, RegisteredCheck]:
    import conformance.contract  # noqa: F401  registers the contract layer
    import conformance.rules  # noqa: F401  registers the rule checks
    return dict(CHECKS)


def rule_of(check_name: str) -> str:
    """The rule (as `--rules` names it) the check runs under."""
    return registered_checks()[check_name].rule
