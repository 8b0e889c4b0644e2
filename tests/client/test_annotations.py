"""Annotations and their tags through AsyncWorkspace against the emulator."""

from __future__ import annotations

from mixpanel_async import (
    AsyncWorkspace,
    CreateAnnotationParams,
    CreateAnnotationTagParams,
    UpdateAnnotationParams,
)
from tests.helpers import deleted, refused, sends_nothing


async def test_lifecycle(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    releases = await ws.create_annotation_tag(CreateAnnotationTagParams(name="releases"))
    outages = await ws.create_annotation_tag({"name": "outages"})
    assert (releases.name, releases.project_id) == ("releases", 1)

    launch = await ws.create_annotation(
        CreateAnnotationParams(
            date="2026-03-31 00:00:00", description="v2.5 release", tags=[releases.id]
        )
    )
    assert (launch.project_id, launch.date, launch.description) == (
        1,
        "2026-03-31 00:00:00",
        "v2.5 release",
    )
    assert [(t.id, t.name) for t in launch.tags] == [(releases.id, "releases")]
    assert launch.user is not None
    assert launch.user.first_name
    down = await ws.create_annotation({"date": "2026-02-01", "description": "Outage"})
    assert down.date == "2026-02-01 00:00:00"
    assert down.tags == []

    assert [a.id for a in await ws.list_annotations()] == [down.id, launch.id]  # by date
    assert [a.id for a in await ws.list_annotations(from_date="2026-03-01")] == [launch.id]
    assert [a.id for a in await ws.list_annotations(to_date="2026-03-30")] == [down.id]
    assert [a.id for a in await ws.list_annotations(tags=[releases.id])] == [launch.id]

    tags = {t.name: t.has_annotations for t in await ws.list_annotation_tags()}
    assert tags == {"releases": True, "outages": False}

    changed = await ws.update_annotation(
        down.id, UpdateAnnotationParams(description="Big outage", tags=[outages.id])
    )
    assert changed.description == "Big outage"
    assert [t.name for t in changed.tags] == ["outages"]
    assert changed.date == down.date
    assert (await ws.get_annotation(down.id)).description == "Big outage"

    await deleted(ws.delete_annotation, ws.get_annotation, launch.id)
    assert [a.id for a in await ws.list_annotations()] == [down.id]


test_bad_input_fails_before_any_request = sends_nothing(
    (lambda ws: ws.get_annotation(0), "annotation_id"),
    (lambda ws: ws.create_annotation({"date": "2026-01-01"}), "description"),
    (lambda ws: ws.create_annotation({"date": "", "description": "x"}), "date"),
    (
        lambda ws: ws.create_annotation({"date": "2026-01-01", "description": "x" * 513}),
        "512",
    ),
    (lambda ws: ws.update_annotation(1, {"description": "x" * 513}), "512"),
    (lambda ws: ws.update_annotation(1, {"tags": ["a"]}), "tags"),
    (lambda ws: ws.list_annotations(from_date="March"), "fromDate"),
    (lambda ws: ws.list_annotations(tags=[0]), "tags"),
    (lambda ws: ws.create_annotation_tag({}), "name"),
)


async def test_emulator_rejects_bad_bodies(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    raw = ws.api.raw
    base = "/projects/1/annotations/"
    await refused(raw("POST", base, json={"description": "no date"}), match="date")
    await refused(raw("POST", base, json={"date": "31/03/2026", "description": "x"}), match="date")
    await refused(
        raw("POST", base, json={"date": "2026-03-31", "description": "x" * 513}), match="512"
    )
    await refused(
        raw("POST", base, json={"date": "2026-03-31", "description": "x", "tags": [99]}),
        match="tag 99",
    )
    await refused(raw("GET", base, params={"fromDate": "yesterday"}), match="fromDate")
    await refused(raw("GET", base, params={"tags": "a,b"}), match="tags")
    await ws.create_annotation_tag({"name": "dup"})
    await refused(raw("POST", base + "tags/", json={"name": "dup"}), match="already exists")
    made = await ws.create_annotation({"date": "2026-03-31", "description": "x"})
    # The date is fixed once created.
    await raw("PATCH", f"{base}{made.id}/", json={"date": "2020-01-01", "description": "y"})
    assert (await ws.get_annotation(made.id)).date == "2026-03-31 00:00:00"
    assert await ws.list_annotations() != []
