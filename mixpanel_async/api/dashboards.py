"""Dashboards (App API)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mixpanel_async._operation import LazyModule
from mixpanel_async.api.base import Base, report_card
from mixpanel_async.api.checks import as_model, entity_id, id_list, text

if TYPE_CHECKING:
    from mixpanel_async._generated.models import dashboards as m
    from mixpanel_async._generated.operations import dashboards as ops
else:
    m = LazyModule("mixpanel_async._generated.models.dashboards")
    ops = LazyModule("mixpanel_async._generated.operations.dashboards")


def _id(dashboard_id: Any) -> int:
    return entity_id(dashboard_id, "dashboard_id")


class DashboardsMixin(Base):
    """Dashboards, their layout and blueprints."""

    async def list_dashboards(self, *, ids: list[int] | None = None) -> list[m.Dashboard]:
        """Dashboards of the project (or pinned workspace), optionally only `ids`."""
        wanted = ",".join(map(str, id_list(ids, "ids"))) if ids is not None else None
        return await self._call(ops.list_dashboards, ids=wanted)

    async def create_dashboard(
        self, params: m.CreateDashboardParams | dict[str, Any]
    ) -> m.Dashboard:
        """Create a dashboard (`title` required); a dict is checked like the model."""
        return await self._call(
            ops.create_dashboard, body=as_model(params, m.CreateDashboardParams)
        )

    async def get_dashboard(self, dashboard_id: int) -> m.Dashboard:
        """One dashboard by id.

        Raises:
            ParamValidationError: `dashboard_id` is not a positive integer.
            QueryError: no such dashboard (404).
        """
        return await self._call(ops.get_dashboard, dashboard_id=_id(dashboard_id))

    async def update_dashboard(
        self, dashboard_id: int, params: m.UpdateDashboardParams | dict[str, Any]
    ) -> m.Dashboard:
        """Change some fields of a dashboard (PATCH semantics)."""
        return await self._call(
            ops.update_dashboard,
            dashboard_id=_id(dashboard_id),
            body=as_model(params, m.UpdateDashboardParams),
        )

    async def delete_dashboard(self, dashboard_id: int) -> None:
        """Delete one dashboard."""
        await self._call(ops.delete_dashboard, dashboard_id=_id(dashboard_id))

    async def bulk_delete_dashboards(self, ids: list[int]) -> None:
        """Delete several dashboards at once."""
        body = m.BulkDeleteDashboardsParams(dashboard_ids=id_list(ids, "ids"))
        await self._call(ops.bulk_delete_dashboards, body=body)

    async def favorite_dashboard(self, dashboard_id: int) -> None:
        """Mark a dashboard as a favorite of the current user."""
        await self._call(ops.favorite_dashboard, dashboard_id=_id(dashboard_id))

    async def unfavorite_dashboard(self, dashboard_id: int) -> None:
        """Remove a dashboard from the current user's favorites."""
        await self._call(ops.unfavorite_dashboard, dashboard_id=_id(dashboard_id))

    async def pin_dashboard(self, dashboard_id: int) -> None:
        """Pin a dashboard for the project."""
        await self._call(ops.pin_dashboard, dashboard_id=_id(dashboard_id))

    async def unpin_dashboard(self, dashboard_id: int) -> None:
        """Unpin a dashboard."""
        await self._call(ops.unpin_dashboard, dashboard_id=_id(dashboard_id))

    async def add_report_to_dashboard(self, dashboard_id: int, bookmark_id: int) -> m.Dashboard:
        """Add a saved report (bookmark) to a dashboard as a new row."""
        return await self._dashboard_content(dashboard_id, report_card(bookmark_id))

    async def remove_report_from_dashboard(
        self, dashboard_id: int, bookmark_id: int
    ) -> m.Dashboard:
        """Remove a saved report's card from a dashboard's layout."""
        return await self._dashboard_content(
            dashboard_id,
            m.DashboardContentChange(
                action="delete",
                content_type="report",
                content_id=entity_id(bookmark_id, "bookmark_id"),
            ),
        )

    async def list_blueprint_templates(
        self, *, include_reports: bool = False
    ) -> list[m.BlueprintTemplate]:
        """Blueprint templates, each with its `name`."""
        result = await self._call(ops.list_blueprint_templates, include_reports=include_reports)
        templates = (result.templates if result is not None else None) or {}
        return [
            m.BlueprintTemplate(
                name=name,
                title_key=t.title_key,
                description_key=t.description_key,
                alternative_description_key=t.alternative_description_key,
                number_of_reports=t.number_of_reports,
            )
            for name, t in templates.items()
        ]

    async def create_blueprint(self, template_type: str) -> m.Dashboard:
        """Create a dashboard from the blueprint template `template_type`."""
        body = m.CreateBlueprintParams(template_type=text(template_type, "template_type"))
        return await self._call(ops.create_blueprint, body=body)

    async def finalize_blueprint(
        self, params: m.BlueprintFinishParams | dict[str, Any]
    ) -> m.Dashboard:
        """Finish a blueprint dashboard: its rows become the given report and text cards."""
        body = as_model(params, m.BlueprintFinishParams)
        entity_id(body.dashboard_id, "dashboard_id")
        return await self._call(ops.finalize_blueprint, body=body)

    async def get_blueprint_config(self, dashboard_id: int) -> m.BlueprintConfig:
        """The blueprint configuration a dashboard was made from."""
        return await self._call(ops.get_blueprint_config, dashboard_id=_id(dashboard_id))

    async def update_blueprint_cohorts(self, cohorts: list[dict[str, Any]]) -> None:
        """Set the cohorts blueprint dashboards use."""
        await self._call(
            ops.update_blueprint_cohorts,
            body=as_model({"cohorts": cohorts}, m.UpdateBlueprintCohortsParams, "cohorts"),
        )

    async def create_rca_dashboard(
        self, params: m.CreateRcaDashboardParams | dict[str, Any]
    ) -> m.Dashboard:
        """Create a root-cause-analysis dashboard for a report."""
        return await self._call(
            ops.create_rca_dashboard, body=as_model(params, m.CreateRcaDashboardParams)
        )

    async def get_bookmark_dashboard_ids(self, bookmark_id: int) -> list[int]:
        """The ids of the dashboards that show a saved report."""
        return await self._call(
            ops.get_bookmark_dashboard_ids, bookmark_id=entity_id(bookmark_id, "bookmark_id")
        )

    async def get_dashboard_erf(self, dashboard_id: int) -> dict[str, Any]:
        """A dashboard in the Experiment Results Framework's format (a raw object)."""
        return await self._call(ops.get_dashboard_erf, dashboard_id=_id(dashboard_id))

    async def update_report_link(
        self,
        dashboard_id: int,
        report_link_id: int,
        params: m.UpdateReportLinkParams | dict[str, Any],
    ) -> None:
        """Change a report card of a dashboard."""
        await self._call(
            ops.update_report_link,
            dashboard_id=_id(dashboard_id),
            report_link_id=entity_id(report_link_id, "report_link_id"),
            body=as_model(params, m.UpdateReportLinkParams),
        )

    async def update_text_card(
        self,
        dashboard_id: int,
        text_card_id: int,
        params: m.UpdateTextCardParams | dict[str, Any],
    ) -> None:
        """Change a text card of a dashboard."""
        await self._call(
            ops.update_text_card,
            dashboard_id=_id(dashboard_id),
            text_card_id=entity_id(text_card_id, "text_card_id"),
            body=as_model(params, m.UpdateTextCardParams),
        )
