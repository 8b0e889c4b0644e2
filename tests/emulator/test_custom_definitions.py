"""Custom properties and custom events over raw HTTP: bad input answers Mixpanel's App API
4xx shape (never a 500) and leaves the stored definitions as they were."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from mixpanel_async.emulator import Emulator

APP = "/api/app/projects/1"


async def _send(
    http: aiohttp.ClientSession, emu: Emulator, method: str, path: str, **kwargs: Any
) -> tuple[int, Any]:
    async with http.request(method, emu.url + APP + path, **kwargs) as resp:
        return resp.status, await resp.json(content_type=None)


def _app_error(status: int, body: Any, expected: int) -> str:
    assert status == expected, body
    assert body["status"] == "error"
    assert isinstance(body["error"], str)
    return str(body["error"])


GOOD = {
    "name": "Shout",
    "resourceType": "events",
    "displayFormula": "upper(A)",
    "composedProperties": {"A": {"resourceType": "event", "value": "plan"}},
}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({**GOOD, "displayFormula": "upper(A"}, "expected ')'"),
        ({**GOOD, "behavior": {"x": 1}}, "mutually exclusive"),
        ({k: v for k, v in GOOD.items() if k != "composedProperties"}, "requires"),
        ({k: v for k, v in GOOD.items() if k != "displayFormula"}, "required"),
        ({**GOOD, "resourceType": "rooms"}, "resource_type"),
        ({**GOOD, "composedProperties": {"A": {"value": "plan"}}}, "resource_type"),
        ({**GOOD, "name": " "}, "name"),
        ([1, 2], "object"),
    ],
)
async def test_bad_custom_properties(
    emu: Emulator, http: aiohttp.ClientSession, body: Any, message: str
) -> None:
    for path in ("/custom_properties/", "/custom_properties/validate/"):
        status, answer = await _send(http, emu, "POST", path, json=body)
        assert message in _app_error(status, answer, 400)
    status, answer = await _send(http, emu, "GET", "/custom_properties/")
    assert (status, answer["results"]) == (200, [])


async def test_bad_updates_keep_the_definition(emu: Emulator, http: aiohttp.ClientSession) -> None:
    status, made = await _send(http, emu, "POST", "/custom_properties/", json=GOOD)
    assert status == 200
    path = f"/custom_properties/{made['results']['customPropertyId']}/"
    for body, expected in (
        ({"displayFormula": "B"}, 400),
        ({"resourceType": "people"}, 400),
        ({"isLocked": "yes"}, 400),
    ):
        status, answer = await _send(http, emu, "PUT", path, json=body)
        _app_error(status, answer, expected)
    status, answer = await _send(http, emu, "GET", path)
    assert answer["results"]["displayFormula"] == "upper(A)"
    status, answer = await _send(http, emu, "GET", "/custom_properties/abc/")
    _app_error(status, answer, 400)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"name": "x", "alternatives": "not json"}, "alternatives"),
        ({"name": "x", "alternatives": "[]"}, "alternatives"),
        ({"name": "x", "alternatives": '[{"event": ""}]'}, "alternatives"),
        ({"name": "x", "alternatives": '{"event": "a"}'}, "alternatives"),
        ({"name": "", "alternatives": '[{"event": "a"}]'}, "name"),
        ({"alternatives": '[{"event": "a"}]'}, "name"),
    ],
)
async def test_bad_custom_events(
    emu: Emulator, http: aiohttp.ClientSession, form: dict[str, str], message: str
) -> None:
    status, answer = await _send(http, emu, "POST", "/custom_events/", data=form)
    assert message in _app_error(status, answer, 400)
    status, answer = await _send(
        http, emu, "GET", "/data-definitions/events/", params={"custom_event": "true"}
    )
    assert answer["results"] == []


async def test_custom_event_lexicon_entry_refusals(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    path = "/data-definitions/events/"
    status, answer = await _send(http, emu, "PATCH", path, json={"customEventId": 5})
    _app_error(status, answer, 404)
    status, answer = await _send(http, emu, "PATCH", path, json={"customEventId": "five"})
    _app_error(status, answer, 400)
    status, answer = await _send(http, emu, "DELETE", path, json={"customEventId": 5})
    _app_error(status, answer, 404)
    status, answer = await _send(http, emu, "DELETE", path, json={})
    _app_error(status, answer, 400)
