from __future__ import annotations

import base64
import hashlib
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from mock_server.auth.credentials import CredentialStore
from mock_server.auth.oauth import AuthorizationServer, metadata
from mock_server.auth.oauth_grants import AuthorizeRefused, TokenError

NOW_S = 2_000_000_000.0
CLIENT_ID = "lhq_client_sandbox"                        # as in conftest.CREDENTIAL_DATA
REDIRECT_URI = "http://127.0.0.1:8765/callback"
VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"       # RFC 7636 appendix B
CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def authorize(server: AuthorizationServer, **overrides: Any) -> dict[str, list[str]]:
    params = dict(client_id=CLIENT_ID, redirect_uri=REDIRECT_URI, response_type="code",
                  code_challenge=CHALLENGE, code_challenge_method="S256", state="xyz",
                  scope=None, now_s=NOW_S)
    params.update(overrides)
    url = server.authorize(**params)
    assert url.startswith(str(params["redirect_uri"] or REDIRECT_URI) + "?")
    return parse_qs(urlsplit(url).query)


def code_form(code: str, **overrides: str) -> dict[str, str]:
    form = {"grant_type": "authorization_code", "code": code, "code_verifier": VERIFIER,
            "client_id": CLIENT_ID, "redirect_uri": REDIRECT_URI}
    form.update(overrides)
    return {name: value for name, value in form.items() if value is not None}


def token_error(call: Any, *args: Any) -> TokenError:
    with pytest.raises(TokenError) as raised:
        call(*args)
    return raised.value


@pytest.fixture
def server(store: CredentialStore) -> AuthorizationServer:
    return AuthorizationServer(store)


def test_s256_of_the_rfc_example_matches() -> None:
    digest = hashlib.sha256(VERIFIER.encode()).digest()
    assert base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == CHALLENGE


def test_pkce_happy_path_issues_a_token_for_the_clients_firm(
        server: AuthorizationServer, store: CredentialStore) -> None:
    query = authorize(server)
    assert query["state"] == ["xyz"]
    tokens = server.token(code_form(query["code"][0]), NOW_S + 5)
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 3600
    assert tokens["access_token"].startswith("mcp_at_")
    assert tokens["refresh_token"].startswith("mcp_rt_")
    assert tokens["scope"] == "accounting"
    caller = store.resolve_bearer(tokens["access_token"], NOW_S + 5)
    assert caller is not None and caller.kind == "oauth" and caller.firm_id == "firm_summit"
    assert caller.user_id == "user_summit_owner"
    assert store.resolve_bearer(tokens["access_token"], NOW_S + 5 + 3600) is None


@pytest.mark.parametrize("method", ["plain", None, "S512"])
def test_methods_other_than_s256_redirect_with_invalid_request(
        server: AuthorizationServer, method: str | None) -> None:
    query = authorize(server, code_challenge_method=method, code_challenge=VERIFIER)
    assert query["error"] == ["invalid_request"] and query["state"] == ["xyz"]
    assert "code" not in query


def test_other_authorize_errors_redirect_with_error_and_state(
        server: AuthorizationServer) -> None:
    assert authorize(server, response_type="token")["error"] == ["unsupported_response_type"]
    assert authorize(server, code_challenge=None)["error"] == ["invalid_request"]
    assert authorize(server, scope="admin:all")["error"] == ["invalid_scope"]


@pytest.mark.parametrize(("client_id", "redirect_uri"), [
    ("lhq_client_unknown", REDIRECT_URI),
    (None, REDIRECT_URI),
    (CLIENT_ID, "http://127.0.0.1:8765/callback/evil"),
    (CLIENT_ID, "https://attacker.example/callback"),
])
def test_unknown_client_or_redirect_mismatch_never_redirects(
        server: AuthorizationServer, client_id: str | None, redirect_uri: str) -> None:
    with pytest.raises(AuthorizeRefused):
        server.authorize(client_id, redirect_uri, "code", CHALLENGE, "S256", "xyz", None, NOW_S)
    assert server.codes == {}


def test_wrong_verifier_is_invalid_grant(server: AuthorizationServer) -> None:
    code = authorize(server)["code"][0]
    error = token_error(server.token, code_form(code, code_verifier="x" * 43), NOW_S)
    assert error.body()["error"] == "invalid_grant" and error.status == 400
    assert server.token(code_form(code), NOW_S)["access_token"]


def test_reused_code_is_refused_and_revokes_its_tokens(
        server: AuthorizationServer, store: CredentialStore) -> None:
    code = authorize(server)["code"][0]
    tokens = server.token(code_form(code), NOW_S)
    error = token_error(server.token, code_form(code), NOW_S + 1)
    assert error.error == "invalid_grant"
    assert store.resolve_bearer(tokens["access_token"], NOW_S + 1) is None
    refresh_form = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"],
                    "client_id": CLIENT_ID}
    assert token_error(server.token, refresh_form, NOW_S + 1).error == "invalid_grant"


def test_expired_code_is_invalid_grant(server: AuthorizationServer) -> None:
    code = authorize(server)["code"][0]
    assert token_error(server.token, code_form(code), NOW_S + 60).error == "invalid_grant"


