"""Faulty servers: the sandbox behind a proxy that breaks exactly one rule, to prove the suite catches it."""
