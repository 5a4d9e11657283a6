"""The kit's version: the one source for pyproject, both CLIs and the health check."""

VERSION = "0.2.0"
