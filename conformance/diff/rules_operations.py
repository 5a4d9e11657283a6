"""Rules over the routes of two contracts and over one operation in both: parameters, security,
idempotency, request bodies, statuses, media types and headers. Schemas are compared in rules_schemas."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from conformance.diff.changes import Change, change, diff_rule
from conformance.diff.operations import IDEMPOTENCY_KEY, Operation, resolved
from conformance.diff.schema_view import join


@dataclass(frozen=True, slots=True)
class OperationPair:
    old: Operation
    new: Operation
    old_spec: dict
    new_spec: dict


@dataclass(frozen=True, slots=True)
class ContractPair:
    old_spec: dict
    new_spec: dict
    old_operations: dict
    new_operations: dict


@diff_rule("operation-removed")
def operations_removed(pair: ContractPair) -> Iterator[Change]:
    for key in pair.old_operations.keys() - pair.new_operations.keys():
        gone = pair.old_operations[key]
        yield change("operation-removed", gone.pointer, f"Operation {gone.label} is gone: partners who call it get "
                                                        f"404 or 405.")


@diff_rule("operation-added")
def operations_added(pair: ContractPair) -> Iterator[Change]:
    for key in pair.new_operations.keys() - pair.old_operations.keys():
        added = pair.new_operations[key]
        yield change("operation-added", added.pointer, f"New operation {added.label}.")


@diff_rule("security-scheme-changed")
def security_schemes_changed(pair: ContractPair) -> Iterator[Change]:
    old = (pair.old_spec.get("components") or {}).get("securitySchemes") or {}
    new = (pair.new_spec.get("components") or {}).get("securitySchemes") or {}
    for name in sorted(old.keys() & new.keys()):
        fields = ("type", "scheme", "in", "name")
        if any(old[name].get(field) != new[name].get(field) for field in fields):
            yield change("security-scheme-changed", join("/components/securitySchemes", name),
                         f"Security scheme `{name}` is sent another way now ({', '.join(fields)}): partners' "
                         f"credentials no longer reach it.")


@diff_rule("operation-deprecated")
def operation_deprecated(pair: OperationPair) -> Iterator[Change]:
    if pair.new.node.get("deprecated") and not pair.old.node.get("deprecated"):
        yield change("operation-deprecated", join(pair.new.pointer, "deprecated"),
                     f"Operation {pair.new.label} is deprecated.")


@diff_rule("parameter-removed")
def parameters_removed(pair: OperationPair) -> Iterator[Change]:
    for key in sorted(pair.old.parameters.keys() - pair.new.parameters.keys() - {IDEMPOTENCY_KEY}):
        yield change("parameter-removed", join(pair.new.pointer, "parameters"),
                     f"Parameter `{pair.old.parameters[key].name}` ({key[0]}) is gone: a partner who sends it is "
                     f"refused or has it ignored.")


@diff_rule("parameter-added", "parameter-required-added")
def parameters_added(pair: OperationPair) -> Iterator[Change]:
    for key in sorted(pair.new.parameters.keys() - pair.old.parameters.keys()):
        added = pair.new.parameters[key]
        if added.required:
            yield change("parameter-required-added", added.pointer,
                         f"New required parameter `{added.name}` ({key[0]}): requests without it are refused.")
        else:
            yield change("parameter-added", added.pointer, f"New optional parameter `{added.name}` ({key[0]}).")


@diff_rule("parameter-made-required", "parameter-made-optional")
def parameter_required_changed(pair: OperationPair) -> Iterator[Change]:
    for key in sorted(pair.old.parameters.keys() & pair.new.parameters.keys()):
        was, now = pair.old.parameters[key].required, pair.new.parameters[key].required
        where, name = pair.new.parameters[key].pointer, pair.new.parameters[key].name
        if now and not was:
            yield change("parameter-made-required", join(where, "required"),
                         f"Parameter `{name}` ({key[0]}) is now required: requests without it are refused.")
        elif was and not now and key != IDEMPOTENCY_KEY:
            yield change("parameter-made-optional", join(where, "required"),
                         f"Parameter `{name}` ({key[0]}) is now optional.")


@diff_rule("idempotency-key-removed", "idempotency-key-made-optional")
def idempotency_key_weakened(pair: OperationPair) -> Iterator[Change]:
    old, new = pair.old.parameters.get(IDEMPOTENCY_KEY), pair.new.parameters.get(IDEMPOTENCY_KEY)
    if old is not None and new is None:
        yield change("idempotency-key-removed", join(pair.new.pointer, "parameters"),
                     f"{pair.new.label} no longer takes an Idempotency-Key: a retried request may post twice.")
    elif old is not None and old.required and not new.required:
        yield change("idempotency-key-made-optional", join(new.pointer, "required"),
                     f"{pair.new.label} no longer requires an Idempotency-Key: a retry without one may post twice.")


@diff_rule("security-requirement-added", "security-requirement-relaxed")
def security_changed(pair: OperationPair) -> Iterator[Change]:
    """A caller who met an old alternative still gets in when some new alternative needs no more than it."""
    old, new = pair.old.security, pair.new.security
    stranded = [need for need in old if not any(other <= need for other in new)]
    if stranded:
        needs = " or ".join(", ".join(sorted(n)) or "no credential" for n in stranded)
        yield change("security-requirement-added", pair.new.security_pointer,
                     f"{pair.new.label} needs more credentials than before: a caller with {needs} is refused.")
    elif any(not any(other <= need for other in old) for need in new):
        ways = " or ".join(", ".join(sorted(need)) or "no credential" for need in new)
        yield change("security-requirement-relaxed", pair.new.security_pointer,
                     f"{pair.new.label} lets more callers in: {ways}.")


def request_body(spec: dict, operation: Operation) -> tuple[dict | None, str]:
    if "requestBody" not in operation.node:
        return None, join(operation.pointer, "requestBody")
    return resolved(spec, operation.node["requestBody"], join(operation.pointer, "requestBody"))


@diff_rule("request-body-removed", "request-body-added", "request-body-required-added", "request-body-made-required",
           "request-body-made-optional")
def request_body_changed(pair: OperationPair) -> Iterator[Change]:
    (old, _), (new, where) = request_body(pair.old_spec, pair.old), request_body(pair.new_spec, pair.new)
    label = pair.new.label
    if old is not None and new is None:
        yield change("request-body-removed", where, f"{label} takes no body any more: partners who send one may be "
                                                    f"refused.")
    elif old is None and new is not None:
        rule_id = "request-body-required-added" if new.get("required") else "request-body-added"
        yield change(rule_id, where, f"{label} takes a {'required' if new.get('required') else 'optional'} body now.")
    elif old is not None and bool(old.get("required")) != bool(new.get("required")):
        rule_id = "request-body-made-required" if new.get("required") else "request-body-made-optional"
        yield change(rule_id, join(where, "required"),
                     f"The body of {label} is now {'required' if new.get('required') else 'optional'}.")


@diff_rule("request-media-type-removed", "request-media-type-added")
def request_media_types_changed(pair: OperationPair) -> Iterator[Change]:
    (old, _), (new, where) = request_body(pair.old_spec, pair.old), request_body(pair.new_spec, pair.new)
    if old is None or new is None:
        return
    old_types, new_types = (old.get("content") or {}).keys(), (new.get("content") or {}).keys()
    for media_type in sorted(old_types - new_types):
        yield change("request-media-type-removed", join(where, "content", media_type),
                     f"{pair.new.label} no longer takes a {media_type} body: partners who send one are refused.")
    for media_type in sorted(new_types - old_types):
        yield change("request-media-type-added", join(where, "content", media_type),
                     f"{pair.new.label} also takes a {media_type} body.")


@diff_rule("response-status-removed", "response-status-added")
def response_statuses_changed(pair: OperationPair) -> Iterator[Change]:
    old, new = pair.old.node.get("responses") or {}, pair.new.node.get("responses") or {}
    for status in sorted(old.keys() - new.keys()):
        yield change("response-status-removed", join(pair.new.pointer, "responses", status),
                     f"{pair.new.label} no longer declares status {status}: partners who handle it lose that "
                     f"promise.")
    for status in sorted(new.keys() - old.keys()):
        yield change("response-status-added", join(pair.new.pointer, "responses", status),
                     f"{pair.new.label} declares a new status {status}.")


@dataclass(frozen=True, slots=True)
class ResponsePair:
    status: str
    old: dict
    old_pointer: str
    new: dict
    new_pointer: str


def common_responses(pair: OperationPair) -> Iterator[ResponsePair]:
    """The responses of each status both sides declare, `$ref`s followed, with where each lives."""
    old, new = pair.old.node.get("responses") or {}, pair.new.node.get("responses") or {}
    for status in sorted(old.keys() & new.keys()):
        old_response, old_where = resolved(pair.old_spec, old[status], join(pair.old.pointer, "responses", status))
        new_response, new_where = resolved(pair.new_spec, new[status], join(pair.new.pointer, "responses", status))
        yield ResponsePair(status, old_response, old_where, new_response, new_where)


@diff_rule("response-media-type-removed", "response-media-type-added")
def response_media_types_changed(pair: OperationPair) -> Iterator[Change]:
    for response in common_responses(pair):
        status, old, new, where = response.status, response.old, response.new, response.new_pointer
        old_types, new_types = (old.get("content") or {}).keys(), (new.get("content") or {}).keys()
        for media_type in sorted(old_types - new_types):
            yield change("response-media-type-removed", join(where, "content", media_type),
                         f"Status {status} is no longer sent as {media_type}: partners who parse it break.")
        for media_type in sorted(new_types - old_types):
            yield change("response-media-type-added", join(where, "content", media_type),
                         f"Status {status} may now be sent as {media_type}.")


@diff_rule("response-header-removed", "response-header-added")
def response_headers_changed(pair: OperationPair) -> Iterator[Change]:
    for response in common_responses(pair):
        status, old, new, where = response.status, response.old, response.new, response.new_pointer
        old_names = {name.lower(): name for name in old.get("headers") or {}}
        new_names = {name.lower(): name for name in new.get("headers") or {}}
        for name in sorted(old_names.keys() - new_names.keys()):
            yield change("response-header-removed", join(where, "headers", old_names[name]),
                         f"Status {status} no longer promises header {old_names[name]}: partners who read it break.")
        for name in sorted(new_names.keys() - old_names.keys()):
            yield change("response-header-added", join(where, "headers", new_names[name]),
                         f"Status {status} now sends header {new_names[name]}.")


CONTRACT_RULES = (operations_removed, operations_added, security_schemes_changed)
OPERATION_RULES = (operation_deprecated, parameters_removed, parameters_added, parameter_required_changed,
                   idempotency_key_weakened, security_changed, request_body_changed, request_media_types_changed,
                   response_statuses_changed, response_media_types_changed, response_headers_changed)
