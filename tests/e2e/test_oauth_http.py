"""OAuth over HTTP (R5): PKCE redirects, the consent page on request, the token endpoint's
form body and RFC 6749 errors, refresh rotation and RFC 8414 metadata."""
from __future__ import annotations

import re
from urllib.parse import urlencode

from tests.e2e.partner_api import (
    CLIENT_ID, REDIRECT_URI, authorize_query, pkce_pair, redirect_query,
)

TOKEN_PATH = "/api/oauth/token"
REST_RESOURCE = "http://127.0.0.1:8080/api/v1"     # the default public URL's two RFC 8707 resources
MCP_RESOURCE = "http://127.0.0.1:8080/api/mcp"


def code_for(client, challenge: str, state: str = "st-1") -> str:
    query = redirect_query(client.get("/api/oauth/authorize", params=authorize_query(challenge, state),
                                      follow_redirects=False))
    assert query["state"] == state
    return query["code"]


def code_form(code: str, verifier: str, **extra: str) -> dict[str, str]:
    return {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI,
            "client_id": CLIENT_ID, "code_verifier": verifier, **extra}


def assert_oauth_error(response, status: int, error: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["error"] == error and response.json()["error_description"]
    assert response.headers["cache-control"] == "no-store"


def test_token_works_at_once_and_unknown_form_fields_are_ignored(client) -> None:
    verifier, challenge = pkce_pair()
    form = code_form(code_for(client, challenge), verifier, client_secret="unused",
                     resource=REST_RESOURCE, audience="anything")
    response = client.post(TOKEN_PATH, data=form)
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    tokens = response.json()
    assert tokens["access_token"].startswith("mcp_at_") and tokens["scope"] == "accounting"
    companies = client.get("/api/v1/companies",
                           headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert {c["id"] for c in companies.json()["data"]} == {"cmp_brightpixel", "cmp_harborcoffee"}
    assert_oauth_error(client.post(TOKEN_PATH, data=form), 400, "invalid_grant")     # single use


def test_token_errors_use_the_rfc_6749_form(client) -> None:
    verifier, challenge = pkce_pair()
    code = code_for(client, challenge)
    other_verifier, _ = pkce_pair()
    assert_oauth_error(client.post(TOKEN_PATH, data=code_form(code, other_verifier)), 400, "invalid_grant")
    assert_oauth_error(client.post(TOKEN_PATH, data={"code": code}), 400, "invalid_request")
    assert_oauth_error(client.post(TOKEN_PATH, data={"grant_type": "password"}), 400,
                       "unsupported_grant_type")
    assert_oauth_error(client.post(TOKEN_PATH, data={"grant_type": "x" * 300}), 400,
                       "unsupported_grant_type")
    unknown = client.post(TOKEN_PATH, data=code_form(code, verifier, client_id="nobody"))
    assert_oauth_error(unknown, 401, "invalid_client")
    assert unknown.headers["www-authenticate"]
    for raw in (b"", b"\x98\x5e", b"grant_type=%98"):    # empty, not UTF-8, bad escape
        response = client.post(TOKEN_PATH, content=raw,
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert response.status_code == 400 and "error_description" in response.json()
    as_json = client.post(TOKEN_PATH, json=code_form(code, verifier))
    assert as_json.status_code == 415 and as_json.json()["error"]["code"] == "UNSUPPORTED_MEDIA_TYPE"


def test_a_parameter_sent_twice_is_refused(client) -> None:
    """RFC 6749 3.2: request parameters must not be included more than once."""
    verifier, challenge = pkce_pair()
    code = code_for(client, challenge)
    form = urlencode(list(code_form(code, verifier).items()) + [("grant_type", "refresh_token")])
    response = client.post(TOKEN_PATH, content=form.encode(),
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_oauth_error(response, 400, "invalid_request")
    assert "grant_type" in response.json()["error_description"]
    assert client.post(TOKEN_PATH, data=code_form(code, verifier)).status_code == 200   # code unspent


def test_refresh_rotates_and_the_old_refresh_token_is_refused(client) -> None:
    verifier, challenge = pkce_pair()
    first = client.post(TOKEN_PATH, data=code_form(code_for(client, challenge), verifier)).json()
    form = {"grant_type": "refresh_token", "refresh_token": first["refresh_token"], "client_id": CLIENT_ID}
    second = client.post(TOKEN_PATH, data=form)
    assert second.status_code == 200
    assert second.json()["refresh_token"] != first["refresh_token"]
    assert_oauth_error(client.post(TOKEN_PATH, data=form), 400, "invalid_grant")


def test_authorize_refuses_unknown_clients_without_redirecting(client) -> None:
    _, challenge = pkce_pair()
    for extra in ({"client_id": "nobody"}, {"redirect_uri": "http://127.0.0.1:9/elsewhere"},
                  {"client_id": "nobody", "prompt": "consent"}):
        response = client.get("/api/oauth/authorize", params={**authorize_query(challenge, "s"), **extra},
                              follow_redirects=False)
        assert response.status_code == 400 and "location" not in response.headers
        assert response.json()["error"] in ("invalid_client", "invalid_request")


def test_consent_page_only_when_asked_and_its_links_decide(client) -> None:
    _, challenge = pkce_pair()
    page = client.get("/api/oauth/authorize",
                      params=authorize_query(challenge, "st-2", prompt="consent"))
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert not re.search(r"<(script|link|img|iframe)\b", page.text)     # no external assets
    approve = re.search(r'id="approve" href="([^"]+)"', page.text).group(1).replace("&amp;", "&")
    deny = re.search(r'id="deny" href="([^"]+)"', page.text).group(1).replace("&amp;", "&")
    assert "prompt" not in approve
    query = redirect_query(client.get(approve, follow_redirects=False))
    assert query["state"] == "st-2" and query["code"]
    assert deny.startswith(REDIRECT_URI + "?") and "error=access_denied" in deny and "state=st-2" in deny


def test_metadata_names_the_configured_origin_whatever_the_host(client) -> None:
    metadata = client.get("/.well-known/oauth-authorization-server").json()
    assert metadata["issuer"] == "http://127.0.0.1:8080"
    assert metadata["token_endpoint"] == "http://127.0.0.1:8080/api/oauth/token"
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    assert metadata["scopes_supported"] == ["accounting"]
    other = client.get("/.well-known/oauth-authorization-server", headers={"Host": "sandbox.test:9000"})
    assert other.json()["authorization_endpoint"] == "http://127.0.0.1:8080/api/oauth/authorize"


def test_a_resource_other_than_the_sandboxs_two_is_invalid_target(client) -> None:
    _, challenge = pkce_pair()
    refused = redirect_query(client.get("/api/oauth/authorize", follow_redirects=False,
                                        params=authorize_query(challenge, "st-t", resource="https://example.test")))
    assert refused["error"] == "invalid_target" and refused["state"] == "st-t" and "code" not in refused
    verifier, challenge = pkce_pair()
    form = code_form(code_for(client, challenge), verifier, resource="https://example.test/api/v1")
    assert_oauth_error(client.post(TOKEN_PATH, data=form), 400, "invalid_target")
    assert client.post(TOKEN_PATH, data={**form, "resource": MCP_RESOURCE}).status_code == 200


def test_a_token_bound_to_one_resource_is_refused_by_the_other(client) -> None:
    verifier, challenge = pkce_pair()
    code = redirect_query(client.get("/api/oauth/authorize", follow_redirects=False, params=authorize_query(
        challenge, "st-m", resource=MCP_RESOURCE)))["code"]
    assert_oauth_error(client.post(TOKEN_PATH, data=code_form(code, verifier, resource=REST_RESOURCE)),
                       400, "invalid_target")          # narrower than the grant only, never another one
    tokens = client.post(TOKEN_PATH, data=code_form(code, verifier)).json()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.get("/api/v1/companies", headers=bearer).status_code == 401
    rest = client.post(TOKEN_PATH, data={"grant_type": "refresh_token", "client_id": CLIENT_ID,
                                         "refresh_token": tokens["refresh_token"], "resource": REST_RESOURCE})
    assert_oauth_error(rest, 400, "invalid_target")


def test_unknown_parameters_are_ignored_as_rfc_6749_says(client) -> None:
    verifier, challenge = pkce_pair()
    params = {**authorize_query(challenge, "st-3"), "nonce": "n-1", "access_type": "offline"}
    query = redirect_query(client.get("/api/oauth/authorize", params=params, follow_redirects=False))
    response = client.post(TOKEN_PATH, params={"tracking": "1"},
                           data=code_form(query["code"], verifier, extra_field="x"))
    assert response.status_code == 200 and response.json()["access_token"].startswith("mcp_at_")
