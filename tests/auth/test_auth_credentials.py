from __future__ import annotations

import datetime as dt

import pytest

from mock_server.auth.caller import Caller
from mock_server.auth.credentials import CREDENTIAL_BY_PREFIX, CredentialStore, bearer_token

NOW_S = 2_000_000_000.0


def test_firm_token_resolves_to_its_firm(store: CredentialStore) -> None:
    caller = store.resolve_bearer("mcp_at_sandbox_summit_firm_token", NOW_S)
    assert caller == Caller("oauth", "firm_summit",
                            frozenset({"org_brightpixel", "org_harborcoffee"}), None)


def test_api_key_resolves_to_one_organization(store: CredentialStore) -> None:
    caller = store.resolve_bearer("dk_live_sandbox_brightpixel_key", NOW_S)
    assert caller == Caller("api_key", None, frozenset({"org_brightpixel"}), None)


def test_session_cookie_resolves_to_its_user(store: CredentialStore) -> None:
    caller = store.resolve_cookie("sess_sandbox_summit_owner", NOW_S)
    assert caller is not None and caller.kind == "session"
    assert caller.user_id == "user_summit_owner" and caller.firm_id == "firm_summit"
    assert caller.organization_ids == {"org_brightpixel", "org_harborcoffee"}


@pytest.mark.parametrize("token", [
    "", "mcp_at_unknown", "dk_live_unknown", "sess_sandbox_summit_owner", "Bearer x",
    "mcp_at_sandbox_expired", "mcp_at_" + "a" * 600,
])
def test_unknown_expired_or_misplaced_bearer_is_none(store: CredentialStore, token: str) -> None:
    assert store.resolve_bearer(token, NOW_S) is None


def test_cookie_accepts_sessions_only(store: CredentialStore) -> None:
    assert store.resolve_cookie("mcp_at_sandbox_summit_firm_token", NOW_S) is None
    assert store.resolve_cookie("sess_unknown", NOW_S) is None


def test_added_session_authenticates_until_it_expires(store: CredentialStore) -> None:
    created = store.add_session("user_cedar_bookkeeper", NOW_S, ttl_s=60)
    assert created.id.startswith("sess_")
    caller = store.resolve_cookie(created.id, NOW_S + 59)
    assert caller == Caller("session", None, frozenset({"org_cedarplumbing"}),
                            "user_cedar_bookkeeper")
    assert store.resolve_cookie(created.id, NOW_S + 60) is None
    with pytest.raises(ValueError):
        store.add_session("user_nobody", NOW_S)


def test_expiry_may_be_unix_seconds_datetime_or_iso_text() -> None:
    rows = [{"token": f"mcp_at_{n}", "firmId": "firm_a", "expiresAt": expires_at}
            for n, expires_at in enumerate([
                1_000.0, dt.datetime(2001, 1, 1, tzinfo=dt.timezone.utc), "2001-01-01T00:00:00Z",
            ])]
    store = CredentialStore(firms=[{"id": "firm_a", "organizationIds": []}], access_tokens=rows)
    assert [store.resolve_bearer(row["token"], NOW_S) for row in rows] == [None] * 3
    assert all(store.resolve_bearer(row["token"], 999.0) for row in rows)


def test_table_has_one_resolver_per_bearer_kind() -> None:
    assert set(CREDENTIAL_BY_PREFIX) == {"mcp_at_", "dk_live_"}


@pytest.mark.parametrize(("header", "token"), [
    ("Bearer abc", "abc"), ("bearer  abc ", "abc"), ("Basic abc", None), ("Bearer", None),
    (None, None),
])
def test_bearer_token_parses_the_authorization_header(header: str | None,
                                                      token: str | None) -> None:
    assert bearer_token(header) == token


def test_rows_naming_unknown_firms_or_bad_prefixes_are_refused() -> None:
    with pytest.raises(ValueError, match="firm_ghost"):
        CredentialStore(access_tokens=[{"token": "mcp_at_x", "firmId": "firm_ghost"}])
    with pytest.raises(ValueError, match="dk_live_"):
        CredentialStore(api_keys=[{"key": "sk_x", "organizationId": "org_x"}])
    with pytest.raises(ValueError, match="org_x"):
        CredentialStore(api_keys=[{"key": "dk_live_x", "organizationId": "org_x"}])
    with pytest.raises(ValueError, match="user_ghost"):
        CredentialStore(sessions=[{"id": "sess_x", "userId": "user_ghost"}])


def test_fixture_clients_and_tokens_reach_the_store_whole() -> None:
    """One record per credential kind: the fixture loader builds the auth layer's records, and
    the store built from them keeps an OAuth client's firm and scopes, a token's expiry."""
    import yaml

    from mock_server.fixture_credentials import credential_rows
    from mock_server.ledger import DEFAULT_FIXTURE_PATH, load_sandbox

    data = yaml.safe_load(DEFAULT_FIXTURE_PATH.read_text(encoding="utf-8"))
    data["oauthClients"][0].update(firmId="firm_northgate", scopes=["accounting", "reports"])
    data["firms"][0]["accessTokens"][0]["expiresAt"] = "2033-05-18T03:33:20Z"
    sandbox = load_sandbox(data, dt.datetime(2026, 11, 25, tzinfo=dt.timezone.utc))
    store = CredentialStore.from_data(credential_rows(sandbox))
    client = store.clients[data["oauthClients"][0]["clientId"]]
    assert (client.firm_id, client.scopes) == ("firm_northgate", ("accounting", "reports"))
    assert store.approver(client)[0] == "firm_northgate"
    token = data["firms"][0]["accessTokens"][0]["token"]
    assert store.access_tokens[token] == sandbox.access_tokens[token]
    assert store.access_tokens[token].expires_at_s == 2_000_000_000.0
