"""Business context through AsyncWorkspace against the emulator."""

from __future__ import annotations

import pytest

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from mixpanel_async.exceptions import BusinessContextValidationError
from mixpanel_async.results.business_context import BUSINESS_CONTEXT_MAX_CHARS
from tests.helpers import refused, sends_nothing


async def test_project_and_organization_scopes(mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    empty = await ws.get_business_context()
    assert (empty.level, empty.content, empty.project_id, empty.is_empty) == (
        "project", "", "1", True,
    )  # fmt: skip
    saved = await ws.set_business_context("# Acme\nWe sell anvils.")
    assert (saved.content, saved.character_count) == ("# Acme\nWe sell anvils.", 22)
    org = await ws.set_business_context("Org-wide", level="organization")
    assert (org.level, org.organization_id, org.project_id) == ("organization", 1, None)
    assert (await ws.get_business_context(level="organization", organization_id=1)).content == (
        "Org-wide"
    )

    chain = await ws.get_business_context_chain()
    assert (chain.organization.content, chain.project.content) == ("Org-wide", saved.content)
    assert chain.organization.organization_id == 1  # /me is cached by the organization calls
    assert chain.df["content"].to_list() == ["Org-wide", saved.content]
    assert saved.to_dict()["is_empty"] is False

    cleared = await ws.clear_business_context()
    assert cleared.content == ""
    assert (await ws.get_business_context()).is_empty
    assert (await ws.get_business_context(level="organization")).content == "Org-wide"


async def test_chain_does_not_fetch_me(mixpanel_workspace: AsyncWorkspace) -> None:
    chain = await mixpanel_workspace.get_business_context_chain()
    assert chain.organization.organization_id is None
    assert (chain.organization.content, chain.project.content) == ("", "")


async def test_limit_and_unknown_organization(
    mixpanel_workspace: AsyncWorkspace, mixpanel_emulator: Emulator
) -> None:
    ws = mixpanel_workspace
    longest = "x" * BUSINESS_CONTEXT_MAX_CHARS
    assert (await ws.set_business_context(longest)).character_count == BUSINESS_CONTEXT_MAX_CHARS
    with pytest.raises(BusinessContextValidationError, match="at most 50000"):
        await ws.set_business_context(longest + "y")
    # The server keeps its own limit (a client that skips the check gets a 400).
    too_long = ws.api.raw("PUT", "/projects/1/business-context", json={"content": longest + "y"})
    await refused(too_long, 400, "maximum length of 50000")
    assert (await ws.get_business_context()).content == longest
    await refused(ws.get_business_context(level="organization", organization_id=7), 404)


test_arguments_refused = sends_nothing(
    (lambda ws: ws.get_business_context(level="org"), "level must be one of"),  # type: ignore[arg-type]
    (lambda ws: ws.set_business_context(5), "content must be a string"),  # type: ignore[arg-type]
    (lambda ws: ws.set_business_context("x" * 50_001), "at most 50000"),
    (lambda ws: ws.clear_business_context(level="x"), "level must be one of"),  # type: ignore[arg-type]
    (
        lambda ws: ws.get_business_context(level="organization", organization_id=0),
        "organization_id must be a positive integer",
    ),
)
