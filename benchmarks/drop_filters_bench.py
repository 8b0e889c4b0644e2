"""Ingestion with drop filters: batches of 2000 through the emulator's ingestion path (in
process, no HTTP), with no governance state, with a filter dropping a whole event, and with a
conditional filter (an equality on one property, JSON read only for that event's rows). Prints
events/s per case and its ratio to the unscreened path."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from benchmarks._server import best, synthetic_events
from mixpanel_async.emulator.engine.drop_filters import FILTERS
from mixpanel_async.emulator.engine.ingest import import_records
from mixpanel_async.emulator.entities import tables
from mixpanel_async.emulator.store import ProjectState

BATCH = 2000
EVENT = "Sign Up"


def _ingest(events: list[dict[str, Any]], setup: Callable[[ProjectState], None]) -> int:
    project = ProjectState("1")
    setup(project)
    now_ms = int(time.time() * 1000)
    for i in range(0, len(events), BATCH):
        import_records(project, events[i : i + BATCH], mode="import", strict=True, now_ms=now_ms)
    return len(project.events)


def _filter(conditions: list[dict[str, Any]]) -> Callable[[ProjectState], None]:
    def setup(project: ProjectState) -> None:
        row = {"eventName": EVENT, "filters": conditions, "active": True}
        tables(project.entities, FILTERS).insert(row)

    return setup


def run(n: int = 200_000) -> dict[str, float]:
    """Ingest `n` synthetic events per case (best of 3); returns events/s per case."""
    events = list(synthetic_events(n))
    cases = {
        "no filters": lambda p: None,
        f"drop every {EVENT!r}": _filter([]),
        f"drop {EVENT!r} where mp_country_code = US": _filter(
            [{"property": "mp_country_code", "value": "US"}]
        ),
    }
    rates: dict[str, float] = {}
    for name, setup in cases.items():
        seconds, stored = best(lambda s=setup: _ingest(events, s), 3)  # type: ignore[misc]
        rates[name] = n / seconds
        ratio = rates[name] / rates["no filters"]
        print(f"ingest {name:48} {rates[name]:>12,.0f} events/s  stored {stored:>8,}  x{ratio:.2f}")
    return rates


if __name__ == "__main__":
    run()
