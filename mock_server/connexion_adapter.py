"""Everything the sandbox takes from Connexion 3.3, in one module.

Connexion routes and validates requests against the contract. The sandbox uses its public
API where there is one (`ConnexionMiddleware`, `add_middleware`, `add_error_handler`, a
callable resolver, `validator_map`) and reaches past it in a few places, all listed in
`CONNEXION_REACH`: tests/test_connexion_adapter.py checks each still exists with the same
kind and signature, so a Connexion release that moves one fails there, by name, not at
run time. No other module of the sandbox imports a private Connexion name.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable

from connexion import ConnexionMiddleware
from connexion.datastructures import MediaTypeDict
from connexion.exceptions import BadRequestProblem, ExtraParameterProblem, ProblemException
from connexion.json_schema import Draft4RequestValidator
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from connexion.middleware import MiddlewarePosition
from connexion.middleware.abstract import ROUTING_CONTEXT
from connexion.middleware.context import ContextMiddleware
from connexion.middleware.exceptions import ExceptionMiddleware
from connexion.middleware.lifespan import LifespanMiddleware
from connexion.middleware.request_validation import RequestValidationMiddleware
from connexion.middleware.routing import RoutingMiddleware
from connexion.middleware.server_error import ServerErrorMiddleware
from connexion.spec import OpenAPISpecification
from connexion.utils import is_null, is_nullable
from connexion.validators import VALIDATOR_MAP, FormDataValidator, JSONRequestBodyValidator, ParameterValidator
from jsonschema import Draft4Validator, ValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Scope

from mock_server.validation_errors import (RequestInvalid, body_invalid, parameter_invalid,
                                           parameter_missing, parameters_unknown)

ROUTING_KEY = ROUTING_CONTEXT      # scope["extensions"][ROUTING_KEY]["operation_id"], set by routing

# Connexion's default stack without Swagger UI, its security (authentication.py does it, from
# the contract) and response validation (the tests validate responses, not the serving path).
STACK = (ServerErrorMiddleware, ExceptionMiddleware, RoutingMiddleware, RequestValidationMiddleware,
         LifespanMiddleware, ContextMiddleware)

COMPILED_SCHEMAS_MAX = 10_000      # per app; the contract has a few hundred schemas

StatusAnswer = Callable[[Scope, int, str], Response]        # (scope, status, detail) -> error
ExceptionAnswer = Callable[[Scope, Exception], Response]


@dataclass(frozen=True, slots=True)
class Reach:
    """One name past Connexion's public API: `owner.name`, what it is, its parameters."""
    owner: str          # dotted path of a module or class
    name: str
    kind: str           # classmethod | staticmethod | method | async method | property | attribute
    parameters: tuple[str, ...] = ()    # without self/cls


CONNEXION_REACH = (
    Reach("connexion.spec.OpenAPISpecification", "_validate_spec", "classmethod", ("spec",)),
    Reach("connexion.validators.ParameterValidator", "validate_parameter", "staticmethod",
          ("parameter_type", "value", "param", "param_name")),
    Reach("connexion.validators.ParameterValidator", "validate", "method", ("scope",)),
    Reach("connexion.validators.ParameterValidator", "strict_validation", "attribute"),
    Reach("connexion.validators.ParameterValidator", "uri_parser", "attribute"),
    Reach("connexion.validators.ParameterValidator", "security_query_params", "attribute"),
    Reach("connexion.validators.ParameterValidator", "validate_query_parameter_list", "method",
          ("request", "security_params")),
    Reach("connexion.validators.JSONRequestBodyValidator", "_parse", "async method", ("stream", "scope")),
    Reach("connexion.validators.JSONRequestBodyValidator", "_validator", "property"),
    Reach("connexion.validators.JSONRequestBodyValidator", "_schema", "attribute"),
    Reach("connexion.validators.JSONRequestBodyValidator", "_nullable", "attribute"),
    Reach("connexion.validators.JSONRequestBodyValidator", "_validate", "method", ("body",)),
    Reach("connexion.validators.FormDataValidator", "_validate", "method", ("body",)),
)


def contract_app(endpoint: ASGIApp, spec: dict, *, lifespan, routed_middlewares,
                 resolve: Callable[[str], Callable], lenient_operations: frozenset[str],
                 on_status: StatusAnswer, on_exception: ExceptionAnswer) -> ConnexionMiddleware:
    """`endpoint` behind Connexion's routing and request validation of `spec`.
    `routed_middlewares`, (class, options) pairs, run in order after routing, before
    validation; every error Connexion raises is answered by `on_status` / `on_exception`."""
    app = ConnexionMiddleware(endpoint, middlewares=list(STACK), lifespan=lifespan,
                              validator_map=validator_map(lenient_operations))
    for middleware_class, options in routed_middlewares:
        app.add_middleware(middleware_class, position=MiddlewarePosition.BEFORE_VALIDATION, **options)
    with _meta_schema_check_skipped():
        app.add_api(spec, resolver=resolve, strict_validation=True, validate_responses=False,
                    swagger_ui_options=None)
    app.add_error_handler(ProblemException, _answer(lambda scope, exc: on_status(
        scope, exc.status, exc.detail or exc.title or "")))
    app.add_error_handler(HTTPException, _answer(lambda scope, exc: on_status(
        scope, exc.status_code, exc.detail or "")))
    app.add_error_handler(Exception, _answer(on_exception))
    return app


