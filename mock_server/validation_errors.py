"""Request-validation failures as (code, message, details), from the validator's own data.

The field comes from jsonschema's `error.absolute_path` and the parameter's name, never from
the English text of a message, so mapping an error costs the same whatever the client sent.
A message never repeats the client's value (which may be a megabyte): it names the field
and the rule broken.
"""

from __future__ import annotations

from jsonschema import ValidationError

from mock_server.domain_error import DomainError
from mock_server.error_kinds import ErrorKind

IDEMPOTENCY_HEADER = "idempotency-key"
NAMES_SHOWN_MAX = 10
NAME_CHARS_MAX = 100
FIELD_CHARS_MAX = 200


class RequestInvalid(DomainError):
    """A request the contract refuses (400), rendered by mock_server/errors.py (R4)."""

    def __init__(self, message: str, details: list[tuple[str, str]],
                 kind: ErrorKind = ErrorKind.VALIDATION_ERROR) -> None:
        super().__init__(message, details)
        self.kind = kind


def body_invalid(error: ValidationError) -> RequestInvalid:
    parent = ".".join(str(part) for part in error.absolute_path)
    if error.validator == "required":
        field = _join(parent, _missing_property(error))
        return RequestInvalid(f"'{field}' is required.", [(field, "required")])
    if error.validator == "additionalProperties":
        field = _join(parent, _extra_property(error))
        return RequestInvalid(f"'{field}' is not a field of this body.", [(field, "not allowed")])
    field = parent[:FIELD_CHARS_MAX] or "body"
    issue = rule_broken(error)
    return RequestInvalid(f"'{field}' {issue}.", [(field, issue)])


def parameter_invalid(location: str, name: str, error: ValidationError) -> RequestInvalid:
    issue = rule_broken(error)
    return RequestInvalid(f"The {location} parameter '{name}' {issue}.", [(name, issue)])


def parameter_missing(location: str, name: str) -> RequestInvalid:
    if name.lower() == IDEMPOTENCY_HEADER:
        return RequestInvalid(
            "Send an Idempotency-Key header (1-255 visible ASCII characters) on posting routes.",
            [("Idempotency-Key", "required")], kind=ErrorKind.IDEMPOTENCY_KEY_REQUIRED)
    return RequestInvalid(f"Missing {location} parameter '{name}'.", [(name, "required")])


def parameters_unknown(location: str, names) -> RequestInvalid:
    shown = sorted(str(name)[:NAME_CHARS_MAX] for name in names)[:NAMES_SHOWN_MAX]
    return RequestInvalid(f"Unknown {location} parameter(s): {', '.join(shown)}.",
                          [(name, "not allowed") for name in shown])


def rule_broken(error: ValidationError) -> str:
    """What the value breaks, from the failed keyword and its bound, never the value."""
    rule, bound = error.validator, error.validator_value
    described = {
        "maxLength": f"is longer than {bound} characters",
        "minLength": f"is shorter than {bound} characters",
        "maxItems": f"has more than {bound} items",
        "minItems": f"has fewer than {bound} items",
        "maxProperties": f"has more than {bound} fields",
        "maximum": f"is above {bound}",
        "minimum": f"is below {bound}",
        "type": f"is not of type {bound}",
        "enum": "is not one of the allowed values",
        "pattern": "does not match its pattern",
        "format": f"is not a valid {bound}",
        "oneOf": "must match exactly one of the forms the contract gives it",
        "anyOf": "matches none of the forms the contract gives it",
        "not": "has a form the contract excludes",
    }
    return described.get(rule, f"is invalid ({rule})")


def _missing_property(error: ValidationError) -> str:
    present = error.instance if isinstance(error.instance, dict) else {}
    return next((str(name) for name in error.validator_value if name not in present), "body")


def _extra_property(error: ValidationError) -> str:
    declared = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
    present = error.instance if isinstance(error.instance, dict) else {}
    return next((str(name)[:NAME_CHARS_MAX] for name in present if name not in declared), "body")


def _join(parent: str, name: str) -> str:
    return (f"{parent}.{name}" if parent else name)[:FIELD_CHARS_MAX]
