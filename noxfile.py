"""Chores: `nox -s tests lint typecheck`, `nox -s codegen [-- --check]`, `nox -s bench|demo`,
`nox -s fuzz`."""

from __future__ import annotations

import os

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["lint", "typecheck", "tests"]

PYTHON = "3.11"


def _install(session: nox.Session) -> None:
    session.install("-q", "-e", ".[dev]")


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The test suite (everything over loopback against the emulator)."""
    _install(session)
    session.run("python", "-m", "pytest", "-q", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff: lint and formatting."""
    _install(session)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the package and the code generator."""
    _install(session)
    session.run("mypy")


@nox.session(python=PYTHON)
def codegen(session: nox.Session) -> None:
    """Regenerate mixpanel_async/_generated from openapi/ (`-- --check` fails on a diff)."""
    _install(session)
    session.run("python", "-m", "codegen", *session.posargs)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks against the emulator and the peer; prints figures and ratios."""
    _install(session)
    session.run("python", "-m", "benchmarks", *session.posargs)


@nox.session(python=PYTHON)
def demo(session: nox.Session) -> None:
    """The demo on an embedded emulator."""
    _install(session)
    session.run("mixpanel-async", "demo")


@nox.session(python=PYTHON)
def fuzz(session: nox.Session) -> None:
    """The spec-driven fuzz run with many more requests per operation than the test suite's
    (`MP_FUZZ_EXAMPLES`, default 200 here; `-- -k dashboards` to pick operations)."""
    _install(session)
    examples = os.environ.get("MP_FUZZ_EXAMPLES") or "200"
    session.run(
        "python", "-m", "pytest", "-q", "tests/fuzz", *session.posargs,
        env={"MP_FUZZ_EXAMPLES": examples},
    )  # fmt: skip
