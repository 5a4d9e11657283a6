"""Tag `organizations`: the client organizations the caller may act for."""

from mock_server.api.http import listing, request
from mock_server.fixture_credentials import organization_json


async def list_organizations(service, limit=50, cursor=None):
    organizations = service.visible_organizations(request().caller)
    return listing(service, organizations, limit, cursor, organization_json), 200
