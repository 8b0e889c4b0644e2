"""Annotations: what the generic entity handlers (`entity_routes.py`) do not cover.

Annotations are written with tag ids and stored (and read back) with tag objects; the date is
stored as `%Y-%m-%d %H:%M:%S` and cannot change after creation. Lists filter by a day window and
by tags; a tag's `has_annotations` is worked out when tags are listed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiohttp import web

from mixpanel_async.emulator import errors
from mixpanel_async.emulator.entities import CREATOR
from mixpanel_async.emulator.entity_routes import PREPARE, answer
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.route_helpers import entity_id, ok, table_for, table_of
from mixpanel_async.emulator.router import Call, Routes

routes = Routes()

DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
_FIRST, _LAST = str(CREATOR["creator_name"]).split(" ", 1)


def _date(text: Any) -> str:
    for pattern in (DATE_FORMAT, "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"):
        try:
            return dt.datetime.strptime(str(text), pattern).strftime(DATE_FORMAT)
        except ValueError:
            continue
    raise EmulatorError(400, errors.BAD_ANNOTATION_DATE.format(text=text))


def _tags(call: Call, ids: list[int]) -> list[dict[str, Any]]:
    found = table_of(call, "annotation_tag").rows
    missing = [i for i in ids if i not in found]
    if missing:
        raise EmulatorError(400, errors.UNKNOWN_TAG.format(tag_id=missing[0]))
    return [{k: found[i][k] for k in ("id", "name", "project_id")} for i in dict.fromkeys(ids)]


def prepare(call: Call, fields: dict[str, Any]) -> dict[str, Any]:
    """A validated body as stored: tag objects, a normalised date, the author."""
    if len(fields.get("description") or "") > 512:
        raise EmulatorError(400, errors.LONG_DESCRIPTION)
    if "tags" in fields:
        fields["tags"] = _tags(call, fields["tags"])
    if call.op.entity and call.op.entity.get("action") != "create":
        fields.pop("date", None)  # fixed once created
        return fields
    user_id = fields.pop("user_id", CREATOR["creator_id"])
    return {
        "tags": [],
        **fields,
        "date": _date(fields["date"]),
        "user": {"id": user_id, "first_name": _FIRST, "last_name": _LAST},
    }


PREPARE["annotation"] = prepare


@routes("list_annotations")
async def list_annotations(call: Call) -> web.Response:
    """GET /api/app/projects/{project_id}/annotations/: list annotations, optionally of a date
    window or with some tags."""
    first, last = call.params.get("from_date"), call.params.get("to_date")
    raw_tags = call.params.get("tags")
    try:
        wanted = {int(t) for t in str(raw_tags).split(",") if t.strip()} if raw_tags else set()
    except ValueError:
        raise EmulatorError(400, errors.BAD_TAGS.format(tags=raw_tags)) from None
    rows = [
        row
        for row in table_for(call).rows.values()
        if (first is None or row["date"][:10] >= str(first))
        and (last is None or row["date"][:10] <= str(last))
        and (not wanted or wanted & {t["id"] for t in row.get("tags", [])})
    ]
    return ok(sorted(rows, key=lambda row: (row["date"], row["id"])))


@routes("list_annotation_tags")
async def list_annotation_tags(call: Call) -> web.Response:
    """GET /api/app/projects/{project_id}/annotations/tags/: list annotation tags."""
    annotations = table_of(call, "annotation").rows.values()
    used = {t["id"] for row in annotations for t in row.get("tags", [])}
    return answer(
        call,
        [{**tag, "has_annotations": tag["id"] in used} for tag in table_for(call).rows.values()],
    )


@routes("delete_annotation")
async def delete_annotation(call: Call) -> web.Response:
    """DELETE /api/app/projects/{project_id}/annotations/{annotation_id}/: delete an annotation;
    Mixpanel answers with the deleted id (`results.id`)."""
    table = table_for(call)
    row = table.get(entity_id(call))
    table.delete([row["id"]])
    return ok({"id": row["id"]})
