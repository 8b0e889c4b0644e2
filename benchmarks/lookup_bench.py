"""Segmentation by a lookup table's column: the emulator's segmentation engine (in process,
no HTTP) broken down by `mp_country_code`, then by `mp_country_code.region` once the property
is mapped to a four-row lookup table (the engine reads the mapped property and translates it
through the table as it reads any property). Prints seconds per query and the ratio of the
mapped one to the plain one."""

from __future__ import annotations

import time
from typing import Any

from benchmarks._server import best, synthetic_events
from mixpanel_async.emulator.engine import custom_columns, rows
from mixpanel_async.emulator.engine import segmentation as seg
from mixpanel_async.emulator.engine.drop_filters import PROPERTIES
from mixpanel_async.emulator.engine.ingest import import_records
from mixpanel_async.emulator.entities import tables
from mixpanel_async.emulator.store import ProjectState

CSV = "code,region\nUS,Americas\nBR,Americas\nDE,Europe\nIN,Asia\n"
WINDOW = seg.Window(from_date="2026-10-01", to_date="2026-10-31")


def _project(n: int) -> ProjectState:
    project = ProjectState("1")
    events = list(synthetic_events(n))
    now_ms = int(time.time() * 1000)
    for i in range(0, n, 2000):
        import_records(project, events[i : i + 2000], mode="import", strict=True, now_ms=now_ms)
    table = tables(project.entities, "lookup_table").insert({"name": "regions", "csv": CSV})
    definition = {"name": "mp_country_code", "resourceType": "Event",
                  "dataGroupId": str(table["id"])}  # fmt: skip
    tables(project.entities, PROPERTIES).insert(definition)
    return project


def _segment(project: ProjectState, on: str, cold: bool) -> Any:
    frame = project.events.deduped()
    if cold:  # no cached raw columns: the key property is cut from the events again
        rows.clear_cache()
    return seg.segmentation(frame, WINDOW, event="Sign Up", count_type="general", on=on, limit=50)


def run(n: int = 200_000) -> dict[str, float]:
    """Time both breakdowns over `n` synthetic events (best of 3); returns seconds per case."""
    project = _project(n)
    custom_columns.SOURCE.set(lambda: project.entities)
    cases = {
        "by mp_country_code": ('properties["mp_country_code"]', False),
        "by mp_country_code.region (mapped)": ('properties["mp_country_code.region"]', False),
        "by mp_country_code, cold": ('properties["mp_country_code"]', True),
        "by mp_country_code.region, cold": ('properties["mp_country_code.region"]', True),
    }
    times: dict[str, float] = {}
    for name, (on, cold) in cases.items():
        seconds, _ = best(lambda o=on, c=cold: _segment(project, o, c), 3)  # type: ignore[misc]
        times[name] = seconds
        ratio = seconds / next(iter(times.values()))
        print(f"segmentation {name:40} {seconds:>8.3f} s over {n:,} events  x{ratio:.2f}")
    return times


if __name__ == "__main__":
    run()
