"""Tag `health`: the public deployment health check."""

from mock_server.api.http import now_rfc3339


async def get_health():
    return {"status": "ok", "time": now_rfc3339()}, 200
