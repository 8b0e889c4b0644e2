"""Property-based fuzzing of the emulator from our own `openapi/` specs (schemathesis).

For every operation in every spec, requests generated from its parameters and body schema go
over loopback to one emulator (seeded with the demo data, never reset in between, so what one
operation writes is what later ones read). Each answer must: not be a 5xx, have a status code
the spec documents, have a documented content type, and fit the spec's response schema.

Bounded and deterministic: `MP_FUZZ_EXAMPLES` requests per operation (default 12; `nox -s fuzz`
runs more), hypothesis derandomized (the same requests every run, in operation order), no
example database.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
requests = pytest.importorskip("requests")
yaml = pytest.importorskip("yaml")

import orjson  # noqa: E402
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from schemathesis import checks  # noqa: E402

from mixpanel_async._operation import HOST_PREFIX  # noqa: E402
from mixpanel_async.emulator import Emulator  # noqa: E402
from mixpanel_async.emulator.app import family_of  # noqa: E402
from mixpanel_async.emulator.demo import generate  # noqa: E402
from mixpanel_async.emulator.seeding import load_demo  # noqa: E402

SPECS = Path(__file__).resolve().parents[2] / "openapi"
EXAMPLES = int(os.environ.get("MP_FUZZ_EXAMPLES", "12"))
TIMEOUT = 60.0


def documented_success(ctx: Any, response: Any, case: Any) -> bool | None:
    """A 2xx answer has a status code the operation's spec documents."""
    status = response.status_code
    if 200 <= status < 300 and str(status) not in case.operation.definition.raw["responses"]:
        raise AssertionError(f"undocumented success status {status}")
    return None


def mixpanel_error_shape(ctx: Any, response: Any, case: Any) -> bool | None:
    """A 4xx answer is in the error shape of its host family (what Mixpanel's clients parse),
    never a framework's plain text. (The specs document the common 400/404 answers; not every
    invalid-input answer of every operation, so a 4xx is judged by its shape.)"""
    if not 400 <= response.status_code < 500:
        return None
    family = family_of(case.path)
    text = response.content.decode("utf-8", "replace")
    if family in ("ingestion", "import") and text == "0":  # a bare 0 (not verbose)
        return None
    body = orjson.loads(text)  # not JSON: fails here
    assert isinstance(body, dict), body
    assert isinstance(body.get("error"), str), body
    # The App API, ingestion, recordings and flag evaluation answer `{status, error}` (`/import`
    # adds `code`, except to the official SDK's form post); the query, engage and export APIs
    # `{request, error}`.
    required = {"request"} if family in ("query", "export") else {"status"}
    assert required <= set(body), (family, body)
    return None


CHECKS = [
    checks.not_a_server_error,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    documented_success,
    mixpanel_error_shape,
]
MAX_DAYS = 366
"""Generated date ranges are cut to this many days: date-range limits are the emulator's own
concern (a range of centuries over the demo data is slow, not wrong)."""


def _schema(path: Path) -> Any:
    """One family's spec as schemathesis reads it: paths under their host family's prefix
    (the specs write them relative to it, as Mixpanel does)."""
    raw = yaml.safe_load(path.read_text())
    paths: dict[str, Any] = {}
    for template, item in raw["paths"].items():
        hosts = {op["x-mixpanel-host"] for op in item.values() if isinstance(op, dict)}
        (host,) = hosts  # one host per path in our specs
        paths[HOST_PREFIX[host] + template] = item
    raw["paths"] = paths
    return schemathesis.openapi.from_dict(raw)


def _operations() -> Iterator[Any]:
    for path in sorted(SPECS.glob("*.yaml")):
        for result in _schema(path).get_all_operations():
            operation = result.ok()
            yield pytest.param(operation, id=operation.definition.raw["operationId"])


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    """One emulator for the whole run, holding a small demo product (60 users over 30 days:
    enough for every report to compute something, small enough for many requests)."""
    emu = Emulator(port=0)
    load_demo(emu.state, generate(users=60, days=30))
    with emu:
        yield emu


SENT: list[int] = [0]
"""Requests sent so far (`conftest.py` reports the number at the end of the run)."""


@pytest.fixture(scope="module")
def session() -> Iterator[Any]:
    """One HTTP session (keep-alive) for the whole run."""
    with requests.Session() as s:
        yield s


def _bounded_dates(query: dict[str, Any] | None) -> None:
    """Cut a generated `from_date`..`to_date` to at most `MAX_DAYS` days."""
    if not query:
        return
    try:
        first = dt.date.fromisoformat(str(query["from_date"]))
        last = dt.date.fromisoformat(str(query["to_date"]))
    except (KeyError, ValueError):
        return
    if (last - first).days > MAX_DAYS:
        query["to_date"] = (first + dt.timedelta(days=MAX_DAYS)).isoformat()


@pytest.mark.parametrize("operation", list(_operations()))
def test_fuzz(operation: Any, emulator: Emulator, session: Any) -> None:
    """Generated requests to one operation get answers that fit its spec, never a 5xx."""

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
    )
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        _bounded_dates(case.query)
        SENT[0] += 1
        case.call_and_validate(
            base_url=emulator.url,
            session=session,
            checks=CHECKS,
            timeout=TIMEOUT,
            allow_redirects=False,
        )

    run()
