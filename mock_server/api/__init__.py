"""Thin async handlers, one module per tag of the contract: HTTP in, domain call, HTTP out."""
