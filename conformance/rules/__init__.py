"""Rule modules: each named for the rule it checks (`money`, `money_allocations`); conformance.registry.RULES
lists them."""
