"""Everything a check can reach: the HTTP client, the contract, the suite's own data, the seed."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from conformance.config import RunConfig
from conformance.contract_map import Contract, Operation
from conformance.failures import Skip
from conformance.http import Api, Exchange
from conformance.world import World, build_world, call


@dataclass
class RunCache:
    """What a run makes or reads once and then reuses; each field is filled on first use (None: not yet)."""
    own_bank_account: dict | None = None             # the suite's own checking register {id, accountId, ...}
    fuzz_account: str | None = None                  # the account fuzzed PATCH and DELETE requests may change
    schemathesis_schema: Any = None                  # the contract as Schemathesis loaded it
    edge_ids: dict[str, str] | None = None           # path segment -> an id of the suite's own (R9)
    sibling_organizations: list[str] | None = None   # organizations of the other companies the credential manages
    firm_organizations: list[str] | None = None      # organizations the run's firm credential reaches
    normal_signs: dict[str, int] = field(default_factory=dict)   # account id -> +1 debit-normal, -1 credit-normal
    footprint: Any = None                            # footprint.Footprint: what the run made, removed and left
    coverage: Any = None                             # coverage.Coverage: operation x status seen (set by main)
    webhook_subscription: Any = None                 # the run's one subscription (R8), or the error making it


class Suite:
    def __init__(self, config: RunConfig, contract: Contract) -> None:
        self.config = config
        self.contract = contract
        self.profile = config.profile
        self.seed = config.seed
        secrets = {config.token: "$TOKEN"}
        if config.other_token:
            secrets[config.other_token] = "$OTHER_TOKEN"
        if config.api_key:
            secrets[config.api_key] = "$API_KEY"
        self.api = Api(config.base_url, config.token, timeout_s=config.request_timeout_s, secrets=secrets)
        self.other_api = (Api(config.base_url, config.other_token, timeout_s=config.request_timeout_s,
                              secrets=secrets) if config.other_token else None)
        self._world: World | None = None
        self.cache = RunCache()
        self._world_error: Exception | None = None

    def close(self) -> None:
        self.api.close()
        if self.other_api:
            self.other_api.close()

    @property
    def world(self) -> World:
        """Built once, on first use; a failed set-up fails every check that needs it."""
        if self._world is None:
            if self._world_error is not None:
                raise self._world_error
            try:
                self._world = build_world(self.api, self.contract, self.config.company_id)
            except Exception as error:
                self._world_error = error
                raise
        return self._world

    def op(self, method: str, suffix: str, *, company_path: bool | None = None) -> Operation:
        found = self.contract.find(method, suffix, company_path=company_path)
        if found is None:
            raise Skip(f"the contract has no {method} ...{suffix} operation")
        return found

    def call(self, op: Operation, **kwargs) -> Exchange:
        return call(self.api, self.contract, op, self.world, **kwargs)

    @cached_property
    def posting_operations(self) -> list[Operation]:
        return self.contract.posting_operations()

    @cached_property
    def list_operations(self) -> list[Operation]:
        return self.contract.list_operations()
