"""The fuzz run's closing line: how many requests it sent."""

from __future__ import annotations

import sys

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Report the number of fuzzed requests, when the fuzz test ran."""
    fuzz = sys.modules.get("tests.fuzz.test_fuzz")
    if fuzz is not None and fuzz.SENT[0]:
        terminalreporter.write_line(
            f"fuzz: {fuzz.SENT[0]} requests ({fuzz.EXAMPLES} generated per operation)"
        )
