"""Lookup tables (openapi/lookup_tables.yaml) and the signed "cloud storage" the CSVs go
through.

`upload-url/` mints a key and answers a URL on this emulator
(`/__emulator/lookup-uploads/{project}/{key}` plus an expiry and an HMAC), the path the file
would have in storage and the key. A PUT there, with no credentials (as a signed cloud URL
takes it), stores the bytes; a bad or expired signature is a 403. Registering by key reads the
CSV (a header row; the first column is the key the table is looked up by) into a table named
by a new data group id, or replaces the contents of the table `data-group-id` names. A file
of 5 MB or more is "processed in the background" as Mixpanel does: the POST answers
`{uploadId}`, and `upload-status/` answers SUCCESS with the table at once (the emulator does
the work during the POST). Downloads answer the stored CSV (`limit` rows at most); the
download URL is a signed GET on the same storage.

Rows live in the project's entity table `lookup_table`, each with its CSV text under
`csv` (never rendered); files not yet registered (base64 text, under `lookup_uploads`) and
background uploads (`lookup_upload_status`) live in the project's entities too, so a
`--data-dir` keeps them across restarts like the tables.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import io
import secrets
import time
import uuid
from typing import Any

import polars as pl
from aiohttp import web

from mixpanel_async.emulator import errors
from mixpanel_async.emulator.engine import lookup_enrich
from mixpanel_async.emulator.entities import Table, now_iso
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.render import json_response
from mixpanel_async.emulator.route_helpers import body, ok, table_of
from mixpanel_async.emulator.router import STATE, Call, Routes, project_for
from mixpanel_async.emulator.store import ProjectState

routes = Routes()

STORAGE_PREFIX = "/__emulator/lookup-"
SIGNATURE_TTL = 900  # seconds a signed storage URL stays valid
BACKGROUND_BYTES = 5 * 1024 * 1024  # files this large are registered "in the background"
_KEY = secrets.token_bytes(32)
_PUBLIC = ("id", "name", "token", "createdAt", "lastModifiedAt", "hasMappedProperties")


def lookup_tables(call: Call) -> Table:
    """The addressed project's lookup tables."""
    return table_of(call, "lookup_table")


def _sign(kind: str, project_id: str, name: str, expires: int) -> str:
    message = f"{kind}/{project_id}/{name}/{expires}".encode()
    return hmac.new(_KEY, message, hashlib.sha256).hexdigest()


def _signed_url(call: Call, kind: str, project_id: str, name: str) -> str:
    expires = int(time.time()) + SIGNATURE_TTL
    origin = call.request.url.origin()
    signature = _sign(kind, project_id, name, expires)
    return (
        f"{origin}{STORAGE_PREFIX}{kind}/{project_id}/{name}"
        f"?expires={expires}&signature={signature}"
    )


def _verified(request: web.Request, kind: str) -> bool:
    info = request.match_info
    try:
        expires = int(request.query.get("expires", ""))
    except ValueError:
        return False
    expected = _sign(kind, info["project_id"], info["name"], expires)
    return expires >= time.time() and hmac.compare_digest(
        request.query.get("signature", ""), expected
    )


def _uploads(project: ProjectState) -> dict[str, str | None]:
    """Upload key → the file PUT there (base64 text; None until then)."""
    files: dict[str, str | None] = project.entities.setdefault("lookup_uploads", {})
    return files


def _statuses(project: ProjectState) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = project.entities.setdefault("lookup_upload_status", {})
    return found


def _render(row: dict[str, Any], call: Call) -> dict[str, Any]:
    """A table as Mixpanel lists it; `hasMappedProperties` says whether a Lexicon property
    definition maps to it (see `engine.lookup_enrich`)."""
    mapped = str(row["id"]) in lookup_enrich.mapped_groups(project_for(call).entities)
    return {**{k: row.get(k) for k in _PUBLIC}, "hasMappedProperties": mapped}


