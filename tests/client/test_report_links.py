"""Report links: `saved_report_link` (built client-side), `create_report_link`,
`resolve_report_link` and `query_report_link` over loopback against the emulator, every bad
argument and foreign link refused before a request, and the report-link exceptions' place in the
tree."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web

from mixpanel_async import (
    AsyncWorkspace,
    AuthenticationError,
    BookmarkValidationError,
    FlowQueryResult,
    MixpanelAsyncError,
    ParamValidationError,
    QueryResult,
    ReportLink,
    ReportLinkError,
    ReportLinkNotFoundError,
    ReportLinkParseError,
    ReportLinkScopeMismatchError,
    ResolvedReport,
    ShortLinkResolutionError,
    UnsupportedReportLinkError,
)
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.routes.report_links import SCRIPTED_AFTER, add_short_link
from mixpanel_async.reports import links
from tests.helpers import FAST, flows_report, ms, row, save_report, serving


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


# --- create_report_link --------------------------------------------------------------------------

EVENTS = [("Sign Up", "u1", "2026-03-02T10:00"), ("Sign Up", "u2", "2026-03-02T11:00"),
          ("Sign Up", "u1", "2026-03-03T09:00"), ("Purchase", "u1", "2026-03-03T12:00"),
          ("Sign Up", "u3", "2026-03-05T23:59")]  # fmt: skip


def stored(emu: Emulator, slug: str) -> dict[str, Any]:
    """The record the emulator holds under `slug` in project 1."""
    row: dict[str, Any] = emu.state.default.entities["bookmark_url"].rows[slug]
    return row


async def test_create_report_link(
    mixpanel_emulator: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    ws = mixpanel_workspace
    params = ws.build_params("Sign Up", last=7)
    link = await ws.create_report_link(params, name="Sign ups", description="a week")
    assert isinstance(link, ReportLink)
    assert link.url == f"https://mixpanel.com/project/1/view/1/app/insights#{link.slug}"
    assert str(link) == link.url
    assert (link.report_type, link.project_id, link.workspace_id) == ("insights", 1, 1)
    assert (link.name, link.description, link.bookmark_id) == ("Sign ups", "a week", None)
    record = stored(mixpanel_emulator, link.slug)
    assert (record["type"], record["params"], record["name"]) == ("insights", params, "Sign ups")
    assert link.created_at == record["created_at"]
    assert link.to_dict()["url"] == link.url
    assert link.df.row(0, named=True)["slug"] == link.slug


async def test_links_of_each_type_and_workspace(
    mixpanel_emulator: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    ws = mixpanel_workspace
    params = flows_report("Sign Up", "2026-03-01", "2026-03-07")
    flows = await ws.create_report_link(params, report_type="flows", workspace_id=4, bookmark_id=9)
    assert flows.url == f"https://mixpanel.com/project/1/view/4/app/flows#{flows.slug}"
    assert stored(mixpanel_emulator, flows.slug)["bookmark_id"] == 9
    funnel = await ws.create_report_link({"anything": 1}, report_type="funnels", validate=False)
    assert funnel.url.endswith(f"/app/insights#{funnel.slug}")
    assert stored(mixpanel_emulator, funnel.slug)["params"] == {"anything": 1}
    async with AsyncWorkspace(base_url=mixpanel_emulator.url, project="1", workspace=6) as pinned:
        link = await pinned.create_report_link(ws.build_params("Login"))
    assert link.workspace_id == 6
    assert "/view/6/" in link.url


async def test_a_query_result_gives_params_and_type(
    mixpanel_emulator: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    result = await mixpanel_workspace.query("Sign Up", last=3)
    link = await mixpanel_workspace.create_report_link(result)
    assert link.report_type == "insights"
    assert stored(mixpanel_emulator, link.slug)["params"] == result.params


async def test_bad_create_arguments_send_nothing(
    mixpanel_offline_workspace: AsyncWorkspace,
) -> None:
    ws = mixpanel_offline_workspace
    good = ws.build_params("Login")
    result = QueryResult(computed_at="", from_date="", to_date="", params=good)
    cases: list[tuple[dict[str, Any], str | None]] = [
        ({"params": result, "report_type": "flows"}, "RL4_REPORT_TYPE_CONFLICT"),
        ({"params": good, "report_type": "board"}, "RL1_UNKNOWN_REPORT_TYPE"),
        ({"params": good, "workspace_id": 0}, "RL6_INVALID_ID"),
        ({"params": good, "bookmark_id": -4}, "RL6_INVALID_ID"),
        ({"params": good, "bookmark_id": True}, "RL6_INVALID_ID"),
        ({"params": [good]}, None),
        ({"params": good, "name": 5}, None),
        ({"params": good, "description": None}, None),
        ({"params": good, "validate": "yes"}, None),
    ]
    for args, code in cases:
        with pytest.raises(ParamValidationError) as info:
            await ws.create_report_link(**args)
        if code is not None:
            assert info.value.code == code
    with pytest.raises(BookmarkValidationError, match="display_options"):
        await ws.create_report_link({"sections": {"show": [], "time": []}})
    with pytest.raises(BookmarkValidationError, match="steps"):
        await ws.create_report_link({"date_range": {}}, report_type="flows")


# --- resolve_report_link -------------------------------------------------------------------------


async def test_resolve_a_slug_in_every_form(
    mixpanel_emulator: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    ws = mixpanel_workspace
    params = ws.build_params("Sign Up", last=7)
    link = await ws.create_report_link(params, name="N", bookmark_id=77)
    slug = link.slug
    forms = [link.url, slug, f"  {link.url}/ ", link.url.replace("https://", ""),
             link.url.replace("mixpanel.com", "MIXPANEL.com:443"), link.url.replace("#", "%23"),
             f"https://mixpanel.com/project/1/app/funnels?x=1#{slug}?utm=y",
             f"https://mixpanel.com/report/1/view/1/insights#{slug}",
             f"https://mixpanel.com/project/1/view/1/app/boards#id=3&edited-bookmark={slug}",
             f"{mixpanel_emulator.url}/project/1/app/insights#{slug}"]  # fmt: skip
    for form in forms:
        resolved = await ws.resolve_report_link(form)
        assert isinstance(resolved, ResolvedReport)
        assert (resolved.source, resolved.slug, resolved.report_type) == ("slug", slug, "insights")
        assert (resolved.params, resolved.name, resolved.description) == (params, "N", "")
        assert (resolved.bookmark_id, resolved.bookmark, resolved.input) == (77, None, form)
        assert (resolved.project_id, resolved.region, resolved.expanded_url) == (1, "us", None)
        assert resolved.url.endswith(f"/app/insights#{slug}")
    bare = await ws.resolve_report_link(slug)
    assert bare.workspace_id is None
    assert bare.url == f"https://mixpanel.com/project/1/app/insights#{slug}"
    assert (await ws.resolve_report_link(link.url)).workspace_id == 1


async def test_resolve_a_saved_report(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    params = ws.build_params("Purchase", last=14)
    bookmark_id = await save_report(ws, "insights", params)
    url = ws.saved_report_link(bookmark_id, workspace_id=1) + "/purchases/~(x~1)"
    resolved = await ws.resolve_report_link(url)
    assert (resolved.source, resolved.bookmark_id, resolved.slug) == ("bookmark", bookmark_id, None)
    assert (resolved.report_type, resolved.params, resolved.name) == (
        "insights",
        params,
        "insights",
    )
    assert resolved.bookmark is not None
    assert resolved.bookmark.id == bookmark_id
    assert resolved.url == ws.saved_report_link(bookmark_id, workspace_id=1)
    assert resolved.to_dict()["bookmark"]["type"] == "insights"
    linked = await ws.create_report_link(params, bookmark_id=bookmark_id)
    via_slug = await ws.resolve_report_link(linked.slug)
    assert via_slug.bookmark is not None
    assert via_slug.bookmark.name == "insights"
    assert via_slug.bookmark_id == bookmark_id


async def test_resolve_short_links(
    mixpanel_emulator: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    ws = mixpanel_workspace
    link = await ws.create_report_link(ws.build_params("Login"))
    code = add_short_link(mixpanel_emulator.state, f"/project/1/view/1/app/insights#{link.slug}")
    for form in (f"https://mixpanel.com/s/{code}", f"{mixpanel_emulator.url}/s/{code}"):
        resolved = await ws.resolve_report_link(form)
        assert resolved.slug == link.slug
        assert (
            resolved.expanded_url
            == f"{mixpanel_emulator.url}/project/1/view/1/app/insights#{link.slug}"
        )
        assert resolved.workspace_id == 1
    bookmark_id = await save_report(ws, "insights", ws.build_params("Login"))
    long_target = f"/project/1/app/insights#report/{bookmark_id}/" + "x" * SCRIPTED_AFTER
    add_short_link(mixpanel_emulator.state, long_target, code="long")
    resolved = await ws.resolve_report_link("mixpanel.com/s/long")
    assert (resolved.source, resolved.bookmark_id) == ("bookmark", bookmark_id)
    assert resolved.expanded_url == mixpanel_emulator.url + long_target


@pytest.mark.parametrize(
    ("target", "error", "code"),
    [
        (None, ReportLinkNotFoundError, "SHORT_LINK_NOT_FOUND"),
        ("/s/other", ShortLinkResolutionError, "SHORT_LINK_CHAIN"),
        ("/login?next=/s/x", AuthenticationError, "AUTH_FAILED"),
        ("/project/1/app/insights", ReportLinkParseError, "REPORT_LINK_EMPTY_HASH"),
        ("https://example.com/project/1/app/insights#x", ReportLinkParseError,
         "REPORT_LINK_NOT_MIXPANEL_HOST"),
        ("/project/2/app/insights#AbCdEfGhJk12", ReportLinkScopeMismatchError,
         "REPORT_LINK_PROJECT_MISMATCH"),
    ],
)  # fmt: skip
async def test_short_links_that_lead_nowhere(
    mixpanel_emulator: Emulator, mixpanel_workspace: AsyncWorkspace, target: str | None,
    error: type[Exception], code: str,
) -> None:  # fmt: skip
    if target is not None:
        add_short_link(mixpanel_emulator.state, target, code="abc")
    with pytest.raises(error) as info:
        await mixpanel_workspace.resolve_report_link("https://mixpanel.com/s/abc")
    assert getattr(info.value, "code", None) == code


async def test_short_link_answers_without_a_target(mixpanel_workspace: AsyncWorkspace) -> None:
    async def page(request: web.Request) -> web.Response:
        return web.Response(text="<html>no script</html>", content_type="text/html")

    async def bare(request: web.Request) -> web.Response:
        return web.Response(status=302)

    async def odd(request: web.Request) -> web.Response:
        return web.Response(status=204)

    app = web.Application()
    app.router.add_get("/s/page", page)
    app.router.add_get("/s/bare", bare)
    app.router.add_get("/s/odd", odd)
    async with serving(app) as url, AsyncWorkspace(base_url=url, project="1", retry=FAST) as ws:
        for name, code in [("page", "SHORT_LINK_UNEXPECTED_RESPONSE"),
                           ("bare", "SHORT_LINK_NO_LOCATION"),
                           ("odd", "SHORT_LINK_UNEXPECTED_RESPONSE")]:  # fmt: skip
            with pytest.raises(ShortLinkResolutionError) as info:
                await ws.resolve_report_link(f"{url}/s/{name}")
            assert info.value.code == code


async def test_missing_reports(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    with pytest.raises(ReportLinkNotFoundError) as info:
        await ws.resolve_report_link("NoSuchSlug99")
    assert (info.value.code, info.value.details["slug"]) == (
        "REPORT_LINK_SLUG_NOT_FOUND",
        "NoSuchSlug99",
    )
    with pytest.raises(ReportLinkNotFoundError) as info:
        await ws.resolve_report_link("https://mixpanel.com/project/1/app/funnels#view/4040")
    assert (info.value.code, info.value.details["bookmark_id"]) == (
        "REPORT_LINK_BOOKMARK_NOT_FOUND",
        4040,
    )


@pytest.mark.parametrize(
    ("link", "error", "code"),
    [
        ("", ReportLinkParseError, "REPORT_LINK_UNPARSEABLE"),
        ("not a link", ReportLinkParseError, "REPORT_LINK_UNPARSEABLE"),
        ("ftp://mixpanel.com/project/1/app/insights#AbCdEfGhJk12", ReportLinkParseError,
         "REPORT_LINK_UNPARSEABLE"),
        ("https://mixpanel.com/project/x/app/insights#AbCdEfGhJk12", ReportLinkParseError,
         "REPORT_LINK_UNRECOGNIZED_PATH"),
        ("https://mixpanel.com/project/1/app/nope#AbCdEfGhJk12", ReportLinkParseError,
         "REPORT_LINK_UNRECOGNIZED_PATH"),
        ("https://mixpanel.com/project/1/app/insights#what", ReportLinkParseError,
         "REPORT_LINK_UNRECOGNIZED_HASH"),
        ("https://mixpanel.com/project/1/app/boards#id=12", UnsupportedReportLinkError,
         "UNSUPPORTED_DASHBOARD_LINK"),
        ("https://mixpanel.com/project/1/app/insights#~(a~1)", UnsupportedReportLinkError,
         "UNSUPPORTED_LEGACY_HASH"),
        ("https://eu.mixpanel.com/project/1/app/insights#AbCdEfGhJk12",
         ReportLinkScopeMismatchError, "REPORT_LINK_REGION_MISMATCH"),
        ("https://in.mixpanel.com/s/abc", ReportLinkScopeMismatchError,
         "REPORT_LINK_REGION_MISMATCH"),
        ("https://mixpanel.com/project/2/app/insights#report/3", ReportLinkScopeMismatchError,
         "REPORT_LINK_PROJECT_MISMATCH"),
    ],
)  # fmt: skip
async def test_bad_links_send_nothing(
    mixpanel_offline_workspace: AsyncWorkspace, link: str, error: type[ReportLinkError], code: str
) -> None:
    with pytest.raises(error) as info:
        await mixpanel_offline_workspace.resolve_report_link(link)
    assert info.value.code == code
    assert "hint" in info.value.details
    with pytest.raises(error):
        await mixpanel_offline_workspace.query_report_link(link)


async def test_a_pinned_workspace_must_match(mixpanel_emulator: Emulator) -> None:
    mixpanel_emulator.add_fault(path="/", status=500, count=1_000_000)
    async with AsyncWorkspace(base_url=mixpanel_emulator.url, project="1", workspace=8,
                              retry=FAST) as ws:  # fmt: skip
        with pytest.raises(ReportLinkScopeMismatchError) as info:
            await ws.resolve_report_link(
                "https://mixpanel.com/project/1/view/9/app/insights#AbCdEfGhJk12"
            )
        assert info.value.code == "REPORT_LINK_WORKSPACE_MISMATCH"
        with pytest.raises(ParamValidationError):
            await ws.resolve_report_link(42)  # type: ignore[arg-type]


# --- query_report_link ---------------------------------------------------------------------------


def daily_counts(event: str) -> dict[str, int]:
    """Events of `EVENTS` named `event`, per day (counted here, not by the engine)."""
    counts: dict[str, int] = {}
    for name, _, at in EVENTS:
        if name == event:
            counts[at[:10]] = counts.get(at[:10], 0) + 1
    return counts


async def test_query_an_insights_link(
    mixpanel_emulator: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    mixpanel_emulator.state.default.events.append([row(e, u, ms(t)) for e, u, t in EVENTS])
    ws = mixpanel_workspace
    params = ws.build_params("Sign Up", from_date="2026-03-01", to_date="2026-03-06")
    link = await ws.create_report_link(params)
    result = await ws.query_report_link(link.url)
    assert isinstance(result, QueryResult)
    got = {str(d)[:10]: int(c) for d, c in result.df.select("date", "count").iter_rows() if c}
    assert got == daily_counts("Sign Up")
    resolved = await ws.resolve_report_link(link.slug)
    again = await ws.query_report_link(resolved)
    assert isinstance(again, QueryResult)
    assert again.series == result.series


async def test_query_a_flows_link(
    mixpanel_emulator: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    mixpanel_emulator.state.default.events.append([row(e, u, ms(t)) for e, u, t in EVENTS])
    ws = mixpanel_workspace
    params = flows_report("Sign Up", "2026-03-01", "2026-03-06", chartType="paths")
    link = await ws.create_report_link(params, report_type="flows")
    paths = await ws.query_report_link(link.url)  # the params' chartType picks the mode
    assert isinstance(paths, FlowQueryResult)
    assert paths.mode == "paths"
    sankey = await ws.query_report_link(link.url, mode="sankey")
    assert isinstance(sankey, FlowQueryResult)
    assert sankey.mode == "sankey"
    # Counted here: each user's first Sign Up is the anchor; the event right after it, if any.
    by_user: dict[str, list[str]] = {}
    for name, user, _ in sorted(EVENTS, key=lambda e: e[2]):
        by_user.setdefault(user, []).append(name)
    after = [events[events.index("Sign Up") + 1 : events.index("Sign Up") + 2]
             for events in by_user.values() if "Sign Up" in events]  # fmt: skip
    expected = {("Sign Up", "ANCHOR"): len(after)}
    for nxt in after:
        key = (nxt[0], "NORMAL") if nxt else ("$dropoff", "DROPOFF")
        expected[key] = expected.get(key, 0) + 1
    nodes = sankey.nodes_df.filter(sankey.nodes_df["step"] >= 1)
    assert {(e, t): c for e, t, c in nodes.select("event", "type", "count").iter_rows()} == expected


async def test_query_refusals(
    mixpanel_emulator: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    ws = mixpanel_workspace
    impact = await save_report(ws, "insights", ws.build_params("Login"))
    mixpanel_emulator.state.default.entities["bookmark"].rows[impact]["type"] = "launch-analysis"
    with pytest.raises(UnsupportedReportLinkError) as info:
        await ws.query_report_link(f"https://mixpanel.com/project/1/app/impact#report/{impact}")
    assert info.value.code == "UNSUPPORTED_REPORT_TYPE"
    with pytest.raises(ParamValidationError, match="mode"):
        await ws.query_report_link("AbCdEfGhJk12", mode="graph")  # type: ignore[arg-type]
    elsewhere = ResolvedReport(
        source="slug", report_type="insights", params={}, project_id=2, workspace_id=None,
        region="us", url="u", input="i", slug="s",
    )  # fmt: skip
    with pytest.raises(ReportLinkScopeMismatchError):
        await ws.query_report_link(elsewhere)
    with pytest.raises(ParamValidationError) as bad:
        ResolvedReport(source="bookmark", report_type="insights", params={}, project_id=1,
                       workspace_id=None, region="us", url="u", input="i")  # fmt: skip
    assert bad.value.code == "RL5_RESOLVED_REPORT_INCONSISTENT"


@pytest.mark.parametrize("kind", ["funnels", "retention"])
async def test_query_funnel_and_retention_links(
    mixpanel_workspace: AsyncWorkspace, kind: str
) -> None:
    ws: Any = mixpanel_workspace
    if kind == "funnels":
        params = ws.build_funnel_params(["Sign Up", "Purchase"], last=7)
    else:
        params = ws.build_retention_params("Sign Up", "Purchase", last=7)
    link = await ws.create_report_link(params, report_type=kind)
    result = await ws.query_report_link(link.url)
    assert type(result).__name__ == {"funnels": "FunnelQueryResult",
                                     "retention": "RetentionQueryResult"}[kind]  # fmt: skip
    assert result.params == params
