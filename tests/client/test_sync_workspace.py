"""`Workspace`, the synchronous facade, over HTTP against the emulator."""

from __future__ import annotations

import asyncio
import threading

import pytest

from mixpanel_async import (
    AsyncWorkspace,
    ParamValidationError,
    Workspace,
    WorkspaceClosedError,
)
from mixpanel_async.emulator import Emulator
from tests.helpers import FAST, ev, ts


def _threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name == "mixpanel-async-workspace"}


def _events() -> list[dict[str, object]]:
    day = ts("2024-03-05T12:00:00")
    return [ev("Signup", f"u{i}", day + i, insert_id=f"i{i}", plan="free") for i in range(5)] + [
        ev("Login", "u1", day + 100, insert_id="l1")
    ]


def test_methods_run_without_await(mixpanel_emulator: Emulator) -> None:
    before = _threads()
    with Workspace(base_url=mixpanel_emulator.url, project="1", retry=FAST) as ws:
        assert isinstance(ws.async_workspace, AsyncWorkspace)
        assert ws.session.project_id == "1"  # a property, read through
        ws.import_events(_events())
        assert sorted(ws.events()) == ["Login", "Signup"]
        result = ws.segmentation("Signup", from_date="2024-03-05", to_date="2024-03-05")
        assert result.total == 5
        streamed = list(ws.stream_events(from_date="2024-03-05", to_date="2024-03-05"))
        assert len(streamed) == 6  # an async generator became an iterator
        first = next(iter(ws.stream_events(from_date="2024-03-05", to_date="2024-03-05")))
        assert first in streamed  # stopping early is fine
        params = ws.build_params("Signup")  # pure methods stay pure
        assert isinstance(params, dict)
        assert len(_threads() - before) == 1
    assert ws.closed
    assert _threads() == before  # closing stopped the thread


def test_arguments_are_checked_before_any_request(mixpanel_emulator: Emulator) -> None:
    with Workspace(base_url=mixpanel_emulator.url, project="1", retry=FAST) as ws:
        with pytest.raises(ParamValidationError):
            ws.segmentation("Signup", from_date="2024-03-09", to_date="2024-03-01")
        assert ws.events() == []  # still usable after an error


def test_closed_workspace_refuses_calls(mixpanel_emulator: Emulator) -> None:
    ws = Workspace(base_url=mixpanel_emulator.url, project="1", retry=FAST)
    ws.close()
    ws.close()  # twice is fine
    with pytest.raises(WorkspaceClosedError):
        ws.events()
    with pytest.raises(AttributeError):
        ws.no_such_method  # noqa: B018


def test_scoped_copy_shares_the_thread(mixpanel_emulator: Emulator) -> None:
    before = _threads()
    with Workspace(base_url=mixpanel_emulator.url, project="1", retry=FAST) as ws:
        other = ws.scoped(project="2")
        assert isinstance(other, Workspace)
        assert other.session.project_id == "2"
        assert other.events() == []
        other.close()
        assert ws.events() == []  # the parent keeps working
        assert len(_threads() - before) == 1
    assert _threads() == before


async def test_usable_inside_a_running_event_loop(mixpanel_emulator: Emulator) -> None:
    asyncio.get_running_loop()
    with Workspace(base_url=mixpanel_emulator.url, project="1", retry=FAST) as ws:
        ws.import_events(_events())
        assert sorted(ws.events()) == ["Login", "Signup"]


def test_seed_types_in_calls(mixpanel_emulator: Emulator) -> None:
    from mixpanel_async import (
        CreateDashboardParams,
        DashboardRow,
        DashboardRowContent,
        PublicWorkspace,
    )

    with Workspace(base_url=mixpanel_emulator.url, project="1", retry=FAST) as ws:
        workspaces = ws.list_workspaces()
        assert workspaces
        assert all(isinstance(w, PublicWorkspace) for w in workspaces)
        text = DashboardRowContent(content_type="text", content_params={"markdown": "<h2>Hi</h2>"})
        made = ws.create_dashboard(
            CreateDashboardParams(title="Seed rows", rows=[DashboardRow(contents=[text])])
        )
        again = ws.get_dashboard(made.id)
        assert again.title == "Seed rows"
        rows = again.layout.rows if again.layout else None
        assert rows
        assert rows[0].contents
        assert rows[0].contents[0].content_type == "text"
