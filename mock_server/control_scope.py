"""Whose data a sandbox control changes: one firm's credential never changes what another
firm sees. Web-free: the sandbox state calls these with its directory and data.

A control acts on the caller's firm: an OAuth token's firm, a session user's firm, or, for
an API key (or a session of a user without a firm), the one firm that manages its
organizations. What replaces every tenant's data at once needs the admin key, whose caller
is `ADMIN` (kind "admin", no firm, reaching no company's partner routes).
"""

from __future__ import annotations

import hmac
import os
import secrets
from dataclasses import replace

from mock_server.auth.caller import Caller
from mock_server.auth.errors import NotFound
from mock_server.auth.tenancy import Directory
from mock_server.domain_error import DomainError
from mock_server.error_kinds import ErrorKind
from mock_server.ledger.errors import Unprocessable
from mock_server.ledger.fixtures import Sandbox

ADMIN = Caller("admin", None, frozenset(), None)
ADMIN_HEADER = "x-admin-key"                   # the contract's `adminKey` scheme
ADMIN_KEY_ENV = "LEDGERHQ_SANDBOX_ADMIN_KEY"
ADMIN_KEY_PREFIX = "lhq_admin_"
ADMIN_KEY_CHARS_MAX = 256


class NoFirm(DomainError):
    """A credential that acts for no single firm (403): controls need one, or the admin key."""

    kind = ErrorKind.FORBIDDEN

    def __init__(self) -> None:
        super().__init__("This credential acts for no single firm, so it cannot use this sandbox "
                         "control: use a firm's access token, or the sandbox's admin key (X-Admin-Key).")


def admin_key_from(given: str | None = None) -> str:
    """The admin key: as given, else the environment's, else a new random one."""
    key = given or os.environ.get(ADMIN_KEY_ENV) or ADMIN_KEY_PREFIX + secrets.token_hex(16)
    if not 16 <= len(key) <= ADMIN_KEY_CHARS_MAX or not key.isprintable() or " " in key:
        raise ValueError(f"the admin key must be 16-{ADMIN_KEY_CHARS_MAX} visible characters")
    return key


def admin_caller(admin_key: str, presented: str | None) -> Caller | None:
    """ADMIN when `presented` is the admin key; None (401) otherwise."""
    if not presented or len(presented) > ADMIN_KEY_CHARS_MAX:
        return None
    return ADMIN if hmac.compare_digest(presented.encode(), admin_key.encode()) else None


def firm_of(caller: Caller, directory: Directory) -> str | None:
    """The firm a control acts on; None for the admin key (every firm). Raises NoFirm."""
    if caller.kind == "admin":
        return None
    if caller.firm_id is not None:
        return caller.firm_id
    firms = {entry.firm_id for org in caller.organization_ids
             if (entry := directory.organization(org)) is not None}
    if len(firms) != 1:
        raise NoFirm()
    return firms.pop()


def firm_company_ids(directory: Directory, firm_id: str) -> list[str]:
    return [entry.company_id for entry in directory.entries if entry.firm_id == firm_id]


def companies_to_reset(directory: Directory, firm_id: str, fresh: Sandbox) -> list[str]:
    """The firm's companies that `fresh` (the start-up fixtures) holds as the same tenant."""
    return [company_id for company_id in firm_company_ids(directory, firm_id)
            if _same_tenant(directory, fresh, company_id)]


def companies_to_load(directory: Directory, firm_id: str, incoming: Sandbox) -> list[str]:
    """Every company of a fixture file loaded by a firm: each must be one of the firm's
    companies, with its organization. Raises NotFound (404, existence not revealed) or
    Unprocessable (422) before anything changes."""
    for company_id in incoming.companies:
        entry = directory.company(company_id)
        if entry is None or entry.firm_id != firm_id:
            raise NotFound("company", company_id)
        if not _same_tenant(directory, incoming, company_id):
            books = incoming.companies[company_id]
            raise Unprocessable(f"Company {company_id!r} belongs to organization {entry.organization_id!r} "
                                f"of firm {entry.firm_id!r}; the file says "
                                f"{books.company.organization_id!r} of {books.company.firm_id!r}.",
                                field=f"companies[{company_id}]", issue="tenancy differs")
    return list(incoming.companies)


def swap_books(data: Sandbox, incoming: Sandbox, company_ids: list[str]) -> None:
    """Put `incoming`'s books of these companies in `data`, each keeping its place in lists."""
    for company_id in company_ids:
        books = incoming.companies[company_id]
        books.company = replace(books.company, seq=data.companies[company_id].company.seq)
        data.companies[company_id] = books


def _same_tenant(directory: Directory, other: Sandbox, company_id: str) -> bool:
    entry, books = directory.company(company_id), other.companies.get(company_id)
    return (entry is not None and books is not None and books.company.firm_id == entry.firm_id
            and books.company.organization_id == entry.organization_id)

