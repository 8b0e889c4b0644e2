"""Report links: unsaved reports stored under client-minted slugs (`bookmark-urls`, one table
per project keyed by the slug), and the web host's short links (`/s/{code}`).

Short links are the web app's (there is no API that mints them): `add_short_link()` makes one
(tests and seeding call it on an `Emulator`'s `state`). `/s/{code}` answers a 302 whose
`Location` is the target on the host the request was sent to (so a client pointed at
`http://127.0.0.1:4808` is sent to `http://127.0.0.1:4808/project/1/...`), or, for a target too
long for a header, a 200 HTML page whose script sets `window.location.href`, as Mixpanel does.
"""

from __future__ import annotations

import re
import secrets
import string
from typing import Any

import orjson
from aiohttp import web

from mixpanel_async.emulator import errors
from mixpanel_async.emulator.entities import CREATOR, now_iso
from mixpanel_async.emulator.entity_routes import check_unique
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.route_helpers import body, ok, table_for, table_of
from mixpanel_async.emulator.router import Call, Routes, project_for
from mixpanel_async.emulator.store import State

routes = Routes()

SLUG = re.compile(r"^[0-9A-Za-z_-]{12}$")
"""What the server accepts as a slug (wider than the alphabet clients mint from)."""
SHORT_LINKS = "short_links"
"""The key of the code → target map in `State.extras` (short links belong to the web host, not
to a project)."""
SCRIPTED_AFTER = 2000
"""Targets longer than this are answered as an HTML page rather than a `Location` header."""
_PAGE = "<!DOCTYPE html><html><head><script>window.location.href = {target};</script></head></html>"


def add_short_link(state: State, target: str, code: str | None = None) -> str:
    """Make `/s/{code}` lead to `target`: a path on the web host (`/project/1/app/insights#...`)
    or an absolute URL. Returns the code (a fresh random one when `code` is None)."""
    chosen = code or "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(8))
    links: dict[str, str] = state.extras.setdefault(SHORT_LINKS, {})
    links[chosen] = target
    return chosen


@routes("create_bookmark_url")
async def create_bookmark_url(call: Call) -> web.StreamResponse:
    """POST /api/app/projects/{project_id}/bookmark-urls/: store an unsaved report under a
    client-minted slug (never overwriting one)."""
    fields = await body(call)
    slug = fields["slug"]
    if not SLUG.match(slug):
        raise EmulatorError(400, errors.BAD_SLUG.format(slug=slug))
    table = table_for(call)
    check_unique(table, fields, list((call.op.entity or {}).get("unique", [])))
    row: dict[str, Any] = {
        "slug": slug,
        "type": fields["type"],
        "params": fields["params"],
        "name": fields.get("name") or "",
        "description": fields.get("description") or "",
        "bookmark_id": fields.get("bookmark_id"),
        "created_at": now_iso(),
        "project_id": int(project_for(call).project_id),
        "user_id": CREATOR["creator_id"],
    }
    table.rows[slug] = row
    table.record(slug, "create", row)
    return ok(row)


@routes("get_bookmark_url")
async def get_bookmark_url(call: Call) -> web.StreamResponse:
    """GET /api/app/projects/{project_id}/bookmark-urls/{slug}/: the unsaved report under a slug,
    with the saved report it names embedded as `bookmark` while that report exists."""
    slug = call.request.match_info["slug"]
    row = table_for(call).rows.get(slug)
    if row is None:
        raise EmulatorError(404, errors.UNKNOWN_SLUG.format(slug=slug))
    answer = dict(row)
    saved = table_of(call, "bookmark").rows.get(answer.get("bookmark_id"))
    if saved is not None:
        del answer["bookmark_id"]
        answer["bookmark"] = saved
    return ok(answer)


@routes("resolve_short_link")
async def resolve_short_link(call: Call) -> web.StreamResponse:
    """GET /s/{code}: send the browser to the short link's target."""
    code = call.request.match_info["code"]
    target = call.state.extras.get(SHORT_LINKS, {}).get(code)
    if target is None:
        raise EmulatorError(404, errors.UNKNOWN_SHORT_LINK.format(code=code))
    location = f"{call.request.url.origin()}{target}" if target.startswith("/") else target
    if len(location) > SCRIPTED_AFTER:
        page = _PAGE.format(target=orjson.dumps(location).decode())
        return web.Response(text=page, content_type="text/html")
    return web.Response(status=302, headers={"Location": location})
