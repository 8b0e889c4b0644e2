"""The seed's `replays` commands: list, events, sign, fetch, analyze, for-user.

    mixpanel-async replays list --user u1 --from 2024-09-01 --to 2024-09-30 -f table
    mixpanel-async replays fetch R1 --output r1.json
    mixpanel-async replays analyze R1
    mixpanel-async replays for-user u1 --from 2024-09-01 --to 2024-09-30 --include analyze \\
        --out-dir replays/

Signed CDN URLs are bearer credentials: `sign` prints them with their query string masked
unless `--reveal-signed-urls` is given (then with a warning on stderr).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated, Any, Literal

import orjson
import typer

from mixpanel_async.cli.common import usage
from mixpanel_async.cli.definitions import Work, _option, _param, command
from mixpanel_async.cli.output import columns_of, plain
from mixpanel_async.results.replays import Replay, ReplaySummary
from mixpanel_async.workspace import AsyncWorkspace

MASK = "********"
_ENV = Literal["prod", "dev"]


def _replay_id() -> Any:
    return _param("replay_id", Annotated[str, typer.Argument(help="Replay id.")])


def _switch(name: str, decl: str, help: str, default: bool = False) -> Any:
    return _param(name, Annotated[bool, typer.Option(decl, help=help)], default)


def summary(replay: Replay) -> dict[str, Any]:
    """A fetched replay in one record: who, when, and how many events of each kind."""
    return {
        "replay_id": replay.replay_id,
        "distinct_id": replay.distinct_id,
        "start_time": replay.start_time,
        "end_time": replay.end_time,
        "rrweb_events": len(replay.rrweb_events),
        "actions": len(replay.actions),
        "mixpanel_events": len(replay.mixpanel_events),
    }


def replays(app: typer.Typer) -> None:
    """Register the seed's replay commands on the `replays` group."""
    dates = [
        _option("from_date", str, "--from", help="First day (YYYY-MM-DD)."),
        _option("to_date", str, "--to", help="Last day (YYYY-MM-DD)."),
    ]
    listing = [
        _option("user", str, "--user", help="A distinct_id (with --from and --to)."),
        _option("replay_id", list[str], "--replay-id", help="A replay id (repeatable)."),
        *dates,
        _option("limit", int, "--limit", help="At most this many.", default=100),
    ]

    @command(app, "list", "Replays of a user (or the ones named by --replay-id).", listing,
             columns_of(list[ReplaySummary]))  # fmt: skip
    def list_replays(values: dict[str, Any]) -> Work:
        user, ids = values["user"], values["replay_id"] or None
        if (user is None) == (ids is None):
            usage("give --user or --replay-id (one of them)")
        if user is not None and not (values["from_date"] and values["to_date"]):
            usage("--user needs --from and --to")
        options = {k: values[k] for k in ("from_date", "to_date") if values[k]}
        return lambda ws: ws.list_replays(
            distinct_id=user, replay_ids=ids, limit=values["limit"], **options
        )

    properties = _option("properties", str, "--properties", help="Comma-separated (at most 5).")

    @command(app, "events", "Mixpanel events tracked during a replay.",
             [_replay_id(), properties, *dates])  # fmt: skip
    def events(values: dict[str, Any]) -> Work:
        names = [p.strip() for p in (values["properties"] or "").split(",") if p.strip()]
        options = {k: values[k] for k in ("from_date", "to_date") if values[k]}
        return lambda ws: ws.events_for_replay(
            values["replay_id"], event_properties=names or None, **options
        )

    signing = [
        _param("replay_ids", Annotated[list[str], typer.Argument(help="Replay ids.")]),
        _option("env", _ENV, "--env", help="prod or dev.", default="prod"),
        _switch("reveal", "--reveal-signed-urls", "Print the signatures (bearer credentials)."),
    ]

    @command(app, "sign", "Sign replays for reading their files from the CDN.", signing)
    def sign(values: dict[str, Any]) -> Work:
        reveal = values["reveal"]
        if reveal:
            typer.echo("warning: the signed URLs grant access to the replays", err=True)

        async def work(ws: AsyncWorkspace) -> list[dict[str, Any]]:
            signed = await ws.sign_replays(values["replay_ids"], env=values["env"])
            rows = [plain(s) for s in signed]
            return rows if reveal else [{**row, "query_string": MASK} for row in rows]

        return work

    fetching = [
        _replay_id(),
        _option("output", Path, "--output", "-o", help="Write the rrweb events here (JSON)."),
        _option("env", _ENV, "--env", help="prod or dev.", default="prod"),
        _switch("include_events", "--include-events", "Also the Mixpanel events meanwhile."),
        _option("max_files", int, "--max-files", help="At most this many files.", default=500),
    ]

    @command(app, "fetch", "Fetch a replay (its summary; the rrweb events with --output).",
             fetching)  # fmt: skip
    def fetch(values: dict[str, Any]) -> Work:
        output: Path | None = values["output"]

        async def work(ws: AsyncWorkspace) -> dict[str, Any]:
            replay = await ws.fetch_replay(
                values["replay_id"], env=values["env"], max_files=values["max_files"],
                include_mixpanel_events=values["include_events"],
            )  # fmt: skip
            if output is not None:
                await asyncio.to_thread(output.write_bytes, orjson.dumps(replay.rrweb_events))
                typer.echo(f"wrote {output}", err=True)
            return summary(replay)

        return work

    @command(app, "analyze", "A replay's timeline of user actions, as markdown.", [_replay_id()])
    def analyze(values: dict[str, Any]) -> Work:
        async def work(ws: AsyncWorkspace) -> None:
            typer.echo(await ws.analyze_replay(values["replay_id"]))

        return work

    _for_user(app)


