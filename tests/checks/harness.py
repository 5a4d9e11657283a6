"""A Suite whose HTTP client answers crafted responses: an httpx.MockTransport behind the kit's `Api`.

Each answer starts as the sandbox's own (its ASGI app, in this process, no socket) and a `Craft` may change
the request before it is answered or the response after, so one test shows a check passing and the next
the same check failing on one crafted response."""
from __future__ import annotations

import io
import json
from typing import Callable

import httpx
from starlette.testclient import TestClient

from conformance.config import PROFILES, RunConfig
from conformance.contract_map import Contract
from conformance.http import Api
from conformance.registry import RegisteredCheck
from conformance.runner import Outcome, Progress, run_checks
from conformance.suite import Suite

BASE_URL = "http://127.0.0.1:1"      # never dialled: the transport answers; loopback, as a local implementation
Send = Callable[[httpx.Request], httpx.Response]
Craft = Callable[[httpx.Request, Send], httpx.Response]
DROPPED_HEADERS = frozenset({"host", "content-length"})


def as_is(request: httpx.Request, send: Send) -> httpx.Response:
    return send(request)


def sandbox_sender(client: TestClient) -> Send:
    def send(request: httpx.Request) -> httpx.Response:
        headers = [(k, v) for k, v in request.headers.multi_items() if k.lower() not in DROPPED_HEADERS]
        answer = client.request(request.method, request.url.raw_path.decode("ascii"), headers=headers,
                                content=request.content)
        return httpx.Response(answer.status_code, headers=[(k, v) for k, v in answer.headers.multi_items()
                                                           if k.lower() != "content-length"],
                              content=answer.content)
    return send


def crafted_suite(client: TestClient, credentials: dict, craft: Craft, contract: Contract,
                  contract_path=None) -> Suite:
    config = RunConfig(base_url=BASE_URL, token=credentials["accessToken"], company_id=credentials["companyId"],
                       other_token=credentials["otherFirmAccessToken"],
                       other_company_id=credentials["otherCompanyId"], api_key=credentials["apiKey"],
                       organization_id=credentials["organizationId"], profile=PROFILES["quick"], seed=20261125,
                       **({"contract_path": contract_path} if contract_path else {}))
    suite = Suite(config, contract)
    send = sandbox_sender(client)
    transport = httpx.MockTransport(lambda request: craft(request, send))
    for name, token in (("api", config.token), ("other_api", config.other_token)):
        getattr(suite, name).close()
        setattr(suite, name, Api(BASE_URL, token, timeout_s=config.request_timeout_s, secrets=suite.api.secrets,
                                 transport=transport))
    return suite


def run_check(suite: Suite, check: RegisteredCheck) -> list[Outcome]:
    try:
        return run_checks(suite, [check], Progress(io.StringIO()))
    finally:
        suite.close()


# Small pieces to craft responses with.

def body_of(thing: httpx.Request | httpx.Response):
    try:
        return json.loads(thing.content)
    except ValueError:
        return None


def answer(status: int, body, like: httpx.Response | None = None) -> httpx.Response:
    """A JSON response; with `like`, keeping its headers (X-Request-Id among them)."""
    headers = [(k, v) for k, v in (like.headers.multi_items() if like is not None else [])
               if k.lower() not in ("content-length", "content-type")]
    return httpx.Response(status, headers=headers + [("content-type", "application/json")],
                          content=json.dumps(body).encode())


def with_body(request: httpx.Request, body) -> httpx.Request:
    headers = [(k, v) for k, v in request.headers.multi_items() if k.lower() != "content-length"]
    return httpx.Request(request.method, request.url, headers=headers, content=json.dumps(body).encode())


def with_header(request: httpx.Request, name: str, value: str | None) -> httpx.Request:
    headers = [(k, v) for k, v in request.headers.multi_items() if k.lower() != name.lower()]
    if value is not None:
        headers.append((name, value))
    return httpx.Request(request.method, request.url, headers=headers, content=request.content)


def with_params(request: httpx.Request, **params) -> httpx.Request:
    return httpx.Request(request.method, request.url.copy_merge_params(params), headers=request.headers,
                         content=request.content)


def error_code(response: httpx.Response) -> str | None:
    body = body_of(response)
    error = body.get("error") if isinstance(body, dict) else None
    return error.get("code") if isinstance(error, dict) else None
