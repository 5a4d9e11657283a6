"""Connexion's request validators, with compiled schemas kept and parameter names kept.

Connexion builds a new JSON-schema validator for every parameter and body of every
request, and its parameter errors do not say which parameter failed. These subclasses
compile each schema once and name the parameter, so an error can point at its field.
"""

from __future__ import annotations

from jsonschema import Draft4Validator, ValidationError
from connexion.json_schema import Draft4RequestValidator
from connexion.datastructures import MediaTypeDict
from connexion.exceptions import BadRequestProblem
from connexion.utils import is_null, is_nullable
from connexion.validators import (VALIDATOR_MAP, FormDataValidator, JSONRequestBodyValidator,
                                  ParameterValidator)

_PARAMETER_VALIDATORS: dict[int, tuple[dict, Draft4Validator]] = {}


def _parameter_validator(param: dict) -> Draft4Validator:
    cached = _PARAMETER_VALIDATORS.get(id(param))
    if cached is None or cached[0] is not param:
        schema = param.get("schema", param)
        cached = (param, Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER))
        _PARAMETER_VALIDATORS[id(param)] = cached
    return cached[1]


class NamedParameterValidator(ParameterValidator):
    # operationIds marked `x-unknown-parameters: ignore` (OAuth, RFC 6749 3.1): no strict check
    lenient_operations: frozenset[str] = frozenset()

    def validate(self, scope):
        routed = scope.get("extensions", {}).get("connexion_routing", {})
        if routed.get("operation_id") in self.lenient_operations:
            self.strict_validation = False
        return super().validate(scope)

    @staticmethod
    def validate_parameter(parameter_type, value, param, param_name=None):
        if is_nullable(param) and is_null(value):
            return None
        if value is None:
            if param.get("required"):
                return f"Missing {parameter_type} parameter '{param['name']}'"
            return None
        try:
            _parameter_validator(param).validate(value)
        except ValidationError as exception:
            return f"Invalid {parameter_type} parameter '{param['name']}': {exception.message}"
        return None


class CachedJSONRequestBodyValidator(JSONRequestBodyValidator):
    _compiled = None

    async def _parse(self, stream, scope):
        try:
            return await super()._parse(stream, scope)
        except UnicodeDecodeError:
            raise BadRequestProblem(detail="The request body is not UTF-8 encoded JSON.") from None

    @property
    def _validator(self):
        if self._compiled is None:
            self._compiled = Draft4RequestValidator(
                self._schema, format_checker=Draft4Validator.FORMAT_CHECKER)
        return self._compiled


class OAuthFormValidator(FormDataValidator):
    """Form bodies (the OAuth token endpoint only): parsed, never refused by schema.

    RFC 6749 says unknown parameters are ignored and every bad request is answered in its
    own error form (`invalid_request`, ...), which the handler does; a schema refusal here
    would answer the structured Error instead."""

    def _validate(self, body):
        return None


def lenient_operation_ids(spec: dict) -> frozenset[str]:
    """Operations whose unknown parameters are ignored rather than refused."""
    return frozenset(operation["operationId"] for path_item in spec["paths"].values()
                     for operation in path_item.values()
                     if isinstance(operation, dict) and operation.get("x-unknown-parameters") == "ignore")


def validator_map(lenient_operations: frozenset[str] = frozenset()) -> dict:
    parameter = type("ParameterValidator", (NamedParameterValidator,),
                     {"lenient_operations": lenient_operations})
    body = MediaTypeDict({**VALIDATOR_MAP["body"], "*/*json": CachedJSONRequestBodyValidator,
                          "application/x-www-form-urlencoded": OAuthFormValidator})
    return {"parameter": parameter, "body": body,
            "response": VALIDATOR_MAP["response"]}
