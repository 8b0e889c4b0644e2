"""Dashboards through AsyncWorkspace against the emulator: lifecycle, content, bad input."""

from __future__ import annotations

import pytest

from mixpanel_async import AsyncWorkspace, ParamValidationError
from mixpanel_async._generated.models.dashboards import CreateDashboardParams
from mixpanel_async._generated.operations import dashboards as ops
from mixpanel_async.emulator import Emulator
from tests.helpers import FAST, deleted, refused, sends_nothing


async def test_lifecycle(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    created = await ws.create_dashboard(CreateDashboardParams(title="Q1 Metrics"))
    assert created.title == "Q1 Metrics"
    assert created.id > 0
    same = await ws.create_dashboard({"title": "Growth", "description": "weekly"})
    assert same.description == "weekly"
    assert [d.title for d in await ws.list_dashboards()] == ["Q1 Metrics", "Growth"]
    assert [d.id for d in await ws.list_dashboards(ids=[same.id])] == [same.id]

    updated = await ws.update_dashboard(created.id, {"title": "Q1 Metrics v2"})
    assert updated.title == "Q1 Metrics v2"
    assert (await ws.get_dashboard(created.id)).title == "Q1 Metrics v2"

    await ws.favorite_dashboard(created.id)
    assert (await ws.get_dashboard(created.id)).is_favorited is True
    await ws.unfavorite_dashboard(created.id)
    assert (await ws.get_dashboard(created.id)).is_favorited is False
    await ws.pin_dashboard(created.id)
    assert (await ws.get_dashboard(created.id)).pinned_date is not None
    await ws.unpin_dashboard(created.id)
    assert (await ws.get_dashboard(created.id)).pinned_date is None

    await deleted(ws.delete_dashboard, ws.get_dashboard, created.id)
    await ws.bulk_delete_dashboards([same.id])
    assert await ws.list_dashboards() == []


async def test_reports_on_dashboards(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    dash = await ws.create_dashboard({"title": "Reports"})
    other = await ws.create_dashboard({"title": "Other"})
    with_report = await ws.add_report_to_dashboard(dash.id, 501)
    assert with_report.layout is not None
    await ws.add_report_to_dashboard(other.id, 501)
    assert await ws.get_bookmark_dashboard_ids(501) == [dash.id, other.id]
    emptied = await ws.remove_report_from_dashboard(dash.id, 501)
    assert emptied.layout is not None
    assert await ws.get_bookmark_dashboard_ids(501) == [other.id]
    await refused(ws.remove_report_from_dashboard(dash.id, 501))


async def test_text_cards_and_rows(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    dash = await ws.create_dashboard(
        {
            "title": "Notes",
            "rows": [
                {"contents": [{"content_type": "text", "content_params": {"markdown": "# Hello"}}]}
            ],
        }
    )
    layout = dash.layout
    assert layout is not None
    card = layout.rows[0].contents[0]
    assert card.markdown == "# Hello"
    await ws.update_text_card(dash.id, card.id, {"markdown": "# Bye"})
    fresh = await ws.get_dashboard(dash.id)
    assert fresh.layout is not None
    assert fresh.layout.rows[0].contents[0].markdown == "# Bye"
    await refused(ws.update_text_card(dash.id, 999_999, {"markdown": "x"}))


async def test_blueprints_and_rca(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    templates = await ws.list_blueprint_templates()
    assert {t.name for t in templates} >= {"product_overview"}
    dash = await ws.create_blueprint("product_overview")
    assert (await ws.get_blueprint_config(dash.id)).variables == {
        "template_type": "product_overview"
    }
    await ws.update_blueprint_cohorts([{"id": 1}])
    rca = await ws.create_rca_dashboard({"rca_source_id": 3, "rca_source_data": {"type": "x"}})
    assert rca.title == "Root cause analysis"
    assert (await ws.get_dashboard_erf(rca.id))["dashboard_id"] == rca.id
    await refused(ws.create_blueprint("no-such-template"))


async def test_pinned_workspace_uses_workspace_paths(mixpanel_emulator: Emulator) -> None:
    async with AsyncWorkspace(base_url=mixpanel_emulator.url, workspace=1, retry=FAST) as ws:
        request = ws.api.prepare(ops.list_dashboards())
        assert request.url.endswith("/api/app/workspaces/1/dashboards")
        dash = await ws.create_dashboard({"title": "In a workspace"})
        assert [d.id for d in await ws.list_dashboards()] == [dash.id]


test_bad_input_fails_before_any_request = sends_nothing(
    (lambda ws: ws.get_dashboard(0), "dashboard_id"),
    (lambda ws: ws.get_dashboard("7"), "dashboard_id"),
    (lambda ws: ws.create_dashboard({}), "title"),
    (lambda ws: ws.create_dashboard({"title": ""}), "title"),
    (lambda ws: ws.create_dashboard("Q1"), "CreateDashboardParams"),
    (lambda ws: ws.bulk_delete_dashboards([]), "ids"),
    (lambda ws: ws.list_dashboards(ids="1,2"), "ids"),
    (lambda ws: ws.create_rca_dashboard({"rca_source_id": 1}), "rca_source_data"),
)


async def test_emulator_rejects_bad_bodies(mixpanel_workspace: AsyncWorkspace) -> None:
    raw = mixpanel_workspace.api.raw
    await refused(
        raw("POST", "/projects/1/dashboards", json={"description": "no title"}), match="title"
    )
    await refused(raw("POST", "/projects/1/dashboards", json={"title": 5}), match="title")
    await refused(raw("GET", "/projects/1/dashboards/abc"), 400)
    await refused(raw("PATCH", "/projects/1/dashboards/404", json={"title": "x"}), 404)


async def test_enum_values_are_checked(mixpanel_workspace: AsyncWorkspace) -> None:
    dash = await mixpanel_workspace.create_dashboard({"title": "Enums"})
    with pytest.raises(ParamValidationError, match="action"):
        await mixpanel_workspace.update_dashboard(
            dash.id, {"content": {"action": "explode", "content_type": "report"}}
        )


async def test_finalize_blueprint(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    dash = await ws.create_blueprint("growth")
    done = await ws.finalize_blueprint(
        {
            "dashboard_id": dash.id,
            "cards": [
                {"type": "report", "bookmark_id": 77},
                {"type": "text", "markdown": "## Notes"},
            ],
        }
    )
    assert done.layout is not None
    cards = [c for row in done.layout.rows for c in row.contents]
    assert [(c.content_type, c.content_id, c.markdown) for c in cards] == [
        ("report", 77, None),
        ("text", None, "## Notes"),
    ]
    assert await ws.get_bookmark_dashboard_ids(77) == [dash.id]
    plain = await ws.create_dashboard({"title": "Not a blueprint"})
    await refused(ws.finalize_blueprint({"dashboard_id": plain.id, "cards": []}))
    with pytest.raises(ParamValidationError, match="cards"):
        await ws.finalize_blueprint({"dashboard_id": dash.id})


async def test_blueprint_and_rca_models_use_the_seeds_names(
    mixpanel_workspace: AsyncWorkspace,
) -> None:
    """`card_type` and `source_type` are the seed's attribute names for the wire's `type`."""
    from mixpanel_async import BlueprintCard, CreateRcaDashboardParams, RcaSourceData

    ws = mixpanel_workspace
    dash = await ws.create_blueprint("growth")
    cards = [BlueprintCard(card_type="report", bookmark_id=78)]
    done = await ws.finalize_blueprint({"dashboard_id": dash.id, "cards": cards})
    assert done.layout is not None
    assert [c.content_id for row in done.layout.rows for c in row.contents] == [78]
    source = RcaSourceData(source_type="anomaly", date="2025-01-01", metric_source=True)
    rca = await ws.create_rca_dashboard(
        CreateRcaDashboardParams(rca_source_id=3, rca_source_data=source)
    )
    assert rca.title == "Root cause analysis"
    assert (await ws.create_rca_dashboard({"rca_source_id": 3, "rca_source_data": source})).id
