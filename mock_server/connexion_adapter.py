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
from functools import partial
from typing import Callable

from connexion import ConnexionMiddleware
from connexion.datastructures import MediaTypeDict
from connexion.exceptions import (BadRequestProblem, ExtraParameterProblem, ProblemException,
                                  UnsupportedMediaTypeProblem)
from connexion.json_schema import Draft4RequestValidator
from connexion.lifecycle import ConnexionRequest
from connexion.middleware.abstract import ROUTING_CONTEXT
from connexion.middleware.lifespan import LifespanMiddleware
from connexion.middleware.request_validation import (RequestValidationAPI, RequestValidationMiddleware,
                                                     RequestValidationOperation)
from connexion.middleware.routing import RoutingMiddleware
from connexion.spec import OpenAPISpecification
from connexion.utils import is_null, is_nullable
from connexion.validators import VALIDATOR_MAP, FormDataValidator, JSONRequestBodyValidator, ParameterValidator
from jsonschema import Draft4Validator, ValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from mock_server.fast_schema import FastThenPython
from mock_server.middleware.tracked_send import TrackedSend
from mock_server.validation_errors import (RequestInvalid, body_invalid, parameter_invalid,
                                           parameter_missing, parameters_unknown)

ROUTING_KEY = ROUTING_CONTEXT      # scope["extensions"][ROUTING_KEY]["operation_id"], set by routing

COMPILED_SCHEMAS_MAX = 10_000      # per app; the contract has a few hundred schemas
MEDIA_TYPES_KEPT_MAX = 64          # per operation: the Content-Types seen, and their validators

StatusAnswer = Callable[[Scope, int, str], Response]        # (scope, status, detail) -> error
ExceptionAnswer = Callable[[Scope, Exception], Response]


@dataclass(frozen=True, slots=True)
class Reach:
    """One name past Connexion's public API: `owner.name`, what it is, its parameters."""
    owner: str          # dotted path of a module or class
    name: str
    kind: str           # classmethod | staticmethod | method | async method | property | attribute | class
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
    # CompiledValidation: Connexion's per-request steps, built once (RequestValidationOperation.__call__
    # is pinned by its source's digest in tests/test_connexion_adapter.py)
    Reach("connexion.middleware.request_validation.RequestValidationOperation", "_operation", "attribute"),
    Reach("connexion.middleware.request_validation.RequestValidationOperation", "_validator_map", "attribute"),
    Reach("connexion.middleware.request_validation.RequestValidationOperation", "strict_validation", "attribute"),
    Reach("connexion.middleware.request_validation.RequestValidationOperation", "security_query_params",
          "property"),
    Reach("connexion.middleware.request_validation.RequestValidationOperation", "extract_content_type",
          "method", ("headers",)),
    Reach("connexion.middleware.request_validation.RequestValidationOperation", "validate_mime_type",
          "method", ("mime_type",)),
    Reach("connexion.middleware.request_validation.RequestValidationAPI", "make_operation", "method",
          ("operation",)),
    Reach("connexion.middleware.request_validation.RequestValidationAPI", "validator_map", "attribute"),
    Reach("connexion.middleware.request_validation.RequestValidationAPI", "strict_validation", "attribute"),
    Reach("connexion.middleware.request_validation.RequestValidationAPI", "next_app", "attribute"),
    Reach("connexion.middleware.request_validation.RequestValidationMiddleware", "api_cls", "class"),
    Reach("connexion.operations.OpenAPIOperation", "uri_parser_class", "property"),
    Reach("connexion.operations.OpenAPIOperation", "parameters", "property"),
    Reach("connexion.operations.OpenAPIOperation", "request_body", "property"),
    Reach("connexion.operations.OpenAPIOperation", "consumes", "property"),
    Reach("connexion.operations.OpenAPIOperation", "operation_id", "property"),
    Reach("connexion.operations.OpenAPIOperation", "body_schema", "method", ("content_type",)),
    Reach("connexion.operations.OpenAPIOperation", "body_definition", "method", ("content_type",)),
    Reach("connexion.validators.AbstractRequestBodyValidator", "wrap_receive", "async method",
          ("receive", "scope")),
)