def test_token_request_must_repeat_client_and_redirect_uri(
        server: AuthorizationServer) -> None:
    code = authorize(server)["code"][0]
    other_uri = code_form(code, redirect_uri="http://127.0.0.1:8765/other")
    assert token_error(server.token, other_uri, NOW_S).error == "invalid_grant"
    unknown_client = token_error(server.token, code_form(code, client_id="nobody"), NOW_S)
    assert (unknown_client.error, unknown_client.status) == ("invalid_client", 401)
    no_verifier = code_form(code, code_verifier=None)   # type: ignore[arg-type]
    assert token_error(server.token, no_verifier, NOW_S).error == "invalid_request"


def test_grant_type_is_checked(server: AuthorizationServer) -> None:
    assert token_error(server.token, {"grant_type": "password"}, NOW_S).error == \
        "unsupported_grant_type"
    assert token_error(server.token, {}, NOW_S).error == "invalid_request"
    code = authorize(server)["code"][0]
    wrong = code_form(code, grant_type="refresh_token")
    assert token_error(server.exchange_code, wrong, NOW_S).error == "unsupported_grant_type"


def test_refresh_rotates_and_the_old_refresh_token_is_refused(
        server: AuthorizationServer, store: CredentialStore) -> None:
    first = server.token(code_form(authorize(server)["code"][0]), NOW_S)
    form = {"grant_type": "refresh_token", "refresh_token": first["refresh_token"],
            "client_id": CLIENT_ID}
    second = server.token(form, NOW_S + 10)
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert store.resolve_bearer(second["access_token"], NOW_S + 10) is not None
    assert token_error(server.token, form, NOW_S + 20).error == "invalid_grant"
    # Presenting a rotated refresh token revokes the grant (OAuth 2.0 Security BCP 4.14).
    assert store.resolve_bearer(second["access_token"], NOW_S + 20) is None


def test_refresh_may_narrow_but_not_widen_the_scope() -> None:
    store = CredentialStore(
        firms=[{"id": "firm_a", "organizationIds": ["org_a"]}],
        users=[{"id": "user_a", "firmId": "firm_a", "organizationIds": ["org_a"]}],
        oauth_clients=[{"clientId": CLIENT_ID, "redirectUris": [REDIRECT_URI],
                        "scopes": ["ledger:read", "ledger:write"]}])
    server = AuthorizationServer(store)
    first = server.token(code_form(authorize(server, scope="ledger:read")["code"][0]), NOW_S)
    form = {"grant_type": "refresh_token", "refresh_token": first["refresh_token"],
            "client_id": CLIENT_ID, "scope": "ledger:read ledger:write"}
    assert token_error(server.token, form, NOW_S).error == "invalid_scope"
    assert server.token({**form, "scope": "ledger:read"}, NOW_S)["scope"] == "ledger:read"


def test_repeated_form_parameters_are_invalid_request(server: AuthorizationServer) -> None:
    form = {"grant_type": ["authorization_code", "authorization_code"]}
    assert token_error(server.token, form, NOW_S).error == "invalid_request"


def test_metadata_follows_rfc_8414() -> None:
    document = metadata("http://127.0.0.1:8080/")
    assert document["issuer"] == "http://127.0.0.1:8080"
    assert document["authorization_endpoint"] == "http://127.0.0.1:8080/api/oauth/authorize"
    assert document["token_endpoint"] == "http://127.0.0.1:8080/api/oauth/token"
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert document["grant_types_supported"] == ["authorization_code", "refresh_token"]
    assert document["response_types_supported"] == ["code"]
    assert document["token_endpoint_auth_methods_supported"] == ["none"]


def test_a_client_tied_to_a_firm_gets_tokens_for_that_firm() -> None:
    store = CredentialStore(
        firms=[{"id": "firm_a", "organizationIds": ["org_a"]},
               {"id": "firm_b", "organizationIds": ["org_b"]}],
        users=[{"id": "user_a", "firmId": "firm_a", "organizationIds": ["org_a"]}],
        oauth_clients=[{"clientId": CLIENT_ID, "redirectUris": [REDIRECT_URI],
                        "firmId": "firm_b"}],
    )
    server = AuthorizationServer(store)
    tokens = server.token(code_form(authorize(server)["code"][0]), NOW_S)
    caller = store.resolve_bearer(tokens["access_token"], NOW_S)
    assert caller is not None and (caller.firm_id, caller.user_id) == ("firm_b", None)
    assert caller.organization_ids == {"org_b"}


def test_without_any_firm_owner_authorize_redirects_access_denied() -> None:
    store = CredentialStore(oauth_clients=[{"clientId": CLIENT_ID,
                                            "redirectUris": [REDIRECT_URI]}])
    assert authorize(AuthorizationServer(store))["error"] == ["access_denied"]


def test_a_signed_in_approver_gets_tokens_for_their_firm(store: CredentialStore) -> None:
    server = AuthorizationServer(store)
    url = server.authorize(CLIENT_ID, REDIRECT_URI, "code", CHALLENGE, "S256", "xyz", None, NOW_S,
                           approver=("firm_northgate", None))
    tokens = server.token(code_form(parse_qs(urlsplit(url).query)["code"][0]), NOW_S)
    caller = store.resolve_bearer(tokens["access_token"], NOW_S)
    assert caller is not None and caller.organization_ids == {"org_cedarplumbing"}


def test_redirect_target_checks_client_and_uri_before_any_page(server: AuthorizationServer) -> None:
    assert server.redirect_target(CLIENT_ID, None) == REDIRECT_URI
    for client_id, uri in (("nobody", REDIRECT_URI), (CLIENT_ID, "http://127.0.0.1:9/x")):
        with pytest.raises(AuthorizeRefused):
            server.redirect_target(client_id, uri)
