"""One cause, one headline: failures grouped by their first cause.

A failure whose response shows a violation another check reports on its own (money not integers,
errors not shaped, the run's credential refused) is listed under that check's cause, not as a
headline of its own; the rest are grouped by rule, check and kind (one cause on many operations).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conformance.failures import Failure
    from conformance.http import Exchange

MONEY, UNSHAPED, CREDENTIAL = "money not integers", "errors not shaped", "credential refused"
NATIVE_KIND = {MONEY: "money not an integer", UNSHAPED: "wrong error shape", CREDENTIAL: "credential not enforced"}
SCAN_NODES_MAX = 5_000
SEQUENCE_MAX = 5


def floats_in_money(value: Any) -> bool:
    """Any `...Cents` field that is not an integer (bounded walk)."""
    stack, seen = [value], 0
    while stack and seen < SCAN_NODES_MAX:
        node = stack.pop()
        seen += 1
        if isinstance(node, dict):
            for key, item in node.items():
                if isinstance(key, str) and key.endswith("Cents") and item is not None and (
                        isinstance(item, bool) or not isinstance(item, int)):
                    return True
                stack.append(item)
        elif isinstance(node, list):
            stack.extend(node)
    return False


def shaped_error(body: Any) -> bool:
    error = body.get("error") if isinstance(body, dict) else None
    return isinstance(error, dict) and isinstance(error.get("code"), str) and isinstance(error.get("message"), str)


def symptom_of(exchange: Exchange | None) -> str | None:
    """The already-reported violation this response shows, if any."""
    if exchange is None:
        return None
    authorization = {k.lower(): v for k, v in exchange.request_headers.items()}.get("authorization", "")
    token = authorization.removeprefix("Bearer ").strip()
    if exchange.status == 401 and token and token in exchange.secrets:
        return CREDENTIAL
    body = exchange.json
    if exchange.status >= 400 and not shaped_error(body):
        return UNSHAPED
    if floats_in_money(body):
        return MONEY
    return None


def first_symptom(seen: list[Exchange]) -> str | None:
    """The first already-reported violation among a check's responses: its set-up or arithmetic read it."""
    for exchange in seen:
        found = symptom_of(exchange)
        if found:
            return found
    return None


@dataclass
class Cause:
    head: Failure
    occurrences: list[Failure] = field(default_factory=list)    # the same check, kind and title elsewhere
    dependents: list[Failure] = field(default_factory=list)     # other checks failing because of it
    symptom: str | None = None

    @property
    def operations(self) -> list[str]:
        return list(dict.fromkeys(f.operation or "-" for f in [self.head] + self.occurrences))

    @property
    def dependent_rules(self) -> list[str]:
        return sorted({f.rule for f in self.dependents})

    def headline(self) -> str:
        head = self.head
        text = f"[{head.rule}] {head.check}: {head.kind}: {head.message.splitlines()[0][:200]}"
        if len(self.operations) > 1:
            text += f" (on {len(self.operations)} operations)"
        if self.dependents:
            text += (f"; {len(self.dependents)} more failure(s) in {', '.join(self.dependent_rules)} "
                     "come from it")
        return text


def group_key(failure: Failure) -> tuple:
    title = failure.message.split(":", 1)[0][:80] if failure.kind == "contract check failed" else ""
    return failure.rule, failure.check, failure.kind, title


def root_causes(failures: list[Failure]) -> list[Cause]:
    """Causes in the order their first failure was seen."""
    by_symptom: dict[str, Cause] = {}
    for failure in failures:
        symptom = getattr(failure, "symptom", None)
        if symptom and symptom not in by_symptom and NATIVE_KIND[symptom] == failure.kind:
            by_symptom[symptom] = Cause(failure, symptom=symptom)
    causes: list[Cause] = []
    by_key: dict[tuple, Cause] = {}
    for failure in failures:
        symptom = getattr(failure, "symptom", None)
        cause = by_symptom.get(symptom) if symptom else None
        if cause is not None and cause.head is not failure and group_key(failure) != group_key(cause.head):
            cause.dependents.append(failure)
        elif cause is not None and cause.head is not failure:
            cause.occurrences.append(failure)
        elif cause is None and group_key(failure) in by_key:
            by_key[group_key(failure)].occurrences.append(failure)
        else:
            cause = cause or Cause(failure, symptom=symptom)
            if symptom:
                by_symptom.setdefault(symptom, cause)
            by_key.setdefault(group_key(failure), cause)
            if cause not in causes:
                causes.append(cause)
    for cause in by_symptom.values():
        if cause not in causes:
            causes.append(cause)
    return causes


def minimal_sequence(seen: list[Exchange], failing: Exchange | None) -> list[Exchange]:
    """The check's requests that lead to the failing one: writes to the same path or with the same
    Idempotency-Key, then the failing request itself (at most SEQUENCE_MAX)."""
    if failing is None:
        return []
    key = {k.lower(): v for k, v in failing.request_headers.items()}.get("idempotency-key")
    before = []
    for exchange in seen:
        if exchange is failing:
            break
        same_key = key and {k.lower(): v for k, v in exchange.request_headers.items()}.get("idempotency-key") == key
        if same_key or (exchange.method != "GET" and exchange.path == failing.path):
            before.append(exchange)
    return before[-(SEQUENCE_MAX - 1):] + [failing]
