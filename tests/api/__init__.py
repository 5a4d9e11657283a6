"""HTTP tests of the sandbox through the contract-validating client."""
