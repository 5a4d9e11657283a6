"""Benchmarks of the sandbox: `make bench` prints the table."""
