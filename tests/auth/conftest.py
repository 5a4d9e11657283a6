"""The default fixture's credentials and companies, as plain data (docs/architecture.md)."""
from __future__ import annotations

import pytest

from mock_server.auth.credentials import CredentialStore
from mock_server.auth.tenancy import Directory

REDIRECT_URI = "http://127.0.0.1:8765/callback"
CLIENT_ID = "lhq_client_sandbox"
CREDENTIAL_DATA = {
    "firms": [
        {"id": "firm_summit", "organizationIds": ["org_brightpixel", "org_harborcoffee"]},
        {"id": "firm_northgate", "organizationIds": ["org_cedarplumbing"]},
    ],
    "users": [
        {"id": "user_summit_owner", "firmId": "firm_summit",
         "organizationIds": ["org_brightpixel", "org_harborcoffee"]},
        {"id": "user_cedar_bookkeeper", "organizationIds": ["org_cedarplumbing"]},
    ],
    "access_tokens": [
        {"token": "mcp_at_sandbox_summit_firm_token", "firmId": "firm_summit",
         "clientId": CLIENT_ID},
        {"token": "mcp_at_sandbox_northgate_firm_token", "firmId": "firm_northgate"},
        {"token": "mcp_at_sandbox_expired", "firmId": "firm_summit",
         "expiresAt": "2001-09-09T01:46:40Z"},
    ],
    "api_keys": [{"key": "dk_live_sandbox_brightpixel_key", "organizationId": "org_brightpixel"}],
    "sessions": [
        {"id": "sess_sandbox_summit_owner", "userId": "user_summit_owner"},
        {"id": "sess_sandbox_cedar_bookkeeper", "userId": "user_cedar_bookkeeper"},
    ],
    "oauth_clients": [{"clientId": CLIENT_ID, "redirectUris": [REDIRECT_URI]}],
}
DIRECTORY_ROWS = [
    ("cmp_brightpixel", "org_brightpixel", "firm_summit"),
    ("cmp_harborcoffee", "org_harborcoffee", "firm_summit"),
    ("cmp_cedarplumbing", "org_cedarplumbing", "firm_northgate"),
]


@pytest.fixture
def store() -> CredentialStore:
    return CredentialStore.from_data(CREDENTIAL_DATA)


@pytest.fixture
def directory() -> Directory:
    return Directory.of(DIRECTORY_ROWS)
