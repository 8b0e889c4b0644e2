"""`--data-dir`: state written as Parquet on shutdown and read back on start.

Layout: `<dir>/<project_id>/events.parquet` (the raw event log, duplicates included, so dedup
stays a read-time rule), `profiles.parquet` and `meta.json` (groups, cohorts, funnels, timezone).
Files are written to a temporary name and renamed, so a crash never leaves a torn file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson
import polars as pl

from mixpanel_async.emulator.entities import Table
from mixpanel_async.emulator.store import ProjectState, State


def _atomic(path: Path, write: Any) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    write(tmp)
    os.replace(tmp, path)


def save(state: State, root: Path) -> None:
    """Write every project of `state` below `root` (a folder per project)."""
    for project in state:
        folder = root / project.project_id
        folder.mkdir(parents=True, exist_ok=True)
        events = project.events.frame()
        _atomic(folder / "events.parquet", lambda p, f=events: f.write_parquet(p))
        profiles = pl.DataFrame(
            {
                "distinct_id": list(project.profiles),
                "properties": [orjson.dumps(v).decode() for v in project.profiles.values()],
            },
            schema={"distinct_id": pl.String, "properties": pl.String},
        )
        _atomic(folder / "profiles.parquet", lambda p, f=profiles: f.write_parquet(p))
        meta = {
            "timezone": project.timezone,
            "cohorts": project.cohorts,
            "funnels": project.funnels,
            "groups": [[k, g, v] for (k, g), v in project.groups.items()],
            "entities": _entities(project),
        }
        _atomic(folder / "meta.json", lambda p, m=meta: p.write_bytes(orjson.dumps(m)))


def _entities(project: ProjectState) -> dict[str, Any]:
    """App API tables as JSON (tables backed by another list, like cohorts, are saved there)."""
    out: dict[str, Any] = {}
    for kind, value in project.entities.items():
        if isinstance(value, Table):
            if isinstance(value.rows, dict):
                out[kind] = {
                    "table": True,
                    "id_type": value.id_type,
                    "rows": list(value.rows.values()),
                    "history": [[k, v] for k, v in value.history.items()],
                }
        else:
            out[kind] = {"table": False, "value": value}
    return out


def _restore_entities(project: ProjectState, saved: dict[str, Any]) -> None:
    for kind, item in saved.items():
        if not item.get("table"):
            project.entities[kind] = item.get("value")
            continue
        table = Table(kind, item.get("id_type", "int"))
        table.rows.update({row["id"]: row for row in item.get("rows", [])})
        table.history.update(dict(item.get("history", [])))
        project.entities[kind] = table


def load(state: State, root: Path) -> None:
    """Read saved projects back; projects not in `state` are ignored unless it is open."""
    if not root.exists():
        return
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        project = state.by_id(folder.name)
        if project is None:
            continue
        _load_project(project, folder)


def _load_project(project: ProjectState, folder: Path) -> None:
    if (folder / "events.parquet").exists():
        project.events.replace(pl.read_parquet(folder / "events.parquet"))
        project.identity.rebuild(project.events.frame())  # ID merge clusters, from the log
    if (folder / "profiles.parquet").exists():
        frame = pl.read_parquet(folder / "profiles.parquet")
        project.profiles = {
            did: orjson.loads(props)
            for did, props in zip(frame["distinct_id"], frame["properties"], strict=True)
        }
    if (folder / "meta.json").exists():
        meta = orjson.loads((folder / "meta.json").read_bytes())
        project.timezone = meta.get("timezone", project.timezone)
        project.cohorts = meta.get("cohorts", [])
        project.funnels = meta.get("funnels", [])
        project.groups = {(k, g): v for k, g, v in meta.get("groups", [])}
        _restore_entities(project, meta.get("entities", {}))