def contract_app(endpoint: ASGIApp, spec: dict, *, lifespan, routed_middlewares,
                 resolve: Callable[[str], Callable], lenient_operations: frozenset[str],
                 on_status: StatusAnswer, on_exception: ExceptionAnswer) -> ConnexionMiddleware:
    """`endpoint` behind Connexion's routing and request validation of `spec`.
    `routed_middlewares`, (class, options) pairs, run in order after routing, before
    validation; every error Connexion raises is answered by `on_status` / `on_exception`.
    Connexion builds the stack, and each operation's validators, when the app first runs
    (the lifespan's start-up, under uvicorn)."""
    errors = partial(ContractErrors, on_status=on_status, on_exception=on_exception)
    routed = [partial(middleware_class, **options) for middleware_class, options in routed_middlewares]
    app = ConnexionMiddleware(endpoint, middlewares=[errors, RoutingMiddleware, *routed, *STACK[2:]],
                              lifespan=lifespan, validator_map=validator_map(lenient_operations))
    with _meta_schema_check_skipped():
        app.add_api(spec, resolver=resolve, strict_validation=True, validate_responses=False,
                    swagger_ui_options=None)
    return app


def routed_operation_id(scope: Scope) -> str | None:
    return scope.get("extensions", {}).get(ROUTING_KEY, {}).get("operation_id")


class ContractErrors:
    """In place of Connexion's ServerErrorMiddleware and ExceptionMiddleware, whose every
    handler the sandbox replaced: a refusal Connexion raises (ProblemException, Starlette's
    HTTPException: validation, routing, media type) is answered by `on_status`, any other
    exception by `on_exception`, with no per-request Request objects or handler lookups."""

    def __init__(self, app: ASGIApp, on_status: StatusAnswer, on_exception: ExceptionAnswer) -> None:
        self.app = app
        self.on_status = on_status
        self.on_exception = on_exception

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        tracked = TrackedSend(send)
        try:
            return await self.app(scope, receive, tracked)
        except ProblemException as exc:
            error, response = exc, self.on_status(scope, exc.status, exc.detail or exc.title or "")
        except HTTPException as exc:
            error, response = exc, self.on_status(scope, exc.status_code, exc.detail or "")
        except Exception as exc:
            error, response = exc, self.on_exception(scope, exc)
        if tracked.started:
            raise RuntimeError("An error after the response started.") from error
        error.__traceback__ = None      # Connexion reuses some exception instances
        await response(scope, receive, send)


# -- request validation, compiled per operation ------------------------------------------
# Connexion's RequestValidationOperation builds, for every request, a URI parser, a
# parameter validator, a media-type table and a body validator, all from the operation alone.
# CompiledValidation builds them once per operation (when the stack is built) and runs the
# same checks in the same order: parameters, Content-Type, body.

