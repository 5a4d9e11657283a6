"""Domain errors. No HTTP here: `kind` is an `ErrorKind` of the catalog
(mock_server/error_kinds.py), and mock_server/errors.py renders it (R4).

Every error carries a message telling the caller how to fix the request, and
`details`, a list of (field, issue) pairs naming request fields as the contract
spells them (camelCase, with list indexes: "lines[1].debitCents").
"""
from __future__ import annotations

from mock_server.domain_error import Detail, DomainError
from mock_server.error_kinds import ErrorKind


class LedgerError(DomainError):
    kind = ErrorKind.VALIDATION_ERROR


class InvalidField(LedgerError):
    """A request field is malformed (400 VALIDATION_ERROR)."""

    kind = ErrorKind.VALIDATION_ERROR

    def __init__(self, field: str, issue: str, message: str | None = None) -> None:
        super().__init__(message or f"Field {field!r} {issue}.", [(field, issue)])
        self.field = field

    @classmethod
    def many(cls, details: list[Detail]) -> "InvalidField":
        """One error naming every bad field at once."""
        assert details
        error = cls(details[0][0], details[0][1])
        if len(details) > 1:
            error.details = list(details)
            error.message = error.args[0] + f" ({len(details) - 1} more issue(s) in details.)"
            error.args = (error.message,)
        return error


class NotFound(LedgerError):
    kind = ErrorKind.NOT_FOUND

    def __init__(self, resource: str, resource_id: str) -> None:
        super().__init__(
            f"No {resource} {resource_id!r} in this company. List the company's {resource}s "
            "to find a valid id.",
        )
        self.resource = resource
        self.resource_id = resource_id


class InvalidState(LedgerError):
    kind = ErrorKind.INVALID_STATE

    def __init__(self, resource_id: str, state: str, action: str, hint: str = "") -> None:
        message = f"Cannot {action} {resource_id!r}: it is {state}."
        super().__init__(f"{message} {hint}".strip())
        self.resource_id = resource_id
        self.state = state
        self.action = action


class AccountCodeTaken(InvalidState):
    """Another account of the company has this code (409 INVALID_STATE, per the contract)."""

    def __init__(self, code: str) -> None:
        LedgerError.__init__(self, f"Account code {code!r} is taken in this company; pick another code.",
                             [("code", "duplicate code")])
        self.resource_id, self.state, self.action = code, "taken", "use"


class AccountInUse(LedgerError):
    kind = ErrorKind.ACCOUNT_IN_USE

    def __init__(self, account_id: str, action: str) -> None:
        super().__init__(
            f"Cannot {action} account {account_id!r}: it has activity. Archive it instead."
        )
        self.account_id = account_id


class UnbalancedEntry(LedgerError):
    kind = ErrorKind.UNBALANCED_ENTRY

    def __init__(self, debit_cents: int, credit_cents: int, entry_id: str | None = None) -> None:
        name = f"Entry {entry_id!r}" if entry_id else "The entry"
        super().__init__(
            f"{name} does not balance: debits {debit_cents} != credits {credit_cents} cents. "
            "Make the debit and credit totals equal.",
            [("lines", f"debits {debit_cents} != credits {credit_cents}")],
        )
        self.entry_id = entry_id


class Unprocessable(LedgerError):
    kind = ErrorKind.UNPROCESSABLE

    def __init__(self, message: str, field: str | None = None, issue: str | None = None) -> None:
        super().__init__(message, [(field, issue or message)] if field else [])


class IdempotencyKeyReused(LedgerError):
    kind = ErrorKind.IDEMPOTENCY_KEY_REUSED

    def __init__(self, key: str) -> None:
        super().__init__(
            f"Idempotency-Key {key!r} was already used with another route or body. "
            "Send a new key for a new request.",
        )


class IdempotencyKeyInUse(LedgerError):
    kind = ErrorKind.IDEMPOTENCY_KEY_IN_USE

    def __init__(self, key: str) -> None:
        super().__init__(
            f"A request with Idempotency-Key {key!r} is still in flight. Retry shortly.",
        )


class IdempotencyKeysExhausted(LedgerError):
    """The store holds its most keys (429 RATE_LIMITED, retryable): keys are kept 24 h."""

    kind = ErrorKind.RATE_LIMITED

    def __init__(self, keys_max: int) -> None:
        super().__init__(
            f"This sandbox holds at most {keys_max} idempotency keys within 24 hours; "
            "retry later, or reset the sandbox.",
        )


class IdempotencyKeyQuotaReached(LedgerError):
    """One company holds its quota of keys (429 RATE_LIMITED, retryable); other companies'
    keys are neither refused nor shortened."""

    kind = ErrorKind.RATE_LIMITED

    def __init__(self, keys_max: int, ttl_hours: int) -> None:
        super().__init__(
            f"This company holds its quota of {keys_max} idempotency keys; a key is kept "
            f"{ttl_hours} hours after its first use. Retry later: only this company is limited.",
            [("Idempotency-Key", "company quota reached")],
        )


class BooksReplaced(LedgerError):
    """A posting whose company's books were replaced (a reset, a fixture load) while it was in
    flight: refused, nothing posted (503, retryable; the retry posts in the new books)."""

    kind = ErrorKind.SERVICE_UNAVAILABLE

    def __init__(self, company_id: str) -> None:
        super().__init__(f"The books of company {company_id!r} were reset while this request was "
                         "in flight; nothing was posted. Retry with the same Idempotency-Key.")


class FixtureError(Exception):
    """A fixture failed to load; `issues` lists every problem found (not a partner error)."""

    def __init__(self, issues: list[str]) -> None:
        super().__init__("fixture is invalid:\n  " + "\n  ".join(issues))
        self.issues = issues
