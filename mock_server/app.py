"""The sandbox's ASGI app, built from openapi.json.

Connexion routes and validates requests against the contract; responses are validated in
the tests, not while serving. The stack, outermost first: request context (request id,
body cap, last-resort JSON 500) -> Connexion's error handling -> routing ->
authentication -> forced sandbox faults -> request validation -> the dispatcher, which
calls the operation's handler with tables built once from the contract.
"""

from __future__ import annotations

import json
import logging
from contextlib import contextmanager
from pathlib import Path

from connexion import ConnexionMiddleware
from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from connexion.middleware.context import ContextMiddleware
from connexion.middleware.exceptions import ExceptionMiddleware
from connexion.middleware.lifespan import LifespanMiddleware
from connexion.middleware.request_validation import RequestValidationMiddleware
from connexion.middleware.routing import RoutingMiddleware
from connexion.middleware.server_error import ServerErrorMiddleware
from connexion.spec import OpenAPISpecification
from starlette.exceptions import HTTPException

from mock_server import context, errors
from mock_server.contract import CONTRACT_PATH, allowed_methods, load_contract, operations, path_methods
from mock_server.middleware.authentication import ROUTING_KEY, AuthenticationMiddleware, public_operation_ids
from mock_server.middleware.forced_faults import ForcedFaultMiddleware
from mock_server.middleware.request_context import RequestContextMiddleware
from mock_server.domain_error import DomainError
from mock_server.dispatch import Dispatcher, build_operations
from mock_server.resolver import TagResolver, handler_for
from mock_server.validators import lenient_operation_ids, validator_map

logger = logging.getLogger("ledgerhq.sandbox")


def create_app(fixtures_path: str | Path | None = None, *, state=None,
               contract_path: Path = CONTRACT_PATH):
    """The ASGI app serving the sandbox, seeded from `fixtures_path` (default fixtures)."""
    spec = load_contract(contract_path)
    if state is None:
        from mock_server.state import SandboxState
        state = SandboxState.from_fixtures(fixtures_path, spec)
    tag_by_operation_id = {op["operationId"]: op["tags"][0] for _, _, op in operations(spec)}
    public = public_operation_ids(spec)
    middlewares = [
        ServerErrorMiddleware,
        ExceptionMiddleware,
        RoutingMiddleware,
        _with(AuthenticationMiddleware, public_operations=public),
        ForcedFaultMiddleware,
        RequestValidationMiddleware,
        LifespanMiddleware,
        ContextMiddleware,
    ]
    path_table = path_methods(spec)
    handlers = build_operations(spec, lambda op_id: handler_for(op_id, tag_by_operation_id[op_id]))
    app = ConnexionMiddleware(Dispatcher(handlers, path_table), middlewares=middlewares,
                              lifespan=state.lifespan,
                              validator_map=validator_map(lenient_operation_ids(spec)))
    with _meta_schema_check_skipped():
        app.add_api(spec, resolver=TagResolver(tag_by_operation_id), strict_validation=True,
                    validate_responses=False, swagger_ui_options=None)
    media_types = {op["operationId"]: tuple(op.get("requestBody", {}).get("content", {}))
                   for _, _, op in operations(spec)}
    _add_error_handlers(app, path_table, media_types)
    return RequestContextMiddleware(app, state)


@contextmanager
def _meta_schema_check_skipped():
    """Connexion checks the document against the OpenAPI meta-schema on every load (0.3-0.5 s,
    most of start-up). openapi.json is checked by tests/test_contract.py and `make lint`, so the
    app skips that repeat; routing and request validation still come from the document."""
    assert "_validate_spec" not in OpenAPISpecification.__dict__   # inherited: delete restores it
    OpenAPISpecification._validate_spec = classmethod(lambda cls, spec: None)
    try:
        yield
    finally:
        del OpenAPISpecification._validate_spec


def _with(middleware_class, **options):
    """A middleware class bound to its options, as Connexion's stack builds `cls(app)`."""
    def build(app):
        return middleware_class(app, **options)
    build.__name__ = middleware_class.__name__
    return build


def _add_error_handlers(app: ConnexionMiddleware, path_table,
                        media_types: dict[str, tuple[str, ...]]) -> None:
    async def on_problem(request: ConnexionRequest, exc: ProblemException) -> ConnexionResponse:
        if exc.status == 415:
            operation_id = request.scope.get("extensions", {}).get(ROUTING_KEY, {}).get("operation_id")
            accepted = " or ".join(media_types.get(operation_id) or ("application/json",))
            return _response(errors.UNSUPPORTED_MEDIA_TYPE, f"Send the body as Content-Type {accepted}.")
        if exc.status == 400:
            kind, message, details = errors.from_validation_problem(exc.detail or "")
            return _response(kind, message, details)
        return _from_status(exc.status, exc.detail or exc.title or "", request, path_table)

    async def on_http_exception(request: ConnexionRequest, exc: HTTPException) -> ConnexionResponse:
        return _from_status(exc.status_code, exc.detail or "", request, path_table)

    async def on_exception(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
        kind = errors.KIND_BY_CODE.get(exc.kind) if isinstance(exc, DomainError) else None
        if kind is None:
            logger.error("unhandled error", exc_info=exc)
            return _response(errors.INTERNAL_ERROR,
                             "The sandbox failed to handle this request; it is safe to retry.")
        return _response(kind, exc.message, exc.details)

    app.add_error_handler(ProblemException, on_problem)
    app.add_error_handler(HTTPException, on_http_exception)
    app.add_error_handler(Exception, on_exception)


def _from_status(status: int, detail: str, request: ConnexionRequest, path_table) -> ConnexionResponse:
    if status in (404, 405):
        kind, message, headers = errors.unrouted(request.method, allowed_methods(path_table, request.url.path))
        return _response(kind, message, headers=headers)
    if status == 401:
        return _response(errors.UNAUTHORIZED, detail or "Authentication required.")
    return _response(errors.kind_for_status(status), detail or "Request failed.", status=status)


def _response(kind: errors.ErrorKind, message: str, details=None, headers=None,
              status: int | None = None) -> ConnexionResponse:
    payload = errors.error_payload(kind, message, context.current_request_id(), details)
    all_headers = dict(errors.UNAUTHORIZED_HEADERS) if kind is errors.UNAUTHORIZED else {}
    all_headers.update(headers or {})
    return ConnexionResponse(status_code=status or kind.status, mimetype="application/json",
                             body=json.dumps(payload, separators=(",", ":")).encode(),
                             headers=all_headers)
