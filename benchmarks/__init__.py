"""Benchmarks for cio-toolkit, measured against their floors: `python -m benchmarks`."""
