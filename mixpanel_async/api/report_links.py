"""Report links: `saved_report_link()` builds the web URL of a saved report (no request)."""

from __future__ import annotations

from typing import Literal

from mixpanel_async.api.base import Base
from mixpanel_async.reports import links

ReportType = Literal["insights", "funnels", "funnel", "retention", "flows", "launch-analysis"]


class ReportLinksMixin(Base):
    """Links that open reports in Mixpanel's web app."""

    def saved_report_link(
        self,
        bookmark_id: int,
        *,
        report_type: ReportType = "insights",
        workspace_id: int | None = None,
    ) -> str:
        """The web URL that opens saved report `bookmark_id` (built here; not awaited).

        Args:
            bookmark_id: The saved report.
            report_type: Its bookmark type (`funnel` is taken as `funnels`).
            workspace_id: Open it in this workspace's view; default the pinned one, if any.

        Raises:
            ParamValidationError: a non-positive id (`RL6_INVALID_ID`), an unknown type
                (`RL1_UNKNOWN_REPORT_TYPE`).
        """
        chosen = workspace_id if workspace_id is not None else self.session.workspace_id
        return links.saved_report_url(
            self.session.region,
            int(self.session.project_id),
            bookmark_id,
            report_type,
            chosen,
        )
