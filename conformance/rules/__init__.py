"""Rule modules, one per rule of the contract; importing them registers their checks."""
from conformance.rules import auth, balance, balance_machine, errors, idempotency, lists, money  # noqa: F401
from conformance.rules import allocations, api_key, bank_register, hierarchy, webhooks  # noqa: F401
