"""Load the deterministic demo product (`--seed demo`) into every project of a state."""

from __future__ import annotations

from typing import Any

from mixpanel_async.emulator.demo import DemoData, generate
from mixpanel_async.emulator.event_text import stored_text
from mixpanel_async.emulator.store import EventRow, State

DEMO_FUNNELS: list[dict[str, Any]] = [
    {
        "funnel_id": 7001,
        "name": "Onboarding",
        "steps": ["Sign Up", "Create Project", "Invite Sent"],
    },
    {
        "funnel_id": 7002,
        "name": "Checkout",
        "steps": ["View Page", "Add to Cart", "Checkout Started", "Purchase"],
    },
]


def rows_of(events: list[dict[str, Any]]) -> list[EventRow]:
    """Store rows for events already in the stored JSON convention (time in seconds)."""
    rows: list[EventRow] = []
    for e in events:
        props = e["properties"]
        rows.append(
            (
                e["event"],
                str(props["distinct_id"]),
                int(props["time"]) * 1000,
                props.get("$insert_id"),
                stored_text(dict(props)),
            )
        )
    return rows


def load_demo(state: State, data: DemoData | None = None) -> DemoData:
    """Fill each project with the demo events, profiles, funnels and two cohorts."""
    data = data or generate()
    rows = rows_of(data.events)
    paying = sorted(
        {e["properties"]["distinct_id"] for e in data.events if e["event"] == "Purchase"}
    )
    for project in state:
        project.events.append(rows)
        project.profiles.update({p["$distinct_id"]: dict(p["$properties"]) for p in data.profiles})
        project.funnels[:] = [dict(f) for f in DEMO_FUNNELS]
        project.cohorts[:] = [
            {
                "id": 9001,
                "name": "Paying customers",
                "count": len(paying),
                "description": "Users with at least one Purchase",
                "created": "2026-08-01 00:00:00",
                "is_visible": True,
                "distinct_ids": paying,
            },
            {
                "id": 9002,
                "name": "Pro plan",
                "count": sum(1 for p in data.profiles if p["$properties"].get("plan") == "pro"),
                "description": "Profiles on the pro plan",
                "created": "2026-08-01 00:00:00",
                "is_visible": True,
                "where": 'properties["plan"] == "pro"',
            },
        ]
    return data