class CompiledValidation(RequestValidationOperation):
    def __init__(self, next_app: ASGIApp, *, operation, strict_validation: bool = False,
                 validator_map: dict | None = None) -> None:
        super().__init__(next_app, operation=operation, strict_validation=strict_validation,
                         validator_map=validator_map)
        parser = operation.uri_parser_class(operation.parameters, _first_body_definition(operation))
        parameter_class = self._validator_map["parameter"]
        strict = strict_validation and operation.operation_id not in getattr(
            parameter_class, "lenient_operations", ())
        self.parameter_validator = parameter_class(operation.parameters, uri_parser=parser,
                                                   strict_validation=strict,
                                                   security_query_params=self.security_query_params)
        # No declared parameter and no query string: nothing the parameter validator could refuse.
        self.parameter_free = not operation.parameters
        self.takes_body = bool(operation.request_body)
        self.consumes = MediaTypeDict([(c.lower(), None) for c in operation.consumes])
        self.body_validators: dict[tuple[str, str], object] = {}    # (mime type, encoding) -> validator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not (self.parameter_free and not scope.get("query_string")):
            self.parameter_validator.validate(scope)
        if self.takes_body:
            mime_type, encoding = self.extract_content_type(scope["headers"])
            validator = self.body_validator(mime_type, encoding)
            if validator is not None:
                receive, scope = await validator.wrap_receive(receive, scope=scope)
        await self.next_app(scope, receive, send)

    def body_validator(self, mime_type: str, encoding: str):
        """The body validator for this Content-Type (None: none registered), made once per
        media type; UnsupportedMediaTypeProblem for one the operation does not consume."""
        key = (mime_type, encoding)
        if key in self.body_validators:
            return self.body_validators[key]
        self.validate_mime_type(mime_type)
        validator = self._body_validator(mime_type, encoding)
        if len(self.body_validators) >= MEDIA_TYPES_KEPT_MAX:     # Content-Type is the client's
            self.body_validators.clear()
        self.body_validators[key] = validator
        return validator

    def _body_validator(self, mime_type: str, encoding: str):
        operation = self._operation
        schema = operation.body_schema(mime_type)
        validator_class = self._validator_map["body"].get(mime_type) if schema else None
        if validator_class is None:
            return None
        return validator_class(schema=schema, required=operation.request_body.get("required", False),
                               nullable=is_nullable(operation.body_definition(mime_type)),
                               encoding=encoding, strict_validation=self.strict_validation,
                               uri_parser=operation.uri_parser_class(operation.parameters,
                                                                     _first_body_definition(operation)))

    def validate_mime_type(self, mime_type: str) -> None:
        if self.consumes and mime_type.lower() not in self.consumes:
            raise UnsupportedMediaTypeProblem(detail=f"Invalid Content-type ({mime_type}), "
                                                     f"expected {self._operation.consumes}")


def _first_body_definition(operation) -> dict:
    """`operation.body_definition()` (the first media type's), without the warning Connexion
    logs each time for an operation with several."""
    return operation.body_definition(operation.consumes[0]) if operation.consumes else {}


class CompiledValidationAPI(RequestValidationAPI):
    def make_operation(self, operation) -> CompiledValidation:
        return CompiledValidation(self.next_app, operation=operation, strict_validation=self.strict_validation,
                                  validator_map=self.validator_map)


class CompiledValidationMiddleware(RequestValidationMiddleware):
    api_cls = CompiledValidationAPI


# Connexion's default stack without Swagger UI, its security (authentication.py does it, from
# the contract), response validation (the tests validate responses, not the serving path) and
# its context middleware (handlers get their arguments from the dispatcher); its two error
# layers are ContractErrors, its request validation CompiledValidation.
STACK = (ContractErrors, RoutingMiddleware, CompiledValidationMiddleware, LifespanMiddleware)


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
# `compiled`, keyed by the schema dict Connexion keeps per operation; fast_schema.py answers the
# valid ones) and raise
# validation_errors.RequestInvalid, whose field comes from the validator's error path.

def _compiled(cache: dict[int, tuple[dict, FastThenPython]], schema: dict, validator_class) -> FastThenPython:
    cached = cache.get(id(schema))
    if cached is None or cached[0] is not schema:
        if len(cache) >= COMPILED_SCHEMAS_MAX:     # only if Connexion stopped reusing its dicts
            cache.clear()
        python = validator_class(schema, format_checker=Draft4Validator.FORMAT_CHECKER)
        cached = (schema, FastThenPython(schema, python))
        cache[id(schema)] = cached
    return cached[1]


class NamedParameterValidator(ParameterValidator):
    lenient_operations: frozenset[str] = frozenset()    # `x-unknown-parameters: ignore`: not strict
    compiled: dict[int, tuple[dict, FastThenPython]] = {}

    def validate(self, scope):
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
    compiled: dict[int, tuple[dict, FastThenPython]] = {}

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

