"""The live contract suite itself runs: once against the emulator, as `pytest -m live` would
against Mixpanel, so that it does not rot while nobody has credentials at hand."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from mixpanel_async.emulator import Emulator
from tests.conformance.spec_facts import REPO


def test_the_live_suite_passes_against_the_emulator(
    mixpanel_emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The write tests need a project named for testing.
    monkeypatch.setattr(mixpanel_emulator.state.default, "name", "Live test project")
    env = {
        **os.environ,
        "MP_API_BASE_URL": mixpanel_emulator.url,
        "MP_USERNAME": "dry-run",
        "MP_SECRET": "dry-run",
        "MP_PROJECT_ID": "1",
        "MP_REGION": "us",
        "MP_LIVE_WRITE": "1",
    }
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "live", "-rs",
         "tests/live"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert " passed" in run.stdout
    assert "skipped" not in run.stdout, run.stdout[-3000:]


def test_the_normal_suite_skips_the_live_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without `-m live` nothing in tests/live runs, credentials or not."""
    env = {**os.environ, "MP_USERNAME": "x", "MP_SECRET": "y", "MP_PROJECT_ID": "1",
           "MP_REGION": "us", "MP_API_BASE_URL": "http://127.0.0.1:9"}  # fmt: skip
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/live"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert " passed" not in run.stdout
    assert "skipped" in run.stdout
