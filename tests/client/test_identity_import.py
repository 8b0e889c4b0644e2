"""Identity events through our client's `import_events`: Mixpanel's payloads as documented
(`$merge` with only `$distinct_ids`; events with `$device_id` / `$user_id` and no
`distinct_id`) are accepted and read back under the canonical id."""

from __future__ import annotations

import time
from typing import Any

import pytest

from mixpanel_async import AsyncWorkspace
from mixpanel_async.emulator import Emulator
from mixpanel_async.exceptions import ParamValidationError

NOW = int(time.time()) - 3600
DAY = time.strftime("%Y-%m-%d", time.gmtime(NOW))


def event(name: str, n: int, **props: Any) -> dict[str, Any]:
    return {"event": name, "properties": {"time": NOW + n, **props}}


async def test_identity_events_import_and_resolve(
    mixpanel_emulator: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    events = [
        event("Browse", 1, **{"$device_id": "dev-1"}),
        event("Sign In", 2, **{"$device_id": "dev-1", "$user_id": "user-1"}),
        event("Browse", 3, distinct_id="crm-77"),
        {"event": "$merge", "properties": {"$distinct_ids": ["user-1", "crm-77"]}},
    ]
    result = await mixpanel_workspace.import_events(events)
    assert (result.imported, result.failed) == (4, ())
    frame = await mixpanel_workspace.export_events(DAY, DAY)
    browsed = frame.filter(frame["event"] != "$merge")
    assert set(browsed["distinct_id"].to_list()) == {"user-1"}


async def test_other_events_still_need_time_and_an_id(
    mixpanel_workspace: AsyncWorkspace,
) -> None:
    with pytest.raises(ParamValidationError, match="time is required"):
        await mixpanel_workspace.import_events([{"event": "E", "properties": {"$user_id": "u"}}])
    with pytest.raises(ParamValidationError, match="distinct_id"):
        await mixpanel_workspace.import_events([event("E", 1)])
