"""Tag `oauth`: Authorization Code with PKCE (S256), RFC 6749 errors, RFC 8414 metadata.

In the sandbox the authorize step approves at once, as the fixture firm's owner, and
redirects with `code` and `state`, so scripts run the flow without a browser.
"""

from __future__ import annotations

import time

from mock_server.api.http import request
from mock_server.auth import oauth
from mock_server.auth.oauth_grants import AuthorizeRefused, TokenError

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


async def authorize_oauth(response_type=None, client_id=None, redirect_uri=None, state=None,
                          code_challenge=None, code_challenge_method=None, scope=None):
    server = request().state.oauth
    try:
        location = server.authorize(client_id, redirect_uri, response_type, code_challenge,
                                    code_challenge_method, state, scope, time.time())
    except AuthorizeRefused as refused:
        return {"error": refused.error, "error_description": refused.description}, 400
    return None, 302, {"Location": location}


async def exchange_oauth_token(body=None):
    server = request().state.oauth
    try:
        tokens = server.token(dict(body or {}), time.time())
    except TokenError as error:
        return error.body(), error.status, NO_STORE
    return tokens, 200, NO_STORE


async def get_oauth_authorization_server_metadata():
    return oauth.metadata(request().state.issuer()), 200
