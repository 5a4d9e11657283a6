"""Credentials, tenancy and the OAuth 2.0 authorization server (no web framework here)."""
