"""The built-in reference: lookups, search, rendering and misses, from our own docstrings."""

from __future__ import annotations

import io
import json

import pytest

import mixpanel_async
from mixpanel_async import (
    AsyncWorkspace,
    HelpDomainError,
    HelpEntry,
    HelpLookupError,
    SearchResult,
    Workspace,
    reference,
)


def test_a_workspace_method() -> None:
    entry = reference.describe("Workspace.segmentation")
    assert isinstance(entry, HelpEntry)
    assert (entry.kind, entry.name, entry.domain) == ("method", "segmentation", "Query")
    assert entry.summary == (AsyncWorkspace.segmentation.__doc__ or "").strip().splitlines()[0]
    assert entry.signature is not None
    params = {p.name: p for p in entry.signature.params}
    assert params["unit"].default == "'day'"
    assert params["unit"].kind == "keyword_only"
    assert reference.describe("segmentation") == entry
    assert reference.describe(AsyncWorkspace.segmentation) == entry


def test_a_parameter_and_a_type() -> None:
    unit = reference.describe("Workspace.segmentation.unit")
    assert unit.kind == "parameter"
    assert unit.summary
    flags = reference.describe("FlagHistoryParams")
    assert flags.kind == "model"
    assert [f.name for f in flags.fields] == ["page", "page_size"]
    assert reference.describe(mixpanel_async.FlagHistoryParams) == flags
    literal = reference.describe("AccountType")
    assert literal.kind == "literal"
    assert set(literal.values) == {"'service_account'", "'oauth_browser'", "'oauth_token'"}
    error = reference.describe("HelpLookupError")
    assert error.kind == "exception"
    assert "MixpanelAsyncError" in error.bases


def test_listing_and_domains() -> None:
    listing = reference.describe("Workspace")
    titles = [g.title for g in listing.groups]
    assert "Feature flags" in titles
    assert "Query" in titles
    every = {m.name for g in listing.groups for m in g.items}
    assert {n for n in dir(AsyncWorkspace) if not n.startswith("_")} == every
    flags = reference.describe("Workspace", domain="feature")
    assert [g.title for g in flags.groups] == ["Feature flags"]
    with pytest.raises(HelpDomainError) as unknown:
        reference.describe("Workspace", domain="nothing")
    assert unknown.value.reason == "unknown"
    assert "Query" in unknown.value.domains
    with pytest.raises(HelpDomainError) as ambiguous:
        reference.describe("Workspace", domain="custom")
    assert ambiguous.value.reason == "ambiguous"
    with pytest.raises(HelpDomainError) as elsewhere:
        reference.describe("Filter", domain="query")
    assert elsewhere.value.reason == "not_workspace"
    assert reference.describe(Workspace).kind == "listing"


def test_search() -> None:
    found = reference.search("flag_history")
    assert isinstance(found, SearchResult)
    names = [h.name for h in found.hits]
    assert "Workspace.get_flag_history" in names
    assert all(h.matched_on == "name" for h in found.hits)
    assert len(reference.search("a", limit=3).hits) == 3
    by_value = reference.search("oauth_browser")
    assert any(h.name == "AccountType" and h.matched_on == "member" for h in by_value.hits)
    with pytest.raises(HelpLookupError):
        reference.search("  ")


def test_unknown_name() -> None:
    with pytest.raises(HelpLookupError) as miss:
        reference.describe("Filtr")
    assert miss.value.query == "Filtr"
    assert "Filter" in miss.value.suggestions
    assert "Did you mean" in str(miss.value)


def test_render_and_help() -> None:
    entry = reference.describe("FlagHistoryParams")
    text = reference.render(entry)
    assert text.startswith("FlagHistoryParams(")
    assert "page_size: int | None = None" in text
    assert reference.render(entry, "markdown").startswith("## FlagHistoryParams(")
    assert json.loads(reference.render(entry, "json"))["name"] == "FlagHistoryParams"
    out = io.StringIO()
    mixpanel_async.help("Workspace.events", file=out)
    assert out.getvalue().startswith("events(")
    out = io.StringIO()
    mixpanel_async.help("Filtr", file=out)  # a miss is printed, not raised
    assert "No help entry for 'Filtr'" in out.getvalue()
    out = io.StringIO()
    mixpanel_async.help(file=out)
    assert "AsyncWorkspace" in out.getvalue()
