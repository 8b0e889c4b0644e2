"""Report links built client-side: `saved_report_link` (no request) and the report-link
exceptions' place in the tree."""

from __future__ import annotations

from typing import Any

import pytest

from mixpanel_async import (
    AsyncWorkspace,
    MixpanelAsyncError,
    ParamValidationError,
    ReportLinkError,
    ReportLinkNotFoundError,
    ReportLinkParseError,
    ReportLinkScopeMismatchError,
    ShortLinkResolutionError,
    UnsupportedReportLinkError,
)
from mixpanel_async.reports import links


@pytest.mark.parametrize(
    ("report_type", "tail"),
    [
        ("insights", "insights#report/42"),
        ("funnels", "funnels#view/42"),
        ("funnel", "funnels#view/42"),
        ("retention", "retention#report/42"),
        ("flows", "flows#report/42"),
        ("launch-analysis", "impact#report/42"),
    ],
)
async def test_saved_report_link(
    mixpanel_offline_workspace: AsyncWorkspace, report_type: Any, tail: str
) -> None:
    ws = mixpanel_offline_workspace  # no request is made: every one would fail
    url = ws.saved_report_link(42, report_type=report_type)
    assert url == f"https://mixpanel.com/project/1/app/{tail}"
    in_view = ws.saved_report_link(42, report_type=report_type, workspace_id=9)
    assert in_view == f"https://mixpanel.com/project/1/view/9/app/{tail}"


async def test_saved_report_link_uses_the_pinned_workspace_and_region() -> None:
    async with AsyncWorkspace(
        project="5", workspace=8, username="u", secret="s", region="eu"
    ) as ws:
        assert (
            ws.saved_report_link(3)
            == "https://eu.mixpanel.com/project/5/view/8/app/insights#report/3"
        )


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ({"bookmark_id": 0}, "RL6_INVALID_ID"),
        ({"bookmark_id": True}, "RL6_INVALID_ID"),
        ({"bookmark_id": 1, "workspace_id": -1}, "RL6_INVALID_ID"),
        ({"bookmark_id": 1, "report_type": "board"}, "RL1_UNKNOWN_REPORT_TYPE"),
    ],
)
async def test_bad_saved_report_link(
    mixpanel_offline_workspace: AsyncWorkspace, args: dict[str, Any], code: str
) -> None:
    with pytest.raises(ParamValidationError) as info:
        mixpanel_offline_workspace.saved_report_link(**args)
    assert info.value.code == code


def test_slug_urls() -> None:
    slug = links.new_slug()
    assert len(slug) == 12
    assert set(slug) <= set(links.SLUG_ALPHABET)
    assert (
        links.slug_url("in", 2, slug, "funnels", None)
        == f"https://in.mixpanel.com/project/2/app/insights#{slug}"
    )
    assert links.slug_url("us", 2, slug, "flows", 4).endswith(f"/project/2/view/4/app/flows#{slug}")
    with pytest.raises(ParamValidationError, match="12 characters"):
        links.slug_url("us", 2, "short", "flows", None)
    with pytest.raises(ParamValidationError, match="region"):
        links.project_url("mars", 2, None)


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (ReportLinkParseError, "REPORT_LINK_UNPARSEABLE"),
        (UnsupportedReportLinkError, "UNSUPPORTED_REPORT_LINK"),
        (ReportLinkNotFoundError, "REPORT_LINK_NOT_FOUND"),
        (ReportLinkScopeMismatchError, "REPORT_LINK_SCOPE_MISMATCH"),
        (ShortLinkResolutionError, "SHORT_LINK_RESOLUTION_ERROR"),
    ],
)
def test_report_link_errors(error: type[ReportLinkError], code: str) -> None:
    raised = error("nope", details={"hint": "check the project"})
    assert isinstance(raised, ReportLinkError)
    assert isinstance(raised, MixpanelAsyncError)
    assert (raised.code, raised.details["hint"]) == (code, "check the project")
