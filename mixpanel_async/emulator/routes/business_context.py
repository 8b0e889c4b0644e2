"""Business context: one markdown text per project and one per organization.

Project texts live in the project's entities (`entities["business_context"]`); organization
texts (an organization spans projects) live with the account's first project
(`entities["business_context_org"]`, organization id as text → text), so a `--data-dir` keeps
both across restarts. The emulator's account has a single
organization (`ORGANIZATION_ID`); any other id is a 404. A PUT replaces the text; longer than
50,000 characters is refused with a 400, as Mixpanel does; an unset scope reads as `""`.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from mixpanel_async.emulator import errors
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.route_helpers import ORGANIZATION_ID, body, ok
from mixpanel_async.emulator.router import Call, Routes, project_for

routes = Routes()

MAX_CHARS = 50_000
_KEY = "business_context"


def _org_texts(call: Call) -> dict[str, str]:
    """Organization id (as text) → text, kept across requests (and cleared by a reset)."""
    texts: dict[str, str] = call.state.default.entities.setdefault("business_context_org", {})
    return texts


def _organization(call: Call) -> int:
    """The addressed organization, which must be the emulator's."""
    org = int(call.params["organization_id"])
    if org != ORGANIZATION_ID:
        raise EmulatorError(404, errors.UNKNOWN_ORGANIZATION.format(organization_id=org))
    return org


async def _text(call: Call) -> str:
    """The PUT body's `content`, checked against Mixpanel's limit."""
    content: Any = (await body(call)).get("content")
    if content is None:
        raise errors.missing_param("content")
    if len(content) > MAX_CHARS:
        raise EmulatorError(400, errors.BUSINESS_CONTEXT_TOO_LONG.format(limit=MAX_CHARS))
    return str(content)


@routes("get_project_business_context")
async def get_project(call: Call) -> web.Response:
    """GET projects/{id}/business-context: the project's text."""
    return ok({"content": project_for(call).entities.get(_KEY, "")})


@routes("set_project_business_context")
async def set_project(call: Call) -> web.Response:
    """PUT projects/{id}/business-context: replace the project's text."""
    text = await _text(call)
    project_for(call).entities[_KEY] = text
    return ok({"content": text})


@routes("get_organization_business_context")
async def get_organization(call: Call) -> web.Response:
    """GET organizations/{id}/business-context: the organization's text."""
    return ok({"content": _org_texts(call).get(str(_organization(call)), "")})


@routes("set_organization_business_context")
async def set_organization(call: Call) -> web.Response:
    """PUT organizations/{id}/business-context: replace the organization's text."""
    org = _organization(call)
    text = await _text(call)
    _org_texts(call)[str(org)] = text
    return ok({"content": text})


@routes("get_business_context_chain")
async def get_chain(call: Call) -> web.Response:
    """GET projects/{id}/business-context/chain: the project's organization's text and the
    project's own."""
    return ok(
        {
            "org_context": _org_texts(call).get(str(ORGANIZATION_ID), ""),
            "project_context": project_for(call).entities.get(_KEY, ""),
        }
    )
