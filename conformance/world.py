"""The suite's own data in the company under test, made only through the public contract."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from conformance.account_sets import FREE, LEASE_ROLE, account_name, claim_set, lease_text
from conformance.contract_map import Contract, Operation
from conformance.failures import SetupFailed, Skip
from conformance.http import Api, Exchange

ACCOUNT_CREATE_ATTEMPTS_MAX = 5
# role -> (type, subtype); debit-normal types first
OWN_ACCOUNTS = {
    "cash_a": ("asset", "current_asset"),
    "cash_b": ("asset", "current_asset"),
    "loan": ("liability", "current_liability"),
    "expense": ("expense", "expense"),
    "income": ("income", "income"),
}
ORGANIZATION_FREE_PATHS = frozenset({"/api/v1/companies", "/api/v1/organizations"})
DEBIT_NORMAL_TYPES = frozenset({"asset", "expense"})
BALANCE_SHEET_TYPES = frozenset({"asset", "liability", "equity"})


def posting_date() -> date:
    """Yesterday in UTC: on or before 'today' in every company time zone within a day of UTC."""
    return datetime.now(timezone.utc).date() - timedelta(days=1)


@dataclass
class World:
    company_id: str
    organization_id: str
    run_tag: str
    accounts: dict[str, str] = field(default_factory=dict)         # role -> account id
    account_types: dict[str, str] = field(default_factory=dict)    # account id -> type
    day: date = field(default_factory=posting_date)
    lease: str = ""                                                 # see account_sets
    reused: bool = False                                            # the accounts came from an earlier run
    made: list[str] = field(default_factory=list)                   # accounts made beyond the set, to delete

    def normal_sign(self, account_id: str) -> int:
        return 1 if self.account_types.get(account_id) in DEBIT_NORMAL_TYPES else -1


def discover_company(api: Api, company_id: str | None) -> tuple[str, str]:
    if company_id is None:
        listed = api.request("GET", "/api/v1/companies", params={"limit": 1})
        rows = (listed.json or {}).get("data") if isinstance(listed.json, dict) else None
        if listed.status != 200 or not rows:
            raise SetupFailed("GET /api/v1/companies gave no company to test", listed)
        company_id = rows[0]["id"]
    company = api.request("GET", f"/api/v1/companies/{company_id}")
    body = company.json if isinstance(company.json, dict) else {}
    if company.status != 200 or not body.get("organizationId"):
        raise SetupFailed(f"GET company {company_id} gave no organizationId", company)
    return company_id, body["organizationId"]


def create_account(api: Api, contract: Contract, world: World, role: str, type_: str, subtype: str, *,
                   name: str | None = None, description: str = "created by the conformance suite") -> str:
    op = contract.find("POST", "/accounts")
    if op is None:
        raise Skip("the contract has no POST .../accounts operation to create the suite's own accounts")
    last: Exchange | None = None
    for _ in range(ACCOUNT_CREATE_ATTEMPTS_MAX):
        code = str(secrets.randbelow(900_000) + 100_000)
        body = {"code": code, "name": name or f"Conformance {world.run_tag} {role} {code}", "type": type_,
                "subtype": subtype, "description": description}
        last = call(api, contract, op, world, json_body=body)
        if last.status in (200, 201) and isinstance(last.json, dict) and last.json.get("id"):
            world.account_types[last.json["id"]] = type_
            if name is None:
                world.made.append(last.json["id"])
            return last.json["id"]
        if last.status not in (409, 422):
            break
    raise SetupFailed(f"could not create the suite's own {role} account", last)


def build_world(api: Api, contract: Contract, company_id: str | None) -> World:
    company_id, organization_id = discover_company(api, company_id)
    world = World(company_id, organization_id, run_tag=secrets.token_hex(3))
    claimed = claim_set(api, contract, world, OWN_ACCOUNTS)
    if claimed:
        world.accounts, world.reused = claimed, True
        return world
    world.lease = lease_text(world.run_tag)
    for role, (type_, subtype) in OWN_ACCOUNTS.items():
        world.accounts[role] = create_account(
            api, contract, world, role, type_, subtype, name=account_name(role, world.run_tag),
            description=world.lease if role == LEASE_ROLE else FREE)
    return world


def fill_path(op: Operation, world: World, values: dict[str, str] | None = None) -> str:
    path = op.path
    for name in op.path_params:
        value = (values or {}).get(name) or (world.company_id if name == "companyId" else None)
        if value is None:
            raise Skip(f"no value for path parameter {name} of {op.label}")
        path = path.replace("{" + name + "}", value)
    return path


def needs_organization(contract: Contract, op: Operation) -> bool:
    """Legacy routes take the company from x-organization-id (declared in the contract)."""
    if "x-organization-id" in contract.header_params(op):
        return True
    return not op.is_company_path and op.path not in ORGANIZATION_FREE_PATHS and op.path.startswith("/api/v1/")


def call(api: Api, contract: Contract, op: Operation, world: World, *, path_values: dict | None = None,
         **kwargs) -> Exchange:
    """Call an operation with the run's credential; legacy routes get x-organization-id."""
    if needs_organization(contract, op):
        kwargs.setdefault("org", world.organization_id)
    return api.request(op.method, fill_path(op, world, path_values), **kwargs)