def _csv_text(data: bytes) -> str:
    """The uploaded bytes as CSV text with a header and at least one column (else a 400)."""
    try:
        text = data.decode("utf-8-sig")
        frame = pl.read_csv(io.StringIO(text), infer_schema=False)
    except (UnicodeDecodeError, pl.exceptions.PolarsError) as exc:
        raise EmulatorError(400, errors.BAD_LOOKUP_CSV.format(why=exc)) from None
    if frame.width < 1 or not frame.columns[0].strip():
        raise EmulatorError(400, errors.BAD_LOOKUP_CSV.format(why="no key column"))
    return text


@routes("get_lookup_upload_url")
async def upload_url(call: Call) -> web.Response:
    """GET upload-url/: a key, its storage path and a signed URL to PUT the file to."""
    project = project_for(call)
    key = uuid.uuid4().hex
    _uploads(project)[key] = None
    return ok(
        {
            "url": _signed_url(call, "uploads", project.project_id, key),
            "path": f"lookup-tables/{project.project_id}/{key}.csv",
            "key": key,
        }
    )


@routes("register_lookup_table")
async def register(call: Call) -> web.Response:
    """POST (form): register the file uploaded under `key` as a new table, or as the new
    contents of table `data-group-id`."""
    form = await call.form()
    name, key = form.get("name", "").strip(), form.get("key", "")
    if not name:
        raise errors.missing_param("name")
    project = project_for(call)
    stored = _uploads(project).get(key)
    if stored is None:
        raise EmulatorError(400, errors.UNKNOWN_UPLOAD_KEY.format(key=key))
    data = base64.b64decode(stored)
    text = _csv_text(data)
    table = lookup_tables(call)
    group = form.get("data-group-id")
    if group:
        lookup = table.get(group)
        row = table.patch(lookup["id"], {"name": name, "csv": text, "lastModifiedAt": now_iso()})
    else:
        stamp = now_iso()
        row = table.insert(
            {
                "name": name,
                "token": None,
                "createdAt": stamp,
                "lastModifiedAt": stamp,
                "hasMappedProperties": False,
                "csv": text,
            }
        )
    del _uploads(project)[key]
    if len(data) >= BACKGROUND_BYTES:
        upload_id = uuid.uuid4().hex
        _statuses(project)[upload_id] = {"uploadStatus": "SUCCESS", "result": _render(row, call)}
        return ok({"uploadId": upload_id})
    return ok(_render(row, call))


@routes("get_lookup_upload_status")
async def upload_status(call: Call) -> web.Response:
    """GET upload-status/: a background upload's state (NOTFOUND for an unknown id)."""
    found = _statuses(project_for(call)).get(str(call.params["upload_id"]))
    return ok(found if found is not None else {"uploadStatus": "NOTFOUND"})


@routes("list_lookup_tables")
async def list_tables(call: Call) -> web.Response:
    """GET: the tables, or the one `data-group-id` names."""
    rows = list(lookup_tables(call).rows.values())
    group = call.params.get("data_group_id")
    return ok([_render(r, call) for r in rows if group is None or r["id"] == group])


@routes("update_lookup_table")
async def update_table(call: Call) -> web.Response:
    """PATCH: rename a table."""
    fields = await body(call)
    changes = {"lastModifiedAt": now_iso()}
    if isinstance(fields.get("name"), str) and fields["name"].strip():
        changes["name"] = fields["name"]
    return ok(_render(lookup_tables(call).patch(fields["data-group-id"], changes), call))


@routes("delete_lookup_tables")
async def delete_tables(call: Call) -> web.Response:
    """DELETE: delete tables by data group id (all or none)."""
    lookup_tables(call).delete((await body(call))["data-group-ids"])
    return ok({})


# --- Mixpanel's published endpoints on the ingestion host (tables by UUID) ---------------------

_UUIDS = uuid.UUID("5b1d8f5e-2f3c-4d0e-9a57-6c1f0f5c7e21")


def official_id(project_id: str, group: int) -> str:
    """The UUID a table answers to on the ingestion host: stable per project and data group."""
    return str(uuid.uuid5(_UUIDS, f"{project_id}/{group}"))


@routes("list_lookup_table_ids")
async def list_table_ids(call: Call) -> web.Response:
    """GET /lookup-tables: `{code, status, results: [{id, name}]}`."""
    project = project_for(call)
    rows = lookup_tables(call).rows.values()
    results = [{"id": official_id(project.project_id, r["id"]), "name": r["name"]} for r in rows]
    return json_response({"code": 200, "status": "OK", "results": results})


