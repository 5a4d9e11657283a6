"""Tag `organizations`: the client organizations the caller may act for."""

from mock_server.api.http import listing, request


async def list_organizations(limit=50, cursor=None):
    req = request()
    organizations = req.state.visible_organizations(req.caller)
    return listing(organizations, limit, cursor, req.state.organization_json), 200
