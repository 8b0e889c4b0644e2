"""Cohorts through AsyncWorkspace against the emulator: lifecycle, the flattened definition, one
set of cohorts for the App API, discovery and engage, bad input."""

from __future__ import annotations

from mixpanel_async import (
    AsyncWorkspace,
    BulkUpdateCohortEntry,
    CreateCohortParams,
    UpdateCohortParams,
)
from mixpanel_async.emulator import Emulator
from tests.helpers import deleted, refused, sends_nothing

BEHAVIORS = {"b1": {"event": "Purchase", "count": {"min": 1}}}


async def test_lifecycle(mixpanel_workspace: AsyncWorkspace, mixpanel_emulator: Emulator) -> None:
    ws = mixpanel_workspace
    power = await ws.create_cohort(
        CreateCohortParams(
            name="Power Users", description="buyers", definition={"behaviors": BEHAVIORS}
        )
    )
    assert (power.name, power.description, power.count, power.is_visible) == (
        "Power Users",
        "buyers",
        0,
        True,
    )
    # The definition travels (and is kept) at the top level, as Mixpanel takes it.
    stored = next(c for c in mixpanel_emulator.state.default.cohorts if c["id"] == power.id)
    assert stored["behaviors"] == BEHAVIORS
    assert "definition" not in stored
    grouped = await ws.create_cohort({"name": "Accounts", "data_group_id": "7"})

    assert [c.id for c in await ws.list_cohorts_full()] == [power.id, grouped.id]
    assert [c.id for c in await ws.list_cohorts_full(ids=[grouped.id])] == [grouped.id]
    assert [c.id for c in await ws.list_cohorts_full(data_group_id="7")] == [grouped.id]

    updated = await ws.update_cohort(power.id, UpdateCohortParams(name="Super Users"))
    assert updated.name == "Super Users"
    assert updated.description == "buyers"
    assert (await ws.get_cohort(power.id)).name == "Super Users"

    await ws.bulk_update_cohorts(
        [
            BulkUpdateCohortEntry(id=power.id, definition={"selector": {"x": 1}}),
            {"id": grouped.id, "name": "Teams"},
        ]
    )
    stored = next(c for c in mixpanel_emulator.state.default.cohorts if c["id"] == power.id)
    assert stored["selector"] == {"x": 1}
    assert (await ws.get_cohort(grouped.id)).name == "Teams"

    await deleted(ws.delete_cohort, ws.get_cohort, power.id)
    await ws.bulk_delete_cohorts([grouped.id])
    assert await ws.list_cohorts_full() == []


async def test_one_set_of_cohorts(
    mixpanel_workspace: AsyncWorkspace, mixpanel_emulator: Emulator
) -> None:
    ws = mixpanel_workspace
    project = mixpanel_emulator.state.default
    project.cohorts.append(
        {"id": 9001, "name": "Seeded", "count": 2, "distinct_ids": ["a", "b"], "is_visible": 1}
    )
    project.profiles.update({"a": {"plan": "pro"}, "b": {"plan": "free"}, "c": {"plan": "pro"}})
    # Seeded (query host) cohorts are App API cohorts, and new ids do not collide with them.
    assert [c.name for c in await ws.list_cohorts_full()] == ["Seeded"]
    made = await ws.create_cohort(
        {"name": "Pro", "definition": {"where": 'properties["plan"] == "pro"'}}
    )
    assert made.id != 9001
    assert sorted(c.name for c in await ws.cohorts()) == ["Pro", "Seeded"]
    # ... and engage can filter by a cohort made through the App API.
    members = [p["distinct_id"] async for p in ws.stream_profiles(cohort_id=str(made.id))]
    assert sorted(members) == ["a", "c"]

    await ws.update_cohort(9001, {"name": "Renamed"})
    await ws.delete_cohort(made.id)
    ws.clear_discovery_cache()
    assert [(c.id, c.name, c.count) for c in await ws.cohorts()] == [(9001, "Renamed", 2)]


test_bad_input_fails_before_any_request = sends_nothing(
    (lambda ws: ws.get_cohort(-1), "cohort_id"),
    (lambda ws: ws.create_cohort({}), "name"),
    (lambda ws: ws.create_cohort({"name": ""}), "name"),
    (lambda ws: ws.create_cohort({"name": "x", "is_visible": "yes"}), "is_visible"),
    (lambda ws: ws.create_cohort("Power Users"), "CreateCohortParams"),
    (lambda ws: ws.update_cohort(1, {"definition": []}), "definition"),
    (lambda ws: ws.list_cohorts_full(ids=[0]), "ids"),
    (lambda ws: ws.bulk_delete_cohorts([]), "ids"),
    (lambda ws: ws.bulk_update_cohorts([{"id": "1"}]), "id"),
)


async def test_emulator_rejects_bad_bodies(mixpanel_workspace: AsyncWorkspace) -> None:
    raw = mixpanel_workspace.api.raw
    await refused(
        raw("POST", "/projects/1/cohorts", json={"description": "no name"}), 400, match="name"
    )
    await refused(
        raw("POST", "/projects/1/cohorts", json={"name": "x", "is_locked": "no"}), match="is_locked"
    )
    await refused(raw("PATCH", "/projects/1/cohorts/404", json={"name": "x"}), 404)
    await refused(
        raw("POST", "/projects/1/cohorts/bulk-update", json={"cohorts": [{"id": 404}]}), 404
    )
