"""`--public-url` (issue 14 item 7): the OAuth issuer, the RFC 8707 resources and the MCP metadata
come from configuration, never from the request's Host header."""
from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.cli import parse_args, public_url_of

PUBLIC_URL = "https://sandbox.example.test"


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(public_url=PUBLIC_URL), base_url="http://127.0.0.1:8080") as started:
        yield started


def test_the_oauth_metadata_names_the_public_url_whatever_the_host(client) -> None:
    for host in ("127.0.0.1:8080", "attacker.test"):
        metadata = client.get("/.well-known/oauth-authorization-server", headers={"Host": host}).json()
        assert metadata["issuer"] == PUBLIC_URL
        assert metadata["token_endpoint"] == PUBLIC_URL + "/api/oauth/token"


def test_the_mcp_metadata_names_the_public_url(client) -> None:
    refused = client.post("/api/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
    assert refused.status_code == 401
    assert f'resource_metadata="{PUBLIC_URL}/.well-known/oauth-protected-resource/api/mcp"' in \
        refused.headers["www-authenticate"]
    metadata = client.get("/.well-known/oauth-protected-resource/api/mcp").json()
    assert metadata["resource"] == PUBLIC_URL + "/api/mcp"
    assert metadata["authorization_servers"] == [PUBLIC_URL]


def test_the_cli_defaults_the_public_url_to_host_and_port_and_refuses_a_bad_one() -> None:
    assert public_url_of(parse_args(["serve", "--port", "9000"])) == "http://127.0.0.1:9000"
    assert public_url_of(parse_args(["serve", "--public-url", PUBLIC_URL + "/"])) == PUBLIC_URL
    for bad in ("sandbox.example.test", "ftp://sandbox.example.test", PUBLIC_URL + "/api", PUBLIC_URL + "?a=1"):
        with pytest.raises(SystemExit):
            public_url_of(parse_args(["serve", "--public-url", bad]))
