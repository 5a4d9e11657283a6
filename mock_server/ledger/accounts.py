"""Chart of accounts rules: create, patch, delete (ACCOUNT_IN_USE when it has activity)."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import replace

from mock_server.ledger.errors import AccountCodeTaken, AccountInUse, InvalidField, Unprocessable
from mock_server.ledger.inputs import AccountInput, AccountPatch
from mock_server.ledger.records import ACCOUNT_TYPES, SUBTYPES_BY_TYPE, Account
from mock_server.ledger.requests import parse_text

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,19}$")


def check_type(kind: object, subtype: object | None) -> str:
    """The subtype (the type's default when None); a subtype of another type is 422."""
    if kind not in ACCOUNT_TYPES:
        raise InvalidField("type", f"must be one of {', '.join(ACCOUNT_TYPES)}")
    allowed = SUBTYPES_BY_TYPE[str(kind)]
    if subtype is None:
        return allowed[0]
    if subtype not in allowed:
        raise Unprocessable(f"Subtype {subtype!r} does not fit type {kind}; use one of "
                            f"{', '.join(allowed)}.", "subtype", "does not fit type")
    return str(subtype)


def check_code(code: object, accounts: Mapping[str, Account], own_id: str | None = None) -> str:
    if type(code) is not str or not CODE_PATTERN.match(code):
        raise InvalidField("code", "must be 1..20 letters, digits, '.' or '-'")
    if any(a.code == code and a.id != own_id for a in accounts.values()):
        raise AccountCodeTaken(code)
    return code


def new_account(data: AccountInput, accounts: Mapping[str, Account], account_id: str,
                company_id: str, now: dt.datetime, seq: int) -> Account:
    subtype = check_type(data.type, data.subtype)
    code = check_code(data.code, accounts)
    name = parse_text(data.name, "name", 200)
    description = parse_text(data.description or "", "description", allow_empty=True)
    return Account(account_id, company_id, code, name, data.type, subtype, description,
                   archived=False, created_at=now, updated_at=now, seq=seq)


def patched_account(account: Account, patch: AccountPatch, accounts: Mapping[str, Account],
                    has_activity: bool, now: dt.datetime) -> Account:
    """The account after `patch` (guards only; the caller stores it)."""
    changes: dict[str, object] = {"updated_at": now}
    if patch.code is not None:
        changes["code"] = check_code(patch.code, accounts, own_id=account.id)
    if patch.name is not None:
        changes["name"] = parse_text(patch.name, "name", 200)
    if patch.description is not None:
        changes["description"] = parse_text(patch.description, "description", allow_empty=True)
    if patch.archived is not None:
        if type(patch.archived) is not bool:
            raise InvalidField("archived", "must be true or false")
        if patch.archived and account.bank_account_id is not None:
            raise AccountInUse(account.id, "archive a bank-linked")
        changes["archived"] = patch.archived
    if patch.type is not None and patch.type != account.type:
        if has_activity:
            raise AccountInUse(account.id, "change the type of")
        changes["subtype"] = check_type(patch.type, None)
        changes["type"] = patch.type
    return replace(account, **changes)
