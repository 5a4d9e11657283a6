"""Tag `health`: the public deployment health check."""

from mock_server.clock import rfc3339


async def get_health(service):
    return {"status": "ok", "time": rfc3339(service.now())}, 200
