from __future__ import annotations

import pytest

from mock_server.auth.caller import Caller
from mock_server.auth.credentials import CredentialStore
from mock_server.auth.errors import NotFound, OrganizationHeaderRequired
from mock_server.auth.tenancy import (
    Directory, companies_visible_to, resolve_company_from_header, resolve_company_from_path,
)

NOW_S = 2_000_000_000.0


def bearer(store: CredentialStore, token: str) -> Caller:
    caller = store.resolve_bearer(token, NOW_S)
    assert caller is not None
    return caller


def cookie(store: CredentialStore, value: str) -> Caller:
    caller = store.resolve_cookie(value, NOW_S)
    assert caller is not None
    return caller


def test_firm_token_sees_only_its_firms_companies(store: CredentialStore,
                                                  directory: Directory) -> None:
    summit = bearer(store, "mcp_at_sandbox_summit_firm_token")
    northgate = bearer(store, "mcp_at_sandbox_northgate_firm_token")
    assert companies_visible_to(summit, directory) == ["cmp_brightpixel", "cmp_harborcoffee"]
    assert companies_visible_to(northgate, directory) == ["cmp_cedarplumbing"]
    assert resolve_company_from_path(summit, "cmp_harborcoffee", directory) == "cmp_harborcoffee"
    with pytest.raises(NotFound):
        resolve_company_from_path(summit, "cmp_cedarplumbing", directory)


def test_unknown_and_foreign_companies_get_the_same_answer(store: CredentialStore,
                                                           directory: Directory) -> None:
    summit = bearer(store, "mcp_at_sandbox_summit_firm_token")
    messages = []
    for company_id in ("cmp_cedarplumbing", "cmp_nope", "..", "%00"):
        with pytest.raises(NotFound) as raised:
            resolve_company_from_path(summit, company_id, directory)
        assert raised.value.kind == "NOT_FOUND"
        messages.append(raised.value.message.replace(repr(company_id), "<id>"))
    assert len(set(messages)) == 1


def test_api_key_with_its_own_organization(store: CredentialStore,
                                           directory: Directory) -> None:
    key = bearer(store, "dk_live_sandbox_brightpixel_key")
    assert resolve_company_from_header(key, "org_brightpixel", directory) == "cmp_brightpixel"
    assert companies_visible_to(key, directory) == ["cmp_brightpixel"]


def test_api_key_with_another_organization_is_not_found(store: CredentialStore,
                                                        directory: Directory) -> None:
    key = bearer(store, "dk_live_sandbox_brightpixel_key")
    for organization_id in ("org_harborcoffee", "org_cedarplumbing", "org_unknown"):
        with pytest.raises(NotFound):
            resolve_company_from_header(key, organization_id, directory)
    with pytest.raises(NotFound):
        resolve_company_from_path(key, "cmp_harborcoffee", directory)


@pytest.mark.parametrize("token", ["dk_live_sandbox_brightpixel_key",
                                   "mcp_at_sandbox_summit_firm_token"])
@pytest.mark.parametrize("header", [None, "", "  "])
def test_tokens_and_keys_must_send_the_organization_header(
        store: CredentialStore, directory: Directory, token: str, header: str | None) -> None:
    with pytest.raises(OrganizationHeaderRequired) as raised:
        resolve_company_from_header(bearer(store, token), header, directory)
    assert raised.value.kind == "VALIDATION_ERROR"
    assert raised.value.details == [("x-organization-id", "required")]


def test_session_with_one_organization_may_omit_the_header(store: CredentialStore,
                                                           directory: Directory) -> None:
    session = cookie(store, "sess_sandbox_cedar_bookkeeper")
    assert resolve_company_from_header(session, None, directory) == "cmp_cedarplumbing"
    with pytest.raises(NotFound):
        resolve_company_from_header(session, "org_brightpixel", directory)


def test_session_with_several_organizations_must_name_one(store: CredentialStore,
                                                          directory: Directory) -> None:
    session = cookie(store, "sess_sandbox_summit_owner")
    with pytest.raises(OrganizationHeaderRequired):
        resolve_company_from_header(session, None, directory)
    assert resolve_company_from_header(session, "org_harborcoffee", directory) == \
        "cmp_harborcoffee"
    with pytest.raises(NotFound):
        resolve_company_from_header(session, "org_cedarplumbing", directory)


def test_firm_token_on_legacy_routes_names_any_of_its_organizations(
        store: CredentialStore, directory: Directory) -> None:
    summit = bearer(store, "mcp_at_sandbox_summit_firm_token")
    assert resolve_company_from_header(summit, "org_brightpixel", directory) == "cmp_brightpixel"
    with pytest.raises(NotFound):
        resolve_company_from_header(summit, "org_cedarplumbing", directory)
