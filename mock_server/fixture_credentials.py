"""The fixtures' tenancy records, as the auth layer and the command line want them."""

from __future__ import annotations

from mock_server.ledger.fixtures import Sandbox


def credential_rows(sandbox: Sandbox) -> dict[str, list[dict]]:
    """Rows for `CredentialStore.from_data`."""
    organizations_by_firm: dict[str, list[str]] = {firm_id: [] for firm_id in sandbox.firms}
    for organization in sandbox.organizations.values():
        organizations_by_firm[organization.firm_id].append(organization.id)
    return {
        "firms": [{"id": firm_id, "organizationIds": org_ids}
                  for firm_id, org_ids in organizations_by_firm.items()],
        "users": [{"id": user.id, "organizationIds": list(user.organization_ids),
                   "firmId": user.firm_id} for user in sandbox.users.values()],
        "access_tokens": [{"token": token.token, "firmId": token.firm_id,
                           "clientId": token.client_id, "expiresAt": token.expires_at_s}
                          for token in sandbox.access_tokens.values()],
        "api_keys": [{"key": key.key, "organizationId": key.organization_id}
                     for key in sandbox.api_keys.values()],
        "sessions": [{"id": session.id, "userId": session.user_id, "expiresAt": session.expires_at}
                     for session in sandbox.sessions.values()],
        "oauth_clients": [{"clientId": client.client_id, "redirectUris": list(client.redirect_uris),
                           "firmId": client.firm_id, "scopes": list(client.scopes)}
                          for client in sandbox.oauth_clients.values()],
    }


def well_known_credentials(sandbox: Sandbox) -> dict[str, str]:
    """The credentials a partner starts with: the first firm's token and company, the first
    API key, another firm's token and company (for tenancy tests), the first OAuth client."""
    firms = list(sandbox.firms)
    if len(firms) < 2:
        raise ValueError("the fixtures need two firms: one to work in, one for tenancy tests")
    tokens_by_firm = {}
    for token in sandbox.access_tokens.values():
        tokens_by_firm.setdefault(token.firm_id, token.token)
    api_key = next(iter(sandbox.api_keys.values()))
    organization = sandbox.organizations[api_key.organization_id]
    other_company = sandbox.companies_of_firm(firms[1])[0].company
    client = next(iter(sandbox.oauth_clients.values()))
    return {
        "accessToken": tokens_by_firm[firms[0]],
        "apiKey": api_key.key,
        "organizationId": organization.id,
        "companyId": organization.company_id,
        "otherFirmAccessToken": tokens_by_firm[firms[1]],
        "otherCompanyId": other_company.id,
        "oauthClientId": client.client_id,
        "redirectUri": client.redirect_uris[0],
    }


def organization_json(organization) -> dict:
    return {"id": organization.id, "name": organization.name,
            "companyId": organization.company_id, "firmId": organization.firm_id}
