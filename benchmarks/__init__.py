"""Benchmarks for cio-toolkit: `python -m benchmarks` prints one table."""
