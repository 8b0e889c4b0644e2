"""Benchmarks: `nox -s bench` (or `python -m benchmarks`). Each prints figures and ratios."""
