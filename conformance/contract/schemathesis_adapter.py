"""The kit's one door into Schemathesis: every name the kit uses from it is read here, and nowhere else.

Public names (`schemathesis.openapi`, `schemathesis.Config`, `schemathesis.GenerationMode`,
`schemathesis.errors.FailureGroup`, `schemathesis.checks.*`, `schema.as_state_machine()` and its hooks) are
used as they are. A few things the kit needs have no public form in 4.32; INTERNALS lists them, and each is
read through `internal()`, which names the missing attribute when a release has moved it
(tests/test_schemathesis_adapter.py checks every one of them against the installed release).
"""
from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, Iterable, Iterator

import schemathesis
from schemathesis import GenerationMode
from schemathesis import checks as public_checks
from schemathesis.errors import FailureGroup

__all__ = ["FailureGroup", "GenerationMode"]

# module -> attribute path, for what the kit reads outside Schemathesis' documented API.
INTERNALS = (
    ("schemathesis.core.parameters", "ParameterLocation.HEADER"),           # case.meta.is_negative_at(...)
    ("schemathesis.generation.meta", "CoverageScenario.MISSING_PARAMETER"),
    ("schemathesis.generation.meta", "CoverageScenario.UNSPECIFIED_HTTP_METHOD"),
    ("schemathesis.generation.meta", "CoveragePhaseData.__dataclass_fields__"),   # case.meta.phase.data
    ("schemathesis.generation.stateful.state_machine", "normalize_name"),   # the rule names of sequence starts
    ("schemathesis.specs.openapi.stateful", "OpenAPIStateMachine.__annotations__"),  # holds `_root_labels`
    ("schemathesis.generation.stateful.state_machine", "APIStateMachine.root_rules"),
    ("schemathesis.specs.openapi.analysis", "OpenAPIAnalysis.dependency_graph"),
)
COVERAGE_DATA_FIELDS = ("scenario", "parameter")      # read from case.meta.phase.data of a coverage case
ROOT_LABELS = "_root_labels"                            # class attribute of OpenAPIStateMachine
BUILT_IN_CHECK_NAMES = (
    "not_a_server_error", "status_code_conformance", "content_type_conformance", "response_schema_conformance",
    "response_headers_conformance", "negative_data_rejection", "positive_data_acceptance", "ignored_auth",
    "missing_required_header", "unsupported_method",
)
STATEFUL_ONLY_CHECK_NAMES = ("use_after_free", "ensure_resource_availability")
FUZZ_ONLY_CHECK_NAMES = frozenset({"negative_data_rejection", "missing_required_header", "unsupported_method"})
# RFC 9110 5.5: a field value is visible ASCII, space, tab and obs-text. Control characters (C0, DEL, and the C1
# range of latin-1) make the request itself invalid HTTP: the server's HTTP layer refuses it (400) before the API
# sees it, so such a header tests the HTTP parser, not the contract. Schemathesis' negative generation draws
# them by default (a share of header values without a codec); its `exclude-header-characters` option keeps
# them out of every header value and name it draws, in every mode.
HEADER_EXCLUDED_CHARACTERS = "".join(chr(code) for code in (*range(0x09), *range(0x0A, 0x20), *range(0x7F, 0xA0)))


class SchemathesisMoved(RuntimeError):
    """The installed Schemathesis lacks something the kit reads: this module needs updating for it."""


def internal(module_name: str, attribute_path: str) -> Any:
    """`module.attribute.path` of the installed Schemathesis, or SchemathesisMoved naming what is missing."""
    where = f"{module_name}.{attribute_path}"
    try:
        found: Any = importlib.import_module(module_name)
    except ImportError as error:
        raise SchemathesisMoved(f"schemathesis {schemathesis.__version__} has no module {module_name} "
                                f"(needed for {where}): update conformance/contract/schemathesis_adapter.py") from error
    for part in attribute_path.split("."):
        if not hasattr(found, part):
            raise SchemathesisMoved(f"schemathesis {schemathesis.__version__} has no {where} (missing: {part}): "
                                    "update conformance/contract/schemathesis_adapter.py")
        found = getattr(found, part)
    return found


def missing_internals() -> list[str]:
    """Every internal the kit reads that the installed release lacks (empty when all are there)."""
    missing = []
    for module_name, attribute_path in INTERNALS:
        try:
            internal(module_name, attribute_path)
        except SchemathesisMoved as moved:
            missing.append(str(moved))
    if missing:
        return missing
    fields = internal("schemathesis.generation.meta", "CoveragePhaseData.__dataclass_fields__")
    missing += [f"schemathesis.generation.meta.CoveragePhaseData has no field {name}"
                for name in COVERAGE_DATA_FIELDS if name not in fields]
    if ROOT_LABELS not in internal("schemathesis.specs.openapi.stateful", "OpenAPIStateMachine.__annotations__"):
        missing.append(f"schemathesis.specs.openapi.stateful.OpenAPIStateMachine declares no {ROOT_LABELS}")
    return missing + [f"schemathesis.checks has no {name}" for name in BUILT_IN_CHECK_NAMES + STATEFUL_ONLY_CHECK_NAMES
                      if not hasattr(public_checks, name)]


