"""Data volume anomalies through AsyncWorkspace against the emulator: the detected anomalies are
recomputed here, in plain Python, from the imported events and the documented detector (daily
counts against the trailing week's mean ± 3·max(σ, √mean, 1)); statuses are set and kept."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from typing import Any

import pytest

from mixpanel_async import (
    AsyncWorkspace,
    BulkAnomalyEntry,
    BulkUpdateAnomalyParams,
    UpdateAnomalyParams,
)
from tests.helpers import ev, refused, sends_nothing, ts

FIRST = dt.date(2024, 2, 1)


def make_events(seed: int = 5) -> list[dict[str, Any]]:
    """Three weeks of steady logins with a spike and a dip, and a sparse event."""
    rng = random.Random(seed)
    out = []
    for d in range(21):
        day = FIRST + dt.timedelta(days=d)
        logins = {9: 1, 14: 95}.get(d, rng.randint(18, 24))
        for name, n in (("Login", logins), ("Export", rng.choice([0, 1, 2]))):
            start = ts(f"{day.isoformat()}T00:00:00")
            out += [
                ev(name, f"u{i}", start + rng.randrange(86_400), f"{name}{d}-{i}") for i in range(n)
            ]
    return out


def expected(events: list[dict[str, Any]]) -> list[tuple[str, str, int, int, int]]:
    """(event, day, actual, lower, upper) of every anomaly, by the documented rule."""
    per_day = Counter(
        (e["event"], dt.datetime.fromtimestamp(e["properties"]["time"], dt.UTC).date())
        for e in events
    )
    found = []
    for name in sorted({k[0] for k in per_day}):
        days = sorted(d for n, d in per_day if n == name)
        span = (days[-1] - days[0]).days + 1
        counts = [per_day.get((name, days[0] + dt.timedelta(days=i)), 0) for i in range(span)]
        for i in range(7, span):
            week = counts[i - 7 : i]
            mean = sum(week) / 7
            sigma = math.sqrt(sum((c - mean) ** 2 for c in week) / 7)
            band = 3 * max(sigma, math.sqrt(mean), 1)
            low, high = max(0, math.floor(mean - band)), math.ceil(mean + band)
            if not low <= counts[i] <= high:
                day = (days[0] + dt.timedelta(days=i)).isoformat()
                found.append((name, day, counts[i], low, high))
    return found


@pytest.fixture
async def loaded(mixpanel_workspace: AsyncWorkspace) -> list[dict[str, Any]]:
    events = make_events()
    await mixpanel_workspace.import_events(events)
    return events


async def test_detected_from_the_stored_volume(
    mixpanel_workspace: AsyncWorkspace, loaded: list[dict[str, Any]]
) -> None:
    anomalies = await mixpanel_workspace.list_data_volume_anomalies()
    got = sorted(
        (
            a.event_name,
            (a.timestamp or "")[:10],
            a.actual_count,
            a.predicted_lower,
            a.predicted_upper,
        )
        for a in anomalies
    )
    want = expected(loaded)
    assert got == sorted(want)
    assert ("Login", "2024-02-15", 95) in [w[:3] for w in want]  # the planted spike
    assert ("Login", "2024-02-10", 1) in [w[:3] for w in want]  # and the dip
    assert [a.timestamp for a in anomalies] == sorted(
        (a.timestamp for a in anomalies), reverse=True
    )
    for a in anomalies:
        assert (a.status, a.anomaly_class, a.project) == ("open", "Event", 1)
        assert a.percent_variance.endswith("%")
        assert a.event is not None


async def test_statuses_are_set_and_kept(
    mixpanel_workspace: AsyncWorkspace, loaded: list[dict[str, Any]]
) -> None:
    ws = mixpanel_workspace
    first, second, *rest = await ws.list_data_volume_anomalies()
    await ws.update_anomaly(
        UpdateAnomalyParams(id=first.id, status="dismissed", anomaly_class="Event")
    )
    open_ids = [a.id for a in await ws.list_data_volume_anomalies(query_params={"status": "open"})]
    assert first.id not in open_ids
    assert second.id in open_ids
    dismissed = await ws.list_data_volume_anomalies(query_params={"status": "dismissed"})
    assert [a.id for a in dismissed] == [first.id]

    await ws.bulk_update_anomalies(
        BulkUpdateAnomalyParams(
            anomalies=[BulkAnomalyEntry(id=a.id, anomaly_class="Event") for a in [second, *rest]],
            status="dismissed",
        )
    )
    assert await ws.list_data_volume_anomalies(query_params={"status": "open"}) == []
    await ws.bulk_update_anomalies(
        {"anomalies": [{"id": first.id, "anomalyClass": "Event"}], "status": "open"}
    )
    assert [a.id for a in await ws.list_data_volume_anomalies(query_params={"status": "open"})] == [
        first.id
    ]

    limited = await ws.list_data_volume_anomalies(query_params={"limit": "1"})
    assert [a.id for a in limited] == [first.id]
    login = await ws.list_data_volume_anomalies(query_params={"event_id": str(first.event)})
    assert {a.event_name for a in login} == {first.event_name}

    await refused(ws.update_anomaly({"id": 9999, "status": "open", "anomaly_class": "Event"}), 400)
    await refused(
        ws.update_anomaly({"id": first.id, "status": "open", "anomaly_class": "Property"}), 400
    )
    # an all-or-nothing bulk: one unknown id leaves every status as it was
    await refused(
        ws.bulk_update_anomalies(
            {
                "anomalies": [
                    {"id": first.id, "anomaly_class": "Event"},
                    {"id": 9999, "anomalyClass": "Event"},
                ],
                "status": "dismissed",
            }
        ),
        400,
    )
    assert [a.id for a in await ws.list_data_volume_anomalies(query_params={"status": "open"})] == [
        first.id
    ]


async def test_deleting_the_data_removes_its_anomalies(
    mixpanel_workspace: AsyncWorkspace, loaded: list[dict[str, Any]]
) -> None:
    ws = mixpanel_workspace
    assert any(a.event_name == "Login" for a in await ws.list_data_volume_anomalies())
    await ws.create_deletion_request(
        {"event_name": "Login", "from_date": "2024-02-01", "to_date": "2024-02-28"}
    )
    await ws.list_deletion_requests()
    await ws.list_deletion_requests()
    assert all(a.event_name != "Login" for a in await ws.list_data_volume_anomalies())


test_bad_input_fails_before_any_request = sends_nothing(
    (lambda ws: ws.list_data_volume_anomalies(query_params={"status": "closed"}), "status"),
    (lambda ws: ws.list_data_volume_anomalies(query_params={"limit": "ten"}), "limit"),
    (lambda ws: ws.list_data_volume_anomalies(query_params={"colour": "red"}), "colour"),
    (
        lambda ws: ws.update_anomaly({"id": 1, "status": "closed", "anomaly_class": "Event"}),
        "status",
    ),
    (
        lambda ws: ws.update_anomaly({"id": 1, "status": "open", "anomaly_class": "Events"}),
        "anomaly_class",
    ),
    (lambda ws: ws.update_anomaly({"id": 0, "status": "open", "anomaly_class": "Event"}), "id"),
    (lambda ws: ws.update_anomaly({"status": "open", "anomaly_class": "Event"}), "id"),
    (lambda ws: ws.bulk_update_anomalies({"anomalies": [], "status": "open"}), "anomalies"),
    (
        lambda ws: ws.bulk_update_anomalies(
            {"anomalies": [{"id": 1, "anomalyClass": "x"}], "status": "open"}
        ),
        "anomaly_class",
    ),
)
