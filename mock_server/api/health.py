"""Tag `health`: the public deployment health check and the contract it serves."""

from functools import lru_cache

from ledgerhq_contract import CONTRACT_PATH
from mock_server.clock import rfc3339


async def get_health(service):
    return {"status": "ok", "time": rfc3339(service.now())}, 200


@lru_cache(maxsize=1)
def contract_bytes() -> bytes:
    return CONTRACT_PATH.read_bytes()


async def get_openapi_document(service):
    return contract_bytes(), 200, {"Content-Type": "application/json"}