def write_replays(out_dir: Path, rows: list[dict[str, Any]]) -> None:
    """One markdown file per replay (its analysis, when made) and `index.json` of the rows."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for row in rows:
        text = row.pop("analysis", None) or f"# Replay {row['replay_id']}\n"
        (out_dir / f"{row['replay_id']}.md").write_text(text)
    (out_dir / "index.json").write_bytes(orjson.dumps(rows))
    typer.echo(f"wrote {len(rows)} replay(s) to {out_dir}", err=True)


def _for_user(app: typer.Typer) -> None:
    required = [
        _option("from_date", str, "--from", help="First day (YYYY-MM-DD).", default=...),
        _option("to_date", str, "--to", help="Last day (YYYY-MM-DD).", default=...),
    ]
    options = [
        _param("user", Annotated[str, typer.Argument(help="The user's distinct_id.")]),
        *required,
        _option("include", list[str], "--include", help="analyze: add each replay's timeline."),
        _param(
            "mixpanel_events",
            Annotated[bool, typer.Option("--mixpanel-events/--no-mixpanel-events")],
            True,
        ),
        _option("out_dir", Path, "--out-dir", help="Write REPLAY.md files and index.json here."),
        _option("limit", int, "--limit", help="At most this many replays.", default=100),
    ]

    @command(app, "for-user", "A user's replays fetched (and analyzed) in one command.", options)
    def for_user(values: dict[str, Any]) -> Work:
        extras = set(values["include"] or ())
        if extras - {"analyze"}:
            usage("--include takes only analyze")
        out_dir: Path | None = values["out_dir"]

        async def work(ws: AsyncWorkspace) -> list[dict[str, Any]]:
            bundle = await ws.replays_for_user(
                values["user"], from_date=values["from_date"], to_date=values["to_date"],
                limit=values["limit"], include_mixpanel_events=values["mixpanel_events"],
            )  # fmt: skip
            rows = []
            for replay in bundle.replays:
                row = summary(replay)
                if "analyze" in extras:
                    row["analysis"] = await ws.analyze_replay(replay.replay_id)
                rows.append(row)
            if out_dir is not None:
                await asyncio.to_thread(write_replays, out_dir, rows)
            return rows

        return work
