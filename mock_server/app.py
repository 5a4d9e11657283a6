"""The sandbox's ASGI app, built from openapi.json.

Connexion routes and validates requests against the contract (reached only through
connexion_adapter.py); responses are validated against it when asked (`validate_responses`,
off by default for `serve`, strict in the tests). The stack, outermost first: the request log
(it answers nothing) -> request context (request id, body cap, last-resort JSON 500) -> CORS ->
the docs assets (/api/docs/assets/, mock_server/docs) -> the MCP path router (/api/mcp) ->
response validation (when on) -> the error layer (connexion_adapter.ContractErrors) ->
Connexion's routing -> authentication -> body limits (middleware/body_limits.py) -> forced
sandbox faults -> request validation (compiled once per operation) -> the dispatcher, which
calls the operation's handler with tables built once from the contract. Every error is
rendered by mock_server/errors.py.
"""

from __future__ import annotations

from pathlib import Path

from starlette.responses import Response
from starlette.types import Scope

from mock_server import context, errors, recording
from mock_server.connexion_adapter import contract_app, routed_operation_id
from mock_server.contract import CONTRACT_PATH, allowed_methods, load_contract, operations, path_methods
from mock_server.dispatch import Dispatcher, build_operations
from mock_server.docs import DocsAssets
from mock_server.middleware.authentication import (
    AuthenticationMiddleware, admin_operation_ids, public_operation_ids,
)
from mock_server.middleware.body_limits import BODY_WAIT_S, BodyLimitsMiddleware, limits_for
from mock_server.middleware.cors import DEFAULT_ORIGINS, CorsMiddleware, cors_policy
from mock_server.middleware.forced_faults import ForcedFaultMiddleware
from mock_server.middleware.request_context import EarlyRefusals, RequestContextMiddleware
from mock_server.middleware.request_log import RequestLogMiddleware
from mock_server.mcp import McpMount, lifespans
from mock_server.mcp.writes import recorded_writes
from mock_server.middleware.response_validation import with_response_validation
from mock_server.resolver import handler_resolver, lenient_operation_ids


def create_app(fixtures_path: str | Path | None = None, *, service=None,
               contract_path: Path = CONTRACT_PATH, webhook_hosts=None,
               body_wait_s: float = BODY_WAIT_S, public_url: str | None = None,
               validate_responses: str = "off",
               cors_origins: tuple[str, ...] = DEFAULT_ORIGINS, log_health: bool = False):
    """The ASGI app serving the sandbox, seeded from `fixtures_path` (default fixtures), or
    serving `service` (a mock_server.service.SandboxService); `app.service` is it.
    `webhook_hosts` is the allow-list of webhook receivers' hosts (None: any host), used
    when the app builds its own service; `body_wait_s` bounds the wait for a request body;
    `public_url` (with no `service`): the origin the OAuth and MCP metadata name;
    `validate_responses` (off, warn, strict) checks every response against the contract;
    `cors_origins`: the browser origins granted CORS (middleware/cors.py); `log_health`: the
    request log (middleware/request_log.py, on once configured) includes health checks."""
    spec = load_contract(contract_path)
    if service is None:
        from mock_server.service import SandboxService
        service = SandboxService.from_fixtures(fixtures_path, spec, webhook_hosts=webhook_hosts,
                                               **({"public_url": public_url} if public_url else {}))
    resolve = handler_resolver(spec)
    path_table = path_methods(spec)
    media_types = {op["operationId"]: tuple(op.get("requestBody", {}).get("content", {}))
                   for _, _, op in operations(spec)}
    mcp = McpMount(service)
    app = contract_app(
        Dispatcher(build_operations(spec, recording.attach(service, resolve)), path_table, service), spec,
        lifespan=lifespans(service.lifespan, mcp.running),
        routed_middlewares=[(AuthenticationMiddleware, {"public_operations": public_operation_ids(spec),
                                                        "service": service,
                                                        "admin_operations": admin_operation_ids(spec)}),
                            (BodyLimitsMiddleware, limits_for(spec, body_wait_s)),
                            (ForcedFaultMiddleware, {"service": service})],
        resolve=resolve, lenient_operations=lenient_operation_ids(spec),
        on_status=lambda scope, status, detail: status_error(scope, status, detail, path_table, media_types),
        on_exception=lambda scope, exc: errors.exception_response(exc, context.current_request_id()))
    mcp.writes = recorded_writes(service)      # after the recorder is attached: --state journals them
    validated = with_response_validation(app, spec, validate_responses)
    served = DocsAssets(mcp.in_front_of(validated))      # /api/docs/assets/, /api/mcp: beside the contract
    cors = CorsMiddleware(EarlyRefusals(served), cors_policy(spec, cors_origins))
    return RequestLogMiddleware(RequestContextMiddleware(cors, service), service, log_health)


def status_error(scope: Scope, status: int, detail: str, path_table,
                 media_types: dict[str, tuple[str, ...]]) -> Response:
    """The error for a request Connexion refused with `status` (validation, routing, media type)."""
    request_id = context.current_request_id()
    if status == 415:
        accepted = " or ".join(media_types.get(routed_operation_id(scope)) or ("application/json",))
        return errors.error_response(errors.UNSUPPORTED_MEDIA_TYPE,
                                     f"Send the body as Content-Type {accepted}.", request_id)
    if status == 400:       # Connexion's own (malformed JSON, no body): no field to name
        message = (detail or "Request validation failed.").strip()[:errors.MESSAGE_CHARS_MAX]
        return errors.error_response(errors.VALIDATION_ERROR, message.partition("\n")[0], request_id,
                                     [("body", "invalid")])
    if status in (404, 405):
        kind, message, headers = errors.unrouted(scope["method"], allowed_methods(path_table, scope["path"]))
        return errors.error_response(kind, message, request_id, headers=headers)
    if status == 401:
        return errors.error_response(errors.UNAUTHORIZED, errors.UNAUTHORIZED_MESSAGE, request_id)
    return errors.error_response(errors.kind_for_status(status), detail or "Request failed.",
                                 request_id, status=status)