def routed_operation_id(scope: Scope) -> str | None:
    return scope.get("extensions", {}).get(ROUTING_KEY, {}).get("operation_id")


def _answer(answer: Callable[[Scope, Exception], Response]):
    """An error handler as Connexion calls it, returning the Starlette response `answer` made."""
    async def handler(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
        response = answer(request.scope, exc)
        headers = {name: value for name, value in response.headers.items()
                   if name not in ("content-length", "content-type")}
        return ConnexionResponse(status_code=response.status_code, mimetype=response.media_type,
                                 body=response.body, headers=headers)
    return handler


@contextmanager
def _meta_schema_check_skipped():
    """Connexion checks the document against the OpenAPI meta-schema on every load (0.3-0.5 s,
    most of start-up) and has no option to skip it. openapi.json is checked by
    tests/test_contract.py and `make lint`, so the app skips that repeat; routing and request
    validation still come from the document."""
    assert "_validate_spec" not in OpenAPISpecification.__dict__   # inherited: delete restores it
    OpenAPISpecification._validate_spec = classmethod(lambda cls, spec: None)
    try:
        yield
    finally:
        del OpenAPISpecification._validate_spec


# -- request validators -------------------------------------------------------------------
# Connexion builds a new JSON-schema validator for every parameter and body of every request,
# and its errors are sentences. These compile each schema once per app (in the class's
# `compiled`, keyed by the schema dict Connexion keeps per operation) and raise
# validation_errors.RequestInvalid, whose field comes from the validator's error path.

def _compiled(cache: dict[int, tuple[dict, Draft4Validator]], schema: dict, validator_class) -> Draft4Validator:
    cached = cache.get(id(schema))
    if cached is None or cached[0] is not schema:
        if len(cache) >= COMPILED_SCHEMAS_MAX:     # only if Connexion stopped reusing its dicts
            cache.clear()
        cached = (schema, validator_class(schema, format_checker=Draft4Validator.FORMAT_CHECKER))
        cache[id(schema)] = cached
    return cached[1]


class NamedParameterValidator(ParameterValidator):
    lenient_operations: frozenset[str] = frozenset()    # `x-unknown-parameters: ignore`
    compiled: dict[int, tuple[dict, Draft4Validator]] = {}

    def validate(self, scope):
        if routed_operation_id(scope) in self.lenient_operations:
            self.strict_validation = False
        try:
            return super().validate(scope)
        except ExtraParameterProblem:       # its names are only in its sentence: list them again
            request = ConnexionRequest(scope, uri_parser=self.uri_parser)
            extra = self.validate_query_parameter_list(request, self.security_query_params)
            raise parameters_unknown("query", extra) from None

    @classmethod
    def validate_parameter(cls, parameter_type, value, param, param_name=None):
        if is_nullable(param) and is_null(value):
            return None
        if value is None:
            if param.get("required"):
                raise parameter_missing(parameter_type, param["name"])
            return None
        try:
            _compiled(cls.compiled, param.get("schema", param), Draft4Validator).validate(value)
        except ValidationError as exception:
            raise parameter_invalid(parameter_type, param["name"], exception) from None
        return None


class CompiledJSONBodyValidator(JSONRequestBodyValidator):
    compiled: dict[int, tuple[dict, Draft4Validator]] = {}

    async def _parse(self, stream, scope):
        try:
            return await super()._parse(stream, scope)
        except UnicodeDecodeError:
            raise BadRequestProblem(detail="The request body is not UTF-8 encoded JSON.") from None

    def _validate(self, body):
        if not self._nullable and body is None:
            raise RequestInvalid("This operation needs a JSON request body.", [("body", "required")])
        try:
            return self._validator.validate(body)
        except ValidationError as exception:
            raise body_invalid(exception) from None

    @property
    def _validator(self):
        return _compiled(self.compiled, self._schema, Draft4RequestValidator)


class OAuthFormValidator(FormDataValidator):
    """Form bodies (the OAuth token endpoint only): parsed, never refused by schema.

    RFC 6749 says unknown parameters are ignored and every bad request is answered in its
    own error form (`invalid_request`, ...), which the handler does; a schema refusal here
    would answer the structured Error instead."""

    def _validate(self, body):
        return None


def validator_map(lenient_operations: frozenset[str] = frozenset()) -> dict:
    """Validators for one app, each class with its own cache of compiled schemas."""
    parameter = type("ParameterValidator", (NamedParameterValidator,),
                     {"lenient_operations": lenient_operations, "compiled": {}})
    body = type("JSONRequestBodyValidator", (CompiledJSONBodyValidator,), {"compiled": {}})
    return {"parameter": parameter,
            "body": MediaTypeDict({**VALIDATOR_MAP["body"], "*/*json": body,
                                   "application/x-www-form-urlencoded": OAuthFormValidator}),
            "response": VALIDATOR_MAP["response"]}

