"""The seed's commands for saved definitions: `custom-properties`, `custom-events`, `metrics`,
`behaviors`, `lookup-tables`, `business-context`, with `mp`'s command and option names
(the last four families' commands are in `cli/custom.py`).

    mixpanel-async custom-properties get --id 12
    mixpanel-async custom-events create --name Signup --alternative "Sign Up" --alternative Join
    mixpanel-async metrics get 104700 --jq .definition > definition.json
    mixpanel-async metrics create --name "Signups (copy)" --definition-file definition.json
    mixpanel-async metrics query 104700 --from 2024-09-01 --to 2024-09-30 --unit week
    mixpanel-async lookup-tables upload --name plans --file plans.csv
    mixpanel-async business-context set --file context.md

Commands whose options are a method's parameters are made from the method's signature
(`add_method_command`); the others (definition files, a name resolved to an id, several ids,
a CSV written to a file) are written here. `registry.HAND_WRITTEN` registers them on their
family's group; a generated command of the same name goes by its operation id there.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from mixpanel_async.cli.common import pop_target, run, usage
from mixpanel_async.cli.output import check_output, columns_of, emit
from mixpanel_async.cli.signature import add_command, add_method_command, read_json
from mixpanel_async.reports.saved import SavedMetric
from mixpanel_async.reports.saved_writes import (
    BulkUpdateMetricEntry,
    CreateBehaviorParams,
    CreateMetricParams,
    RawBehaviorDefinition,
    RawMetricDefinition,
    UpdateBehaviorParams,
    UpdateMetricParams,
)
from mixpanel_async.workspace import AsyncWorkspace

Work = Callable[[AsyncWorkspace], Awaitable[Any]]
KEYWORD = inspect.Parameter.KEYWORD_ONLY
METRIC_KINDS = ("metric", "formula", "warehouse")


def _param(name: str, annotation: Any, default: Any = inspect.Parameter.empty) -> inspect.Parameter:
    return inspect.Parameter(name, KEYWORD, annotation=annotation, default=default)


def _option(name: str, kind: Any, *decls: str, help: str, default: Any = None) -> Any:
    """A keyword parameter read from `decls` (required when `default` is `...`)."""
    required = default is ...
    info = typer.Option(*decls, help=help, show_default=False)
    annotation: Any = Annotated[kind if required else kind | None, info]
    return _param(name, annotation, inspect.Parameter.empty if required else default)


def _flag(name: str, decls: str, help: str) -> inspect.Parameter:
    """A tri-state switch (`--x/--no-x`; neither leaves the field as it is)."""
    info = typer.Option(decls, help=help, show_default=False)
    return _param(name, Annotated[bool | None, info], None)


def _ids(name: str, help: str) -> inspect.Parameter:
    """One or more integer ids as arguments."""
    return _param(name, Annotated[list[int], typer.Argument(help=help, show_default=False)])


def _id(name: str, help: str) -> inspect.Parameter:
    return _param(name, Annotated[int, typer.Argument(help=help, show_default=False)])


def command(
    app: typer.Typer,
    name: str,
    help_text: str,
    parameters: list[Any],
    columns: tuple[str, ...] = (),
) -> Callable[[Callable[[dict[str, Any]], Work]], None]:
    """Register a hand-written command: the decorated function checks the values (refusing
    bad ones before any request) and returns the work to run with a workspace."""

    def register(prepare: Callable[[dict[str, Any]], Work]) -> None:
        def action(values: dict[str, Any]) -> None:
            target = pop_target(values)
            fmt, jq, out = values.pop("fmt"), values.pop("jq"), values.pop("out")
            check_output(fmt, jq, out)
            work = prepare(values)
            emit(run(work, target), fmt, jq, out, columns)

        add_command(app, name, parameters, action, help_text)

    return register


def json_object_file(path: Path, option: str) -> dict[str, Any]:
    """A JSON object read from a file, or from standard input for `-`."""
    text = sys.stdin.read() if str(path) == "-" else "@" + str(path)
    value = read_json(text, param=option)
    if not isinstance(value, dict):
        usage(f"{option}: the file must hold a JSON object")
    return value


def _metric_definition(path: Path, kind: str | None, source: int | None) -> RawMetricDefinition:
    definition = json_object_file(path, "--definition-file")
    if kind is None:  # as Mixpanel stores them: a formula block, a warehouse query, or a metric
        has_query = "query" in definition or source is not None
        kind = "formula" if "formula" in definition else "warehouse" if has_query else "metric"
    return RawMetricDefinition(type=kind, definition=definition, warehouse_source_id=source)


def _nothing_to_change(values: Mapping[str, Any], names: tuple[str, ...], hint: str) -> None:
    if all(values.get(n) is None for n in names):
        usage(f"nothing to update: give {hint}")


_DEFINITION_HELP = "File holding the definition JSON (as `get` prints it), or - for stdin."
_KIND = Literal["metric", "formula", "warehouse"]
_UNIT = Literal["hour", "day", "week", "month", "quarter"]
_NO_VALIDATE = _param(
    "no_validate",
    Annotated[bool, typer.Option("--no-validate", help="Skip the client-side definition check.")],
    False,
)


def _name_and_definition(noun: str, create: bool) -> list[Any]:
    """`--name` and `--definition-file`: required to create, optional to update."""
    default = ... if create else None
    return [
        _option("name", str, "--name", help=f"{noun} name.", default=default),
        _option(
            "definition_file", Path, "--definition-file", help=_DEFINITION_HELP, default=default
        ),
    ]


def _metric_options(create: bool) -> list[Any]:
    return [
        *_name_and_definition("Metric", create),
        _option("kind", _KIND, "--kind", help="metric, formula or warehouse (default: guessed)."),
        _option("warehouse_source_id", int, "--warehouse-source-id", help="Warehouse source."),
        _option("description", str, "--description", help="Description ('' clears it)."),
        _option("owner_id", int, "--owner-id", help="User id of the owner."),
        _flag("verified", "--verified/--no-verified", "Mark verified, or clear the mark."),
        _NO_VALIDATE,
    ]


def metrics(app: typer.Typer) -> None:
    """`mp metrics`: list, get, create, update, verify, query, delete."""
    add_method_command(app, "list", "list_metrics", options={"metric_type": ("--type",)})
    add_method_command(app, "get", "get_metric")
    saved = columns_of(list[SavedMetric])

    @command(app, "create", "Create a saved metric from a definition file.", _metric_options(True))
    def create(values: dict[str, Any]) -> Work:
        params = CreateMetricParams(
            name=values["name"],
            definition=_metric_definition(
                values["definition_file"], values["kind"], values["warehouse_source_id"]
            ),
            description=values["description"],
            owned_by=values["owner_id"],
            verified=values["verified"] or None,
        )
        return lambda ws: ws.create_metric(params, validate=not values["no_validate"])

    update_help = "Update a saved metric (only the options given change)."

    @command(app, "update", update_help, [_id("metric_id", "Metric id."), *_metric_options(False)])
    def update(values: dict[str, Any]) -> Work:
        path = values["definition_file"]
        if path is None and (values["kind"] or values["warehouse_source_id"] is not None):
            usage("--kind and --warehouse-source-id describe --definition-file: give it too")
        changing = ("name", "description", "definition_file", "owner_id", "verified")
        _nothing_to_change(values, changing, "--name, --description, --definition-file, ...")
        kind, source = values["kind"], values["warehouse_source_id"]
        params = UpdateMetricParams(
            name=values["name"],
            description=values["description"],
            definition=_metric_definition(path, kind, source) if path else None,
            owned_by=values["owner_id"],
            verified=values["verified"],
        )
        metric_id, check = values["metric_id"], not values["no_validate"]
        return lambda ws: ws.update_metric(metric_id, params, validate=check)

    unverify = _param(
        "unverify",
        Annotated[bool, typer.Option("--unverify", help="Clear the verified mark instead.")],
        False,
    )
    verify_help = "Verify (or with --unverify, unverify) saved metrics in one request."

    @command(app, "verify", verify_help, [_ids("metric_ids", "Metric ids."), unverify], saved)
    def verify(values: dict[str, Any]) -> Work:
        ids: list[int] = values["metric_ids"]
        entries = [BulkUpdateMetricEntry(id=i, verified=not values["unverify"]) for i in ids]

        async def work(ws: AsyncWorkspace) -> list[SavedMetric]:
            changed = await ws.bulk_update_metrics(entries)
            skipped = sorted(set(ids) - {m.id for m in changed})
            if skipped:
                typer.echo(f"warning: no such metric: {', '.join(map(str, skipped))}", err=True)
            return changed

        return work

    query_options = [
        _id("metric_id", "Metric id."),
        _option("from_date", str, "--from", help="First day (YYYY-MM-DD)."),
        _option("to_date", str, "--to", help="Last day (YYYY-MM-DD)."),
        _option("last", int, "--last", help="Days back from today (without --from).", default=30),
        _option("unit", _UNIT, "--unit", "-u", help="hour, day, week, ...", default="day"),
        _option("group_by", str, "--group-by", help="Property to break the result down by."),
    ]  # fmt: skip

    @command(app, "query", "Run a saved metric by reference, as a report using it does.",
             query_options)  # fmt: skip
    def query(values: dict[str, Any]) -> Work:
        options = {k: values[k] for k in ("from_date", "to_date", "group_by") if values[k]}

        async def work(ws: AsyncWorkspace) -> Any:
            metric = await ws.get_metric(values["metric_id"])
            return await ws.query(
                metric.to_ref(), last=values["last"], unit=values["unit"], **options
            )

        return work

    _deletion(app, "metric", "delete_metric", "delete_metrics")


def _deletion(app: typer.Typer, noun: str, one: str, several: str) -> None:
    """`delete ID...`: one id is read first (an unknown one fails); several go in one request."""
    force = _param(
        "force",
        Annotated[bool, typer.Option("--force", help=f"Also {noun}s you cannot edit.")],
        False,
    )

    @command(app, "delete", f"Delete one or more saved {noun}s.",
             [_ids(f"{noun}_ids", f"Saved {noun} ids."), force])  # fmt: skip
    def delete(values: dict[str, Any]) -> Work:
        ids: list[int] = values[f"{noun}_ids"]

        async def work(ws: AsyncWorkspace) -> None:
            if len(ids) == 1:
                await getattr(ws, one)(ids[0], force=values["force"])
            else:
                await getattr(ws, several)(ids, force=values["force"])
            typer.echo(f"deleted saved {noun}(s) {', '.join(map(str, ids))}", err=True)

        return work


def _behavior_options(create: bool) -> list[Any]:
    found = [
        *_name_and_definition("Behavior", create),
        _option("description", str, "--description", help="Description ('' clears it)."),
        _NO_VALIDATE,
    ]
    if not create:
        found.append(_flag("verified", "--verified/--no-verified", "Mark verified, or clear it."))
    return found


def _behavior_definition(path: Path) -> RawBehaviorDefinition:
    return RawBehaviorDefinition(definition=json_object_file(path, "--definition-file"))


def behaviors(app: typer.Typer) -> None:
    """`mp behaviors`: list, get, create, update, delete."""
    add_method_command(app, "list", "list_behaviors", options={"behavior_type": ("--type",)})
    add_method_command(app, "get", "get_behavior")

    @command(app, "create", "Create a saved behavior from a definition file.",
             _behavior_options(True))  # fmt: skip
    def create(values: dict[str, Any]) -> Work:
        params = CreateBehaviorParams(
            name=values["name"],
            behavior=_behavior_definition(values["definition_file"]),
            description=values["description"],
        )
        return lambda ws: ws.create_behavior(params, validate=not values["no_validate"])

    @command(app, "update", "Update a saved behavior (only the options given change).",
             [_id("behavior_id", "Behavior id."), *_behavior_options(False)])  # fmt: skip
    def update(values: dict[str, Any]) -> Work:
        changing = ("name", "description", "definition_file", "verified")
        _nothing_to_change(values, changing, "--name, --description, --definition-file, ...")
        path = values["definition_file"]
        params = UpdateBehaviorParams(
            name=values["name"],
            description=values["description"],
            behavior=_behavior_definition(path) if path else None,
            verified=values["verified"],
        )
        behavior_id, check = values["behavior_id"], not values["no_validate"]
        return lambda ws: ws.update_behavior(behavior_id, params, validate=check)

    _deletion(app, "behavior", "delete_behavior", "delete_behaviors")