def _row_failures(text: str) -> list[dict[str, Any]]:
    """Data rows with a blank key or the wrong number of fields (index from 0)."""
    lines = list(csv.reader(io.StringIO(text)))
    width = len(lines[0]) if lines else 0
    failed = []
    for index, fields in enumerate(lines[1:]):
        if len(fields) != width:
            failed.append({"index": index, "message": errors.LOOKUP_ROW_WIDTH})
        elif not fields[0].strip():
            failed.append({"index": index, "message": errors.LOOKUP_BLANK_KEY})
    return failed


@routes("replace_lookup_table")
async def replace_table(call: Call) -> web.Response:
    """PUT /lookup-tables/{id}: the CSV body becomes the table's contents, all or nothing."""
    project = project_for(call)
    table = lookup_tables(call)
    wanted = str(call.params["id"]).lower()
    found = next(
        (r for r in table.rows.values() if official_id(project.project_id, r["id"]) == wanted),
        None,
    )
    if found is None:
        raise EmulatorError(404, errors.NO_LOOKUP_TABLE_ID.format(id=call.params["id"]))
    data = await call.body_bytes()
    try:
        failed = _row_failures(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise EmulatorError(400, errors.BAD_LOOKUP_CSV.format(why=exc)) from None
    if failed:
        raise EmulatorError(400, errors.LOOKUP_ROWS_INVALID, failed_records=failed)
    text = _csv_text(data)
    table.patch(found["id"], {"csv": text, "lastModifiedAt": now_iso()})
    return json_response({"code": 200, "status": "OK"})


@routes("download_lookup_table")
async def download(call: Call) -> web.Response:
    """GET download/: the table's CSV, at most `limit` data rows."""
    row = lookup_tables(call).get(call.params["data_group_id"])
    text = row["csv"]
    limit = call.params.get("limit")
    if limit is not None:
        text = _head(text, int(limit))
    name = call.params.get("file_name") or f"{row['name']}.csv"
    return web.Response(
        text=text,
        content_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _head(text: str, rows: int) -> str:
    """The CSV's header and first `rows` data rows."""
    out = io.StringIO()
    pl.read_csv(io.StringIO(text), infer_schema=False).head(rows).write_csv(out)
    return out.getvalue()


@routes("get_lookup_download_url")
async def download_url(call: Call) -> web.Response:
    """GET download-url/: a signed storage URL of the table's CSV."""
    project = project_for(call)
    row = lookup_tables(call).get(call.params["data_group_id"])
    return ok({"url": _signed_url(call, "downloads", project.project_id, str(row["id"]))})


async def storage_put(request: web.Request) -> web.Response:
    """PUT a file to a signed upload URL (no credentials; 403 when the signature fails)."""
    if not _verified(request, "uploads"):
        return web.Response(status=403, text="Forbidden: the signature is invalid or expired")
    project = request.app[STATE].by_id(request.match_info["project_id"])
    files = _uploads(project) if project is not None else {}
    name = request.match_info["name"]
    if name not in files:
        return web.Response(status=404, text="Not Found")
    files[name] = base64.b64encode(await request.read()).decode()
    return web.Response(status=200)


async def storage_get(request: web.Request) -> web.Response:
    """GET a table's CSV from a signed download URL."""
    if not _verified(request, "downloads"):
        return web.Response(status=403, text="Forbidden: the signature is invalid or expired")
    project = request.app[STATE].by_id(request.match_info["project_id"])
    table = project.entities.get("lookup_table") if project is not None else None
    row = table.rows.get(int(request.match_info["name"])) if isinstance(table, Table) else None
    if row is None:
        return web.Response(status=404, text="Not Found")
    return web.Response(text=row["csv"], content_type="text/csv")


def install_lookup_storage(app: web.Application) -> None:
    """Serve the signed upload and download URLs (a cloud store's, not Mixpanel's API)."""
    app.router.add_put(STORAGE_PREFIX + "uploads/{project_id}/{name}", storage_put)
    app.router.add_get(STORAGE_PREFIX + r"downloads/{project_id}/{name:\d+}", storage_get)
