"""Options of one conformance run and the size of each profile."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from conformance.registry import RULES
from ledgerhq_contract import CONTRACT_PATH

RULE_NAMES = tuple(rule.name for rule in RULES)          # in run order (see conformance.registry.RULES)
RULE_IDS = {rule.name: rule.rule_id for rule in RULES}
RULE_NAME_BY_ID = {rule.rule_id: rule.name for rule in RULES}
DEFAULT_CONTRACT_PATH = CONTRACT_PATH


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile:
    name: str
    fuzz_examples_positive: int      # Hypothesis examples per operation
    fuzz_examples_negative: int
    coverage_cases_max: int          # Schemathesis coverage-phase cases per operation
    machine_examples: int            # balance state machine runs
    machine_steps: int               # steps per run
    concurrent_requests: int         # identical requests sent at once (R2)
    page_limit_small: int            # page size used to walk lists (R6)
    all_money_fields: bool           # every money field of each body, not just the first
    stateful_examples: int           # sequences through the contract's links
    stateful_steps: int              # steps per sequence


PROFILES = {
    "quick": Profile(name="quick", fuzz_examples_positive=8, fuzz_examples_negative=8, coverage_cases_max=6,
                     machine_examples=3, machine_steps=8, concurrent_requests=8, page_limit_small=1,
                     all_money_fields=False, stateful_examples=15, stateful_steps=8),
    "full": Profile(name="full", fuzz_examples_positive=60, fuzz_examples_negative=60, coverage_cases_max=40,
                    machine_examples=15, machine_steps=20, concurrent_requests=16, page_limit_small=1,
                    all_money_fields=True, stateful_examples=60, stateful_steps=12),
}


@dataclass(frozen=True, slots=True)
class RunConfig:
    base_url: str
    token: str
    company_id: str | None = None
    other_token: str | None = None
    other_company_id: str | None = None
    api_key: str | None = None            # dk_live_ key of one organization (R5)
    organization_id: str | None = None    # the key's organization
    mcp_token: str | None = None          # for /api/mcp when the implementation issues separate ones (R10)
    profile: Profile = PROFILES["quick"]
    rules: tuple[str, ...] = RULE_NAMES
    seed: int = 0
    contract_path: Path = DEFAULT_CONTRACT_PATH
    request_timeout_s: float = 15.0
    extra: dict = field(default_factory=dict)
