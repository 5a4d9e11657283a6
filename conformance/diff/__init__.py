"""Contract diff: every change between two versions of the contract, classed breaking or not for partners,
each with a rule id, the JSON pointer where it happens and one sentence for a reviewer.

load.py reads a contract from a file or a git ref; operations.py and schema_view.py place every node, `$ref`s
followed on both sides; rules_operations.py and rules_schemas.py hold one named function per rule; walk.py
runs them over two contracts; render.py prints text, JSON or markdown; cli.py is `ledgerhq-conformance diff`."""
