"""Contract layer: Schemathesis over the partner operations (its only door into Schemathesis: adapter.py)."""
