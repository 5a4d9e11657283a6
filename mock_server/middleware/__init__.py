"""ASGI middlewares of the sandbox, one job each."""
