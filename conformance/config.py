"""Options of one conformance run and the size of each profile."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ledgerhq_contract import CONTRACT_PATH

# Run in this order. Webhooks first: it times a delivery, and the other rules leave subscriptions to
# unreachable URLs whose retries an implementation may queue in front of it.
RULE_NAMES = ("webhooks", "contract", "money", "idempotency", "balance", "errors", "auth", "lists")
RULE_IDS = {
    "contract": "OAS", "money": "R1", "idempotency": "R2", "balance": "R3",
    "errors": "R4", "auth": "R5", "lists": "R6", "webhooks": "R8",
}
DEFAULT_CONTRACT_PATH = CONTRACT_PATH


@dataclass(frozen=True, slots=True)
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
    "quick": Profile("quick", 8, 8, 6, 3, 8, 8, 1, False, 15, 8),
    "full": Profile("full", 60, 60, 40, 15, 20, 16, 1, True, 60, 12),
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
    profile: Profile = PROFILES["quick"]
    rules: tuple[str, ...] = RULE_NAMES
    seed: int = 0
    contract_path: Path = DEFAULT_CONTRACT_PATH
    request_timeout_s: float = 15.0
    extra: dict = field(default_factory=dict)
