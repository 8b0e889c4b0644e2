"""Drop filters against an independent computation: random events go through `/import` with
several filters active, and what the emulator kept must be exactly what a DuckDB query over the
same input keeps (the filters written again as SQL; a missing property is NULL there, so a
condition on it is false unless it asks for the property's absence)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import duckdb

from mixpanel_async import AsyncWorkspace
from tests.helpers import ev, today_moment

FILTERS: list[dict[str, Any]] = [
    {"event_name": "A", "filters": [
        {"property": "env", "operator": "equals", "value": ["test", "dev"]},
        {"property": "tier", "operator": "is set"},
    ]},
    {"event_name": "B", "filters": {"property": "note", "operator": "contains", "value": "bot"}},
    {"event_name": "B", "filters": [
        {"property": "tier", "operator": "does not equal", "value": 2},
    ]},
    {"event_name": "C", "filters": [{"property": "env", "operator": "is not set"}]},
    {"event_name": "C", "filters": [{"property": "env", "value": "prod"}]},  # made inactive below
]  # fmt: skip
DROPPED_SQL = """
    (event = 'A' AND env IN ('test', 'dev') AND tier IS NOT NULL)
    OR (event = 'B' AND note LIKE '%bot%')
    OR (event = 'B' AND NOT (tier IS NOT NULL AND tier = '2'))
    OR (event = 'C' AND env IS NULL)
"""


def events(seed: int = 13) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    at = today_moment()
    out = []
    for n in range(600):
        props: dict[str, Any] = {}
        for name, choices in (
            ("env", ["test", "prod", "dev", None]),
            ("tier", [1, 2, "2", None]),
            ("note", ["a bot here", "human", "robot", None]),
        ):
            value = rng.choice(choices)
            if value is not None:
                props[name] = value
        out.append(ev(rng.choice("ABCD"), f"u{n % 40}", at - n, f"r{n}", **props))
    return out


async def test_kept_events_match_sql(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    made = []
    for f in FILTERS:
        made = await ws.create_drop_filter(f)
    await ws.update_drop_filter({"id": made[-1].id, "active": False})
    sent = events()
    result = await ws.import_events(sent)
    assert result.imported == len(sent)

    day = dt.datetime.fromtimestamp(today_moment(), dt.UTC).date()
    frame = await ws.export_events(day - dt.timedelta(days=1), day)
    kept = set(frame["insert_id"].to_list())

    rows = [
        (
            e["event"],
            e["properties"]["$insert_id"],
            e["properties"].get("env"),
            None if "tier" not in e["properties"] else str(e["properties"]["tier"]),
            e["properties"].get("note"),
        )
        for e in sent
    ]
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE sent (event VARCHAR, id VARCHAR, env VARCHAR, tier VARCHAR, note VARCHAR)"
    )
    con.executemany("INSERT INTO sent VALUES (?, ?, ?, ?, ?)", rows)
    expected = {
        r[0]
        for r in con.execute(
            f"SELECT id FROM sent WHERE NOT coalesce({DROPPED_SQL}, false)"
        ).fetchall()
    }
    assert 0 < len(expected) < len(sent)
    assert kept == expected
