"""Tag `oauth`: Authorization Code with PKCE (S256), RFC 6749 errors, RFC 8414 metadata.

In the sandbox the authorize step approves at once, as the signed-in session's user when a
`ledgerhq_session` cookie is sent, else as the owner of the client's firm, and redirects
with `code` and `state`, so scripts run the flow without a browser. `prompt=consent` asks
for a small consent page instead (approve or deny links, no external assets).
"""

from __future__ import annotations

import html
from urllib.parse import urlencode

from mock_server.api.http import request
from mock_server.auth import oauth
from mock_server.auth.oauth_grants import AuthorizeRefused, TokenError
from mock_server.auth.oauth_requests import redirect_to
from mock_server.service import Write

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
AUTHORIZE_PATH = "/api/oauth/authorize"
CONSENT_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Authorize {client}</title></head>
<body><h1>Authorize {client}</h1>
<p>{client} asks to read and write the books of the companies your firm manages
(scope: {scope}). After you decide, you return to {redirect}.</p>
<p><a id="approve" href="{approve}">Approve</a> <a id="deny" href="{deny}">Deny</a></p>
</body></html>
"""


async def authorize_oauth(service, response_type=None, client_id=None, redirect_uri=None,
                          state=None, code_challenge=None, code_challenge_method=None, scope=None,
                          prompt=None, resource=None):
    server = service.oauth
    query = {"response_type": response_type, "client_id": client_id,
             "redirect_uri": redirect_uri, "state": state, "code_challenge": code_challenge,
             "code_challenge_method": code_challenge_method, "scope": scope, "resource": resource}
    try:
        if prompt == "consent":
            target = server.redirect_target(client_id, redirect_uri)
            return _consent_page(query, target)
        approver = _session_approver(service)
        done = await service.write(Write("authorize_oauth", None, query), lambda: server.authorize(
            client_id, redirect_uri, response_type, code_challenge, code_challenge_method, state,
            scope, service.clock.unix_s(server.firm_of_authorize(client_id, approver)), approver=approver,
            resource=resource))
        location = done.answer
    except AuthorizeRefused as refused:
        return {"error": refused.error, "error_description": refused.description}, 400
    return None, 302, {"Location": location}


async def exchange_oauth_token(service, body=None):
    form = body if isinstance(body, dict) else {}
    try:
        done = await service.write(Write("exchange_oauth_token", None, _grant_type(form)),
                                   lambda: service.oauth.token(form, grant_now_s(service, form)))
        tokens = done.answer
    except TokenError as error:
        headers = dict(NO_STORE)
        if error.status == 401:
            headers["WWW-Authenticate"] = 'Bearer realm="ledgerhq", error="invalid_client"'
        return error.body(), error.status, headers
    return tokens, 200, NO_STORE


async def get_oauth_authorization_server_metadata(service):
    return oauth.metadata(service.public_url), 200       # configured, never the Host header


def grant_now_s(service, form: dict) -> float:
    """Unix seconds by the sandbox clock of the firm the code or refresh token belongs to."""
    return service.clock.unix_s(service.oauth.firm_of_grant(form))


def _grant_type(form: dict) -> object:
    """What a journal records of a token request: its grant type, never its secrets."""
    return {"grant_type": form.get("grant_type")}


def _session_approver(service) -> tuple[str, str | None] | None:
    """(firm_id, user_id) of the signed-in session's user, when the user belongs to a firm."""
    req = request()
    caller = service.authenticate(None, req.header("cookie"))
    if caller is None or caller.kind != "session" or caller.firm_id is None:
        return None
    return caller.firm_id, caller.user_id


def _consent_page(query: dict[str, str | None], target: str) -> tuple[str, int, dict]:
    approve = AUTHORIZE_PATH + "?" + urlencode({k: v for k, v in query.items() if v is not None})
    deny = redirect_to(target, {"error": "access_denied",
                                "error_description": "The user denied the request.",
                                "state": query["state"]})
    page = CONSENT_PAGE.format(
        client=html.escape(str(query["client_id"])), scope=html.escape(query["scope"] or "accounting"),
        redirect=html.escape(target), approve=html.escape(approve), deny=html.escape(deny))
    return page, 200, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}
