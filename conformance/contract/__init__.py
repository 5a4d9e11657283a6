"""Contract layer: Schemathesis over the partner operations; importing registers its checks."""
from conformance.contract import fuzz, stateful  # noqa: F401
