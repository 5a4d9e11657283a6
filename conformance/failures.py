"""Typed failures: one class per kind of breach, each carrying what a person needs to reproduce it."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conformance.http import Exchange

BODY_EXCERPT_CHARS_MAX = 600


def symptom_of(exchange):
    from conformance.causes import symptom_of as found
    return found(exchange)


class Failure(AssertionError):
    """A breach of the contract seen over HTTP. `rule`, `check` and `seed` are set by the runner."""

    kind = "breach"

    def __init__(self, message: str, exchange: Exchange | None = None, *, operation: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.rule = ""
        self.check = ""
        self.seed: int | None = None
        self.method = exchange.method if exchange else None
        self.path = exchange.path if exchange else None
        self.operation = operation or (f"{exchange.method} {exchange.path}" if exchange else None)
        self.status = exchange.status if exchange else None
        self.body_excerpt = exchange.text[:BODY_EXCERPT_CHARS_MAX] if exchange else None
        self.request_id = exchange.request_id if exchange else None
        self.curl = exchange.curl() if exchange else None
        self.exchange = exchange
        self.symptom = symptom_of(exchange)    # a violation another check reports on its own, if shown
        self.sequence: list[str] = []          # curl commands leading to it, the failing one last
        self.also: list[Failure] = []      # further distinct breaches found by the same check

    def as_json(self) -> dict:
        return {"rule": self.rule, "check": self.check, "kind": self.kind, "message": self.message,
                "operation": self.operation, "status": self.status, "requestId": self.request_id,
                "body": self.body_excerpt, "curl": self.sequence or ([self.curl] if self.curl else []),
                "seed": self.seed}

    def describe(self) -> str:
        lines = [f"[{self.rule}] {self.check}: {self.kind}: {self.message}"]
        if self.operation:
            lines.append(f"  operation: {self.operation}")
        if self.status is not None:
            lines.append(f"  status: {self.status}   X-Request-Id: {self.request_id or '(none)'}")
        if self.body_excerpt:
            lines.append(f"  body: {self.body_excerpt}")
        if len(self.sequence) > 1:
            lines.append("  reproduce (in order):")
            lines.extend(f"    {command}" for command in self.sequence)
        elif self.curl:
            lines.append(f"  reproduce: {self.curl}")
        lines.append(f"  seed: {self.seed}")
        return "\n".join(lines)


class WrongStatus(Failure):
    kind = "wrong status"


class WrongErrorShape(Failure):
    kind = "wrong error shape"


class MissingHeader(Failure):
    kind = "missing or wrong header"


class MoneyNotInteger(Failure):
    kind = "money not an integer"


class LedgerChanged(Failure):
    kind = "ledger changed when it must not"


class LedgerMismatch(Failure):
    kind = "ledger differs from what was posted"


class ReplayDiffers(Failure):
    kind = "replay differs"


class ReportsDisagree(Failure):
    kind = "reports disagree"


class DataLeaked(Failure):
    kind = "data of another tenant"


class AuthNotEnforced(Failure):
    kind = "credential not enforced"


class PageBroken(Failure):
    kind = "pagination broken"


class FilterBroken(Failure):
    kind = "list filter broken"


class SecretShownAgain(Failure):
    kind = "webhook secret shown again"


class DeliveryBroken(Failure):
    kind = "webhook delivery breaks R8"


class ContractBreach(Failure):
    kind = "contract check failed"


class SetupFailed(Failure):
    kind = "could not set up"


class Skip(Exception):
    """A check that does not apply here, with the reason stated in the report."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
