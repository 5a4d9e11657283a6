"""Which companies a caller reaches (R5). Pure functions over a `Directory`.

Anything outside the caller's reach is `NotFound`, worded the same whether it exists or
not. Legacy routes take the company from `x-organization-id`:
- OAuth tokens and API keys must send it (`OrganizationHeaderRequired`, 400);
- a session whose user has exactly one organization may omit it;
- an API key whose organization differs from the header: `NotFound`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from mock_server.auth.caller import Caller
from mock_server.auth.errors import NotFound, OrganizationHeaderRequired


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    company_id: str
    organization_id: str
    firm_id: str


@dataclass(frozen=True, slots=True)
class Directory:
    """Company <-> organization (1:1) and company -> firm, in company creation order."""

    entries: tuple[DirectoryEntry, ...]
    _by_company: dict[str, DirectoryEntry] = field(init=False, repr=False, compare=False)
    _by_organization: dict[str, DirectoryEntry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_company = {entry.company_id: entry for entry in self.entries}
        by_organization = {entry.organization_id: entry for entry in self.entries}
        assert len(by_company) == len(by_organization) == len(self.entries), "not 1:1"
        object.__setattr__(self, "_by_company", by_company)
        object.__setattr__(self, "_by_organization", by_organization)

    @classmethod
    def of(cls, rows: Iterable[tuple[str, str, str]]) -> Directory:
        """From `(company_id, organization_id, firm_id)` rows."""
        return cls(tuple(DirectoryEntry(*row) for row in rows))

    def company(self, company_id: str) -> DirectoryEntry | None:
        return self._by_company.get(company_id)

    def organization(self, organization_id: str) -> DirectoryEntry | None:
        return self._by_organization.get(organization_id)


def can_reach(caller: Caller, entry: DirectoryEntry) -> bool:
    if caller.kind == "oauth":
        return caller.firm_id is not None and entry.firm_id == caller.firm_id
    return entry.organization_id in caller.organization_ids


def companies_visible_to(caller: Caller, directory: Directory) -> list[str]:
    """Company ids the caller reaches, in directory (creation) order."""
    return [entry.company_id for entry in directory.entries if can_reach(caller, entry)]


def resolve_company_from_path(caller: Caller, company_id: str, directory: Directory) -> str:
    """The company of a `/companies/{companyId}/...` route, or NotFound."""
    entry = directory.company(company_id) if isinstance(company_id, str) else None
    if entry is None or not can_reach(caller, entry):
        raise NotFound("company", str(company_id))
    return entry.company_id


def resolve_company_from_header(
    caller: Caller, organization_id_header: str | None, directory: Directory
) -> str:
    """The company named by `x-organization-id` on a legacy route."""
    organization_id = (organization_id_header or "").strip()
    if not organization_id:
        return _company_without_header(caller, directory)
    entry = directory.organization(organization_id)
    if entry is None or not can_reach(caller, entry):
        raise NotFound("organization", organization_id)
    return entry.company_id


def _company_without_header(caller: Caller, directory: Directory) -> str:
    if caller.kind != "session":
        raise OrganizationHeaderRequired(f"{_describe(caller)} must name the organization")
    if len(caller.organization_ids) != 1:
        count = len(caller.organization_ids)
        raise OrganizationHeaderRequired(f"the signed-in user has {count} organizations")
    (organization_id,) = caller.organization_ids
    entry = directory.organization(organization_id)
    if entry is None:
        raise NotFound("organization", organization_id)
    return entry.company_id


def _describe(caller: Caller) -> str:
    return "an API key" if caller.kind == "api_key" else "an OAuth access token"
