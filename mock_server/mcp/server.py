"""The MCP server, built with the SDK: auth settings from the public URL, the token verifier,
the tools, and the Streamable HTTP app (stateless, JSON answers).

Only OAuth access tokens (`mcp_at_`) whose audience includes `{public-url}/api/mcp` pass:
API keys and session cookies are refused (the contract's `x-mcp.auth` says why).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from mcp.server import MCPServer
from mcp.server.auth.provider import AccessToken, TokenVerifier
from mcp.server.auth.settings import AuthSettings
from mcp.server.transport_security import TransportSecuritySettings

from mock_server.auth import oauth_token
from mock_server.auth.credentials import CREDENTIAL_LENGTH_MAX
from mock_server.mcp import MCP_PATH, tools

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
INSTRUCTIONS = ("The books of the companies your firm manages in the LedgerHQ sandbox. Money is integer "
                "cents (1250 is $12.50). Call list_companies first; post_journal_entry needs a new "
                "idempotencyKey per entry you mean to post, and the same one to retry it.")


class SandboxTokenVerifier(TokenVerifier):
    """A live `mcp_at_` token of a firm, bound to no resource or to this MCP server."""

    def __init__(self, service) -> None:
        self.service = service

    async def verify_token(self, token: str) -> AccessToken | None:
        if not token.startswith(oauth_token.PREFIX) or len(token) > CREDENTIAL_LENGTH_MAX:
            return None
        store = self.service.credentials
        if oauth_token.resolve(store, token, self.service.credential_now_s(token),
                               oauth_token.MCP_RESOURCE_PATH) is None:
            return None
        access = store.access_tokens[token]
        expires_at = None if access.expires_at_s is None else int(access.expires_at_s)
        return AccessToken(token=token, client_id=access.client_id or "fixture", scopes=[],
                           expires_at=expires_at, subject=access.firm_id,
                           resource=access.resource or self.service.public_url + MCP_PATH)


def transport_security(public_url: str) -> TransportSecuritySettings:
    """Loopback names on any port, and the public URL's host (421 for any other Host)."""
    public = urlsplit(public_url)
    hosts = [f"{host}:*" for host in LOOPBACK_HOSTS] + [public.netloc]
    origins = [f"http://{host}:*" for host in LOOPBACK_HOSTS] + [f"{public.scheme}://{public.netloc}"]
    return TransportSecuritySettings(enable_dns_rebinding_protection=True, allowed_hosts=hosts,
                                     allowed_origins=origins)


def build(service, writes):
    """(MCPServer, its Starlette app): the app serves MCP_PATH and its RFC 9728 metadata; `writes` are
    the writing tools' recorded operations (mcp/writes.py)."""
    auth = AuthSettings(issuer_url=service.public_url, resource_server_url=service.public_url + MCP_PATH,
                        validate_token_resource=True)
    server = MCPServer("ledgerhq-sandbox", title="LedgerHQ sandbox", instructions=INSTRUCTIONS,
                       token_verifier=SandboxTokenVerifier(service), auth=auth, log_level="WARNING")
    tools.register(server, service, writes)
    app = server.streamable_http_app(streamable_http_path=MCP_PATH, stateless_http=True,
                                     json_response=True,
                                     transport_security=transport_security(service.public_url))
    return server, app
