"""OAuth 2.0 authorization server: Authorization Code + PKCE (S256 only), refresh-token
rotation, RFC 8414 metadata. Pure logic: the caller passes `now_s` (unix seconds).

In the sandbox the authorize step approves at once, as the owner of the client's firm.
Issued access tokens go into the `CredentialStore`, so they authenticate API calls for that
firm. The HTTP layer answers token responses with `Cache-Control: no-store`.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from mock_server.auth.bounded import make_room
from mock_server.auth.credentials import CredentialStore
from mock_server.auth.errors import CapacityReached
from mock_server.auth.oauth_client import DEFAULT_SCOPES, OAuthClient
from mock_server.auth.oauth_grants import (
    VERIFIER_PATTERN, AuthorizationCode, AuthorizeRefused,
    RefreshToken, TokenError, new_code, new_grant_id, new_refresh_token, verifier_matches,
)
from mock_server.auth.oauth_requests import (
    PARAMETER_LENGTH_MAX, Form, authorize_request_error, expect_grant_type, form_value,
    redirect_to,
)
from mock_server.auth.oauth_token import AccessToken, new_token

CODE_TTL_S = 60
CODE_MEMORY_S = 600
ACCESS_TOKEN_TTL_S = 3600
REFRESH_TOKEN_TTL_S = 30 * 24 * 3600
CODES_MAX = 1_000
REFRESH_TOKENS_MAX = 20_000


def metadata(issuer: str, scopes: tuple[str, ...] = DEFAULT_SCOPES) -> dict[str, Any]:
    """Authorization-server metadata (RFC 8414), served at
    `/.well-known/oauth-authorization-server`."""
    issuer = issuer.rstrip("/")
    return {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/api/oauth/authorize",
        "token_endpoint": f"{issuer}/api/oauth/token",
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["none"],
        "scopes_supported": list(scopes),
    }


class AuthorizationServer:
    """Live codes and refresh tokens, both bounded (a full table drops its oldest issued
    rows, so a flood never locks the next user out); access tokens live in `store`."""

    def __init__(self, store: CredentialStore, code_ttl_s: float = CODE_TTL_S,
                 access_token_ttl_s: int = ACCESS_TOKEN_TTL_S,
                 refresh_token_ttl_s: float = REFRESH_TOKEN_TTL_S,
                 resources: tuple[str, ...] = ()) -> None:
        self.store = store
        self.resources = resources      # RFC 8707: the only `resource` values accepted
        self.code_ttl_s = code_ttl_s
        self.access_token_ttl_s = access_token_ttl_s
        self.refresh_token_ttl_s = refresh_token_ttl_s
        self.codes: dict[str, AuthorizationCode] = {}
        self.refresh_tokens: dict[str, RefreshToken] = {}
        self.codes_max = CODES_MAX
        self.refresh_tokens_max = REFRESH_TOKENS_MAX

    # -- /api/oauth/authorize ------------------------------------------------------------

    def authorize(self, client_id: str | None, redirect_uri: str | None,
                  response_type: str | None, code_challenge: str | None,
                  code_challenge_method: str | None, state: str | None,
                  scope: str | None, now_s: float,
                  approver: tuple[str, str | None] | None = None,
                  resource: str | None = None) -> str:
        """The URL to redirect the user agent to: `code` and `state`, or `error` and
        `state`. Raises AuthorizeRefused when redirecting would be unsafe. `approver`
        (firm_id, user_id): who approves, e.g. a signed-in session's user; default the
        owner of the client's firm (CredentialStore.approver)."""
        redirect_uri, state = redirect_uri or None, state or None   # "" counts as absent
        client = self._client_for_authorize(client_id)
        target = self._redirect_target(client, redirect_uri)
        granted_scope, scope_error = self._granted_scope(client, scope)
        if approver is not None and client.firm_id not in (None, approver[0]):
            approver = None     # a client tied to another firm: that firm must approve
        approver = approver or self.store.approver(client)
        no_approver = ("access_denied", "No firm owner can approve this client.")
        error = (authorize_request_error(response_type, code_challenge, code_challenge_method,
                                         state) or scope_error or self._target_error(resource)
                 or (no_approver if approver is None else None))
        if error or approver is None:
            error = error or no_approver
            state = state if state is None or len(state) <= PARAMETER_LENGTH_MAX else None
            return redirect_to(target, {"error": error[0], "error_description": error[1],
                                        "state": state})
        code = AuthorizationCode(
            code=new_code(), client_id=client.client_id, redirect_uri=redirect_uri,
            code_challenge=str(code_challenge), scope=granted_scope, firm_id=approver[0],
            user_id=approver[1], resource=resource or None,
            expires_at_s=now_s + self.code_ttl_s, forget_at_s=now_s + CODE_MEMORY_S,
        )
        make_room(self.codes, self.codes_max, "authorization codes")
        self.codes[code.code] = code
        return redirect_to(target, {"code": code.code, "state": state})

    def redirect_target(self, client_id: str | None, redirect_uri: str | None) -> str:
        """Where a decision on this request goes; raises AuthorizeRefused when the client
        or redirect URI is unknown (checked before a consent page is shown)."""
        client = self._client_for_authorize(client_id)
        return self._redirect_target(client, redirect_uri or None)

    def _client_for_authorize(self, client_id: str | None) -> OAuthClient:
        client = self.store.clients.get(client_id) if isinstance(client_id, str) else None
        if client is None:
            raise AuthorizeRefused("invalid_client", "Unknown client_id.")
        return client

    def _redirect_target(self, client: OAuthClient, redirect_uri: str | None) -> str:
        if redirect_uri is None and len(client.redirect_uris) == 1:
            return client.redirect_uris[0]
        if redirect_uri is None:
            raise AuthorizeRefused("invalid_request", "redirect_uri is required for this client.")
        if redirect_uri not in client.redirect_uris:
            raise AuthorizeRefused("invalid_request",
                                   "redirect_uri does not match a registered redirect URI.")
        return redirect_uri

    def _granted_scope(self, client: OAuthClient,
                       scope: str | None) -> tuple[str, tuple[str, str] | None]:
        wanted = (scope or "").split() or list(client.scopes)
        unknown = [name for name in wanted if name not in client.scopes]
        if unknown:
            return "", ("invalid_scope", f"Unknown scope(s): {' '.join(unknown)[:200]}.")
        return " ".join(dict.fromkeys(wanted)), None

    def _target_error(self, resource: str | None, bound: str | None = None
                      ) -> tuple[str, str] | None:
        """RFC 8707: a resource of this sandbox, and within the grant's when it is bound."""
        if not resource:
            return None
        if resource not in self.resources or bound not in (None, resource):
            allowed = " or ".join([bound] if bound else self.resources)
            return "invalid_target", f"resource must be {allowed}."[:PARAMETER_LENGTH_MAX]
        return None

    def _resource_for_token(self, form: Form, bound: str | None) -> str | None:
        resource = form_value(form, "resource")
        error = self._target_error(resource, bound)
        if error:
            raise TokenError(*error)
        return resource or bound

    def firm_of_authorize(self, client_id: str | None,
                          approver: tuple[str, str | None] | None) -> str | None:
        """The firm that approves this request (whose sandbox clock dates its code)."""
        client = self.store.clients.get(client_id) if isinstance(client_id, str) else None
        if client is None:
            return None
        if approver is not None and client.firm_id in (None, approver[0]):
            return approver[0]
        found = self.store.approver(client)
        return found[0] if found is not None else None

    def firm_of_grant(self, form: Form) -> str | None:
        """The firm of the form's code or refresh token (whose sandbox clock says whether it
        has expired); None when it names neither."""
        try:
            code, refresh = form_value(form, "code"), form_value(form, "refresh_token")
        except TokenError:
            return None
        found = (self.codes.get(code) if code else None) or (
            self.refresh_tokens.get(refresh) if refresh else None)
        return found.firm_id if found is not None else None

    # -- /api/oauth/token ------------------------------------------------------------------

    def token(self, form: Form, now_s: float) -> dict[str, Any]:
        """The token endpoint: dispatches on grant_type. Raises TokenError."""
        grant_type = form_value(form, "grant_type")
        if grant_type == "authorization_code":
            return self.exchange_code(form, now_s)
        if grant_type == "refresh_token":
            return self.refresh(form, now_s)
        if grant_type is None:
            raise TokenError("invalid_request", "grant_type is required.")
        raise TokenError("unsupported_grant_type",
                         "grant_type must be authorization_code or refresh_token.")

    def exchange_code(self, form: Form, now_s: float) -> dict[str, Any]:
        """Authorization code + code_verifier -> tokens. A code works once; a reused code
        fails and revokes the tokens it issued (RFC 6749 4.1.2)."""
        expect_grant_type(form, "authorization_code")
        client = self._client_for_token(form)
        code = self._usable_code(form, client, now_s)
        verifier = form_value(form, "code_verifier")
        if verifier is None:
            raise TokenError("invalid_request", "code_verifier is required (PKCE).")
        if not VERIFIER_PATTERN.fullmatch(verifier):
            raise TokenError("invalid_request", "code_verifier must be 43-128 characters "
                             "of [A-Za-z0-9-._~] (RFC 7636 4.1).")
        if not verifier_matches(verifier, code.code_challenge):
            raise TokenError("invalid_grant", "code_verifier does not match the code_challenge.")
        resource = self._resource_for_token(form, code.resource)
        # Nothing was written above; issuing marks the code used.
        grant_id = new_grant_id()
        response = self._issue(grant_id, client, code.firm_id, code.user_id, code.scope, now_s,
                               resource, code.resource)
        self.codes[code.code] = replace(code, grant_id=grant_id)
        return response

    def _usable_code(self, form: Form, client: OAuthClient, now_s: float) -> AuthorizationCode:
        value = form_value(form, "code")
        if value is None:
            raise TokenError("invalid_request", "code is required.")
        code = self.codes.get(value)
        if code is None or now_s >= code.forget_at_s:
            raise TokenError("invalid_grant", "Unknown or expired authorization code.")
        if code.grant_id is not None:
            self.revoke_grant(code.grant_id)
            raise TokenError("invalid_grant", "Authorization code already used; the tokens "
                             "it issued are revoked. Start a new authorization.")
        if now_s >= code.expires_at_s:
            raise TokenError("invalid_grant", "Unknown or expired authorization code.")
        if code.client_id != client.client_id:
            raise TokenError("invalid_grant", "The code was issued to another client.")
        if form_value(form, "redirect_uri") != code.redirect_uri:
            raise TokenError("invalid_grant", "redirect_uri differs from the authorization "
                             "request's.")
        return code

    def refresh(self, form: Form, now_s: float) -> dict[str, Any]:
        """Refresh token -> new access token and a new refresh token (rotation: the old one
        stops working; presenting it again revokes the whole grant)."""
        expect_grant_type(form, "refresh_token")
        client = self._client_for_token(form)
        value = form_value(form, "refresh_token")
        if value is None:
            raise TokenError("invalid_request", "refresh_token is required.")
        old = self.refresh_tokens.get(value)
        if old is None or now_s >= old.expires_at_s or old.client_id != client.client_id:
            raise TokenError("invalid_grant", "Unknown, expired or revoked refresh token.")
        if old.rotated:
            self.revoke_grant(old.grant_id)
            raise TokenError("invalid_grant", "Refresh token already used; the grant is "
                             "revoked. Start a new authorization.")
        scope = form_value(form, "scope")
        if scope is not None and not set(scope.split()) <= set(old.scope.split()):
            raise TokenError("invalid_scope", "scope must not exceed the original grant.")
        resource = self._resource_for_token(form, old.resource)
        response = self._issue(old.grant_id, client, old.firm_id, old.user_id,
                               " ".join(scope.split()) if scope else old.scope, now_s, resource,
                               old.resource)
        self.refresh_tokens[value] = replace(old, rotated=True)
        return response

    def _client_for_token(self, form: Form) -> OAuthClient:
        client_id = form_value(form, "client_id")
        client = self.store.clients.get(client_id) if client_id else None
        if client is None:
            raise TokenError("invalid_client", "Unknown or missing client_id.")
        return client

    def _issue(self, grant_id: str, client: OAuthClient, firm_id: str, user_id: str | None,
               scope: str, now_s: float, resource: str | None = None,
               grant_resource: str | None = None) -> dict[str, Any]:
        access = AccessToken(new_token(), firm_id, now_s + self.access_token_ttl_s,
                             grant_id, user_id, client.client_id, resource)
        try:
            self.store.add_access_token(access, now_s)
        except CapacityReached as full:
            raise TokenError("temporarily_unavailable", full.message) from full
        refresh = RefreshToken(new_refresh_token(), grant_id, client.client_id, firm_id,
                               user_id, scope, now_s + self.refresh_token_ttl_s,
                               resource=grant_resource)
        make_room(self.refresh_tokens, self.refresh_tokens_max, "refresh tokens")
        self.refresh_tokens[refresh.token] = refresh
        return {"access_token": access.token, "token_type": "Bearer",
                "expires_in": self.access_token_ttl_s, "refresh_token": refresh.token,
                "scope": scope}

    def revoke_grant(self, grant_id: str) -> None:
        """Revoke every access and refresh token of one grant."""
        self.store.revoke_grant(grant_id)
        self.refresh_tokens = {
            k: t for k, t in self.refresh_tokens.items() if t.grant_id != grant_id
        }