def checks_named(names: Iterable[str]) -> tuple:
    """Schemathesis' own checks, by their public names in `schemathesis.checks`."""
    return tuple(getattr(public_checks, name) for name in names)


def fuzz_checks() -> tuple:
    return checks_named(BUILT_IN_CHECK_NAMES)


def stateful_checks() -> tuple:
    """As in fuzzing, without the negative-data ones (the fuzz layer's job), plus the checks needing a sequence."""
    return checks_named([name for name in BUILT_IN_CHECK_NAMES if name not in FUZZ_ONLY_CHECK_NAMES]
                        + list(STATEFUL_ONLY_CHECK_NAMES))


def load_schema(contract_path: Path, base_url: str, accepted_statuses: Iterable[str], *, inferred_links: bool = True):
    """The contract as Schemathesis loads it; `inferred_links=False` keeps the contract's own links only."""
    settings: dict[str, Any] = {
        "base-url": base_url,
        "checks": {"positive_data_acceptance": {"expected-statuses": list(accepted_statuses)}},
        "generation": {"exclude-header-characters": HEADER_EXCLUDED_CHARACTERS},
    }
    if not inferred_links:
        settings["phases"] = {"stateful": {"inference": {"algorithms": []}}}
    return schemathesis.openapi.from_path(contract_path, config=schemathesis.Config.from_dict(settings))


def header_value_is_valid_http(value: object) -> bool:
    """Whether `value` may travel as an HTTP header value (RFC 9110: no control characters, latin-1 at most)."""
    text = str(value)
    return all(ord(char) <= 0xFF for char in text) and not any(char in HEADER_EXCLUDED_CHARACTERS for char in text)


def failures_in(error: BaseException) -> tuple[BaseException, ...]:
    return tuple(error.exceptions) if isinstance(error, FailureGroup) else (error,)


# -- one case's metadata ------------------------------------------------------------------------------------------
def headers_negated(case) -> bool:
    """Whether this case's headers were drawn in negative mode."""
    header = internal("schemathesis.core.parameters", "ParameterLocation.HEADER")
    return bool(case.meta and case.meta.is_negative_at(header))


def coverage_parameter(case) -> str:
    """The parameter a coverage case is about (lower case), '' for any other case."""
    data = case.meta.phase.data if case.meta else None
    return str(getattr(data, "parameter", "") or "").lower()


def coverage_cases(schema, operation, scenarios: tuple[str, ...]) -> Iterator:
    """Negative coverage-phase cases of `operation` whose scenario is one of `scenarios` (CoverageScenario names)."""
    wanted = {internal("schemathesis.generation.meta", f"CoverageScenario.{name}") for name in scenarios}
    cases = schema.iter_coverage_cases(operation, generation_modes=[GenerationMode.NEGATIVE],
                                       generation_config=schema.config.generation_for(operation=operation))
    return (case for case in cases if case.meta and getattr(case.meta.phase.data, "scenario", None) in wanted)


# -- stateful sequences -----------------------------------------------------------------------------------------
def drop_inputs_no_response_gives(schema) -> None:
    """Schemathesis starts sequences only at operations whose inputs some response provides; inputs no response
    gives (the suite fills them itself) are dropped, so they do not hold a creating operation back."""
    internal("schemathesis.specs.openapi.analysis", "OpenAPIAnalysis.dependency_graph")
    graph = schema.analysis.dependency_graph
    produced = {output.resource.name for node in graph.operations.values() for output in node.outputs}
    for node in graph.operations.values():
        node.inputs[:] = [slot for slot in node.inputs if slot.resource.name in produced]


def state_machine(schema, keep_start) -> type:
    """`schema.as_state_machine()`, with sequences starting only at operations whose label `keep_start` accepts."""
    base = schema.as_state_machine()
    normalize_name = internal("schemathesis.generation.stateful.state_machine", "normalize_name")
    labels = getattr(base, ROOT_LABELS)
    dropped = {label for label in labels if not keep_start(label)}
    attributes: dict[str, Any] = {normalize_name(f"RANDOM -> {label}"): None for label in dropped}
    attributes["root_rules"] = frozenset(base.root_rules) - set(attributes)
    attributes[ROOT_LABELS] = frozenset(labels) - dropped
    return type("LinkedMachine", (base,), attributes)
