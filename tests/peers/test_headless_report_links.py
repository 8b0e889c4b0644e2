"""The peer library `mixpanel_headless` and our client agree on report links against the
emulator: a link either one creates resolves to the same report for both, short links expand to
the same record, the same links are refused with the same codes, and the reports run to the
same answers.

The peer always sends short links to `https://mixpanel.com/s/...`; its HTTP client is given a
transport that delivers requests for Mixpanel's web host to the emulator (keeping the `Host`
header, so the emulator redirects on the host the peer asked for).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from mixpanel_async import AsyncWorkspace, ReportLinkError
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.routes.report_links import add_short_link
from tests.helpers import flows_report, ms, row, save_report

mixpanel_headless = pytest.importorskip("mixpanel_headless")

EVENTS = [
    ("Sign Up", "u1", "2026-03-02T10:00"),
    ("Sign Up", "u2", "2026-03-02T11:00"),
    ("Purchase", "u1", "2026-03-03T12:00"),
    ("Sign Up", "u3", "2026-03-05T23:59"),
]
SAME = ("source", "report_type", "params", "project_id", "workspace_id", "region", "url", "slug",
        "bookmark_id", "name", "description", "overrides")  # fmt: skip


class ToEmulator(httpx.BaseTransport):
    """Sends requests for Mixpanel's web hosts to the emulator instead (Host header kept)."""

    def __init__(self, url: str) -> None:
        self.target = httpx.URL(url)
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Forward `request`, re-addressed when it is for a Mixpanel host."""
        if request.url.host.endswith("mixpanel.com"):
            url = request.url.copy_with(
                scheme=self.target.scheme, host=self.target.host, port=self.target.port
            )
            request = httpx.Request(
                request.method, url, headers=request.headers, content=request.content
            )
        return self.inner.handle_request(request)

    def close(self) -> None:
        """Close the real transport."""
        self.inner.close()


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(port=0) as emulator:
        emulator.state.default.events.append([row(e, u, ms(t)) for e, u, t in EVENTS])
        yield emulator


@pytest.fixture
def peer_links(peer: Any, emu: Emulator) -> Any:
    """The peer's `Workspace`, its web-host requests delivered to `emu`."""
    client = peer._require_api_client()
    if client._client is not None:
        client._client.close()
    client._client = httpx.Client(transport=ToEmulator(emu.url))
    return peer


def agree(theirs: Any, mine: Any) -> None:
    """Two `ResolvedReport`s name the same report, the same way."""
    assert {k: getattr(theirs, k) for k in SAME} == {k: getattr(mine, k) for k in SAME}
    assert (theirs.bookmark is None) == (mine.bookmark is None)
    if mine.bookmark is not None:
        assert theirs.bookmark.id == mine.bookmark.id


async def test_links_made_by_either_resolve_alike(peer_links: Any, ours: AsyncWorkspace) -> None:
    params = ours.build_params("Sign Up", from_date="2026-03-01", to_date="2026-03-06")
    theirs = peer_links.create_report_link(params, name="N", description="D", bookmark_id=5)
    mine = await ours.create_report_link(params, name="N", description="D", bookmark_id=5)
    assert theirs.url.replace(theirs.slug, "") == mine.url.replace(mine.slug, "")
    assert {**theirs.to_dict(), "url": 0, "slug": 0, "created_at": 0} == {
        **mine.to_dict(),
        "url": 0,
        "slug": 0,
        "created_at": 0,
    }
    for link in (theirs.url, mine.url, theirs.slug, mine.slug):
        agree(peer_links.resolve_report_link(link), await ours.resolve_report_link(link))


async def test_saved_reports_and_short_links_resolve_alike(
    emu: Emulator, peer_links: Any, ours: AsyncWorkspace
) -> None:
    bookmark_id = await save_report(ours, "insights", ours.build_params("Purchase", last=9))
    link = await ours.create_report_link(ours.build_params("Sign Up"), bookmark_id=bookmark_id)
    saved = ours.saved_report_link(bookmark_id)
    short = add_short_link(emu.state, f"/project/1/view/1/app/insights#{link.slug}")
    long = add_short_link(emu.state, f"/project/1/app/insights#report/{bookmark_id}/" + "x" * 3000)
    for text in (saved, link.url, f"https://mixpanel.com/s/{short}",
                 f"https://mixpanel.com/s/{long}"):  # fmt: skip
        theirs, mine = peer_links.resolve_report_link(text), await ours.resolve_report_link(text)
        agree(theirs, mine)
        assert (theirs.expanded_url is None) == (mine.expanded_url is None)


@pytest.mark.parametrize(
    "text",
    [
        "https://mixpanel.com/s/none",
        "NoSuchSlug99",
        "https://mixpanel.com/project/1/app/funnels#view/4040",
        "https://mixpanel.com/project/1/app/boards#id=3",
        "https://mixpanel.com/project/1/app/insights#~(a~1)",
        "https://eu.mixpanel.com/project/1/app/insights#AbCdEfGhJk12",
        "https://mixpanel.com/project/7/app/insights#AbCdEfGhJk12",
        "https://mixpanel.com/project/1/app/insights#what",
        "https://mixpanel.com/project/1/app/insights",
        "https://example.com/project/1/app/insights#AbCdEfGhJk12",
        "plain words",
    ],
)
async def test_the_same_links_are_refused(peer_links: Any, ours: AsyncWorkspace, text: str) -> None:
    with pytest.raises(mixpanel_headless.exceptions.MixpanelHeadlessError) as theirs:
        peer_links.resolve_report_link(text)
    with pytest.raises(ReportLinkError) as mine:
        await ours.resolve_report_link(text)
    assert theirs.value.code == mine.value.code
    assert type(theirs.value).__name__ == type(mine.value).__name__


async def test_short_link_chains_and_logins(
    emu: Emulator, peer_links: Any, ours: AsyncWorkspace
) -> None:
    add_short_link(emu.state, "/s/other", code="chain")
    add_short_link(emu.state, "/login?next=/s/x", code="login")
    for code in ("chain", "login"):
        with pytest.raises(mixpanel_headless.exceptions.MixpanelHeadlessError) as theirs:
            peer_links.resolve_report_link(f"https://mixpanel.com/s/{code}")
        with pytest.raises(Exception) as mine:  # noqa: PT011 - the class is compared below
            await ours.resolve_report_link(f"https://mixpanel.com/s/{code}")
        assert type(theirs.value).__name__ == type(mine.value).__name__


async def test_reports_run_alike(peer_links: Any, ours: AsyncWorkspace) -> None:
    params = ours.build_params("Sign Up", from_date="2026-03-01", to_date="2026-03-06")
    link = await ours.create_report_link(params)
    theirs, mine = peer_links.query_report_link(link.url), await ours.query_report_link(link.url)
    assert theirs.series == mine.series
    flows = flows_report("Sign Up", "2026-03-01", "2026-03-06")
    flow_link = peer_links.create_report_link(flows, report_type="flows")
    theirs_flow = peer_links.query_report_link(flow_link.url)
    mine_flow = await ours.query_report_link(flow_link.url)
    assert theirs_flow.steps == mine_flow.steps
    columns = [c for c in mine_flow.nodes_df.columns if c in theirs_flow.nodes_df.columns]
    assert theirs_flow.nodes_df[columns].to_dict("records") == mine_flow.nodes_df.to_dicts()
