"""Command groups built at import time from the operation registry (`_generated.operations.ALL`).

Every App API family in `openapi/` becomes a group (`mixpanel-async dashboards list`), one
command per operation, named by its operation id without the family's words
(`list_dashboards` -> `list`, `get_alert_count` -> `get-count`). Where `AsyncWorkspace` has a
method of the operation's name the command calls it (typed results, the library's checks);
otherwise it sends the operation itself, its parameters as options and its body as `--body`.
`mixpanel-async api OPERATION --param k=v --body JSON|@file` reaches any operation, whatever
its family. A family added to the specs gets its group without a change here.
"""

from __future__ import annotations

import inspect
from collections import defaultdict
from collections.abc import Callable
from typing import Annotated, Any, Literal

import attrs
import typer

from mixpanel_async._generated.operations import ALL
from mixpanel_async._operation import Operation, Param, ParamError, build
from mixpanel_async.api.checks import as_model
from mixpanel_async.bulk.jsonl import jsonl
from mixpanel_async.cli import custom, definitions, replays
from mixpanel_async.cli.common import (
    AccountOpt,
    BaseUrl,
    ProjectOpt,
    Target,
    WorkspaceOpt,
    pop_target,
    run,
    usage,
)
from mixpanel_async.cli.output import (
    FormatOpt,
    JqOpt,
    OutOpt,
    check_output,
    emit,
    envelope_columns,
)
from mixpanel_async.cli.signature import (
    add_command,
    add_method_command,
    body_model,
    first_line,
    read_json,
)
from mixpanel_async.exceptions import ParamValidationError
from mixpanel_async.workspace import AsyncWorkspace

GROUP_NAMES = {"account": "me", "bookmarks": "reports", "feature_flags": "flags"}
"""Group names other than the family's: the seed CLI's (`reports`, `flags`; the family's name
stays as a hidden alias), or one that would clash (`account` manages the config file)."""
SEED_COMMANDS: dict[str, dict[str, str]] = {
    "alerts": {
        "count": "get_alert_count",
        "history": "get_alert_history",
        "screenshot": "get_alert_screenshot_url",
        "validate": "validate_alerts_for_bookmark",
    },
    "annotations": {"tags": "list_annotation_tags"},
    "bookmarks": {
        "history": "get_bookmark_history",
        "linked-dashboards": "bookmark_linked_dashboard_ids",
        "dashboard-ids": "get_bookmark_dashboard_ids",
        "link": "saved_report_link",
        "resolve": "resolve_report_link",
    },
    "cohorts": {"list": "list_cohorts_full"},
    "dashboards": {
        "add-report": "add_report_to_dashboard",
        "remove-report": "remove_report_from_dashboard",
        "blueprint-create": "create_blueprint",
        "blueprints": "list_blueprint_templates",
        "erf": "get_dashboard_erf",
        "rca": "create_rca_dashboard",
    },
    "experiments": {"erf": "list_erf_experiments"},
    "feature_flags": {"history": "get_flag_history", "limits": "get_flag_limits"},
    "drop_filters": {"limits": "get_drop_filter_limits"},
    "lexicon": {
        "tracking-metadata": "get_tracking_metadata",
        "event-history": "get_event_history",
        "property-history": "get_property_history",
        "anomalies": "list_data_volume_anomalies",
        "audit": "run_audit",
        "deletion-requests": "list_deletion_requests",
        "enforcement": "get_schema_enforcement",
        "events": "list_event_definitions",
        "properties": "list_property_definitions",
    },
    "schemas": {"list": "lexicon_schemas"},
}
"""Seed command names beyond the generated ones: group family -> command -> operation id or
`AsyncWorkspace` method (a family that does not exist yet is skipped)."""
SEED_OPTION_NAMES: dict[str, dict[str, str]] = {
    "bookmarks": {"--type": "-t", "--name": "-n", "--params": "-p", "--description": "-d",
                  "--entries": "-e"},
    "lexicon_definitions": {"--export-types": "--types", "--drop-filter-id": "--id"},
    "alerts": {"--next-cursor": "--cursor"},
    "dashboards": {"--rca-source-id": "--source-id", "--rca-source-data": "--source-data"},
}  # fmt: skip
"""The seed's other names for options in the App API groups (its short forms, `--types` for
`lexicon export`, `--cursor` for the next page, `--id` for `drop-filters delete`, which makes
the id an option as there): spec family -> option -> the seed's name for it too."""
HAND_WRITTEN: dict[str, Callable[[typer.Typer], None]] = {
    "behaviors": definitions.behaviors,
    "business_context": custom.business_context,
    "custom_events": custom.custom_events,
    "custom_properties": custom.custom_properties,
    "lexicon": custom.lexicon,
    "lookup_tables": custom.lookup_tables,
    "metrics": definitions.metrics,
    "replays": replays.replays,
}
"""Families whose seed commands are written by hand (`cli/definitions.py`, `cli/custom.py`,
`cli/replays.py`):
they register first; a generated command of the same name goes by its operation id."""


def families() -> dict[str, list[Operation]]:
    """The App API families (any operation on the App host) and their operations."""
    found: dict[str, list[Operation]] = defaultdict(list)
    for op in ALL.values():
        found[op.family].append(op)
    return {
        family: ops for family, ops in sorted(found.items()) if any(o.host == "app" for o in ops)
    }


def _family_words(family: str) -> set[str]:
    words = set(family.split("_"))
    return words | {w[:-1] for w in words if w.endswith("s")} | {w + "s" for w in words}


def command_names(family: str, ops: list[Operation]) -> dict[str, Operation]:
    """Command name -> operation: the operation id without the family's words, dashed (the
    whole id where that would be empty or taken twice)."""
    words = _family_words(family)
    short: dict[str, list[Operation]] = defaultdict(list)
    for op in ops:
        kept = [w for w in op.operation_id.split("_") if w not in words and w != "v2"]
        short["-".join(kept) or op.operation_id.replace("_", "-")].append(op)
    names: dict[str, Operation] = {}
    for name, same in short.items():
        for op in same:
            names[name if len(same) == 1 else op.operation_id.replace("_", "-")] = op
    return names


def curated(op: Operation) -> bool:
    """Whether `AsyncWorkspace` has a public method named after the operation."""
    return not op.operation_id.startswith("_") and callable(
        getattr(AsyncWorkspace, op.operation_id, None)
    )


def _param_type(param: Param) -> Any:
    if param.enum is not None and all(isinstance(v, str) for v in param.enum):
        return Literal[param.enum]
    return str


def _wire_value(param: Param, text: str) -> Any:
    """A command-line value for a spec parameter, typed as the spec says."""
    try:
        return param.decode(text)
    except ParamError as exc:
        usage(f"{param.attr}: {exc.message}")


def _request_body(op: Operation, body: Any) -> Any:
    if body is None or op.body is None or op.body.model is None or not isinstance(body, dict):
        return body
    return as_model(body, op.body.model, "body")


async def send(ws: AsyncWorkspace, op: Operation, params: dict[str, Any], body: Any) -> Any:
    """Send one operation with typed parameter values (by Python name) and a JSON body."""
    try:
        request = build(op, params, _request_body(op, body))
    except ParamError as exc:
        raise ParamValidationError(str(exc), param=exc.param) from None
    if op.response is not None and op.paging and op.paging.get("style") == "jsonl":
        stream_request: Any = request
        async with ws.api.stream(stream_request) as response:
            return [record async for record in jsonl(response)]
    context = None
    if op.scope == "require" and ws.session.workspace_id is None:
        context = {"workspace_id": await ws.resolve_workspace_id()}
    return await ws.api.call(request, context=context)


def add_operation_command(app: typer.Typer, name: str, op: Operation) -> None:
    """A command sending `op` itself: path parameters as arguments, the others as options."""
    own = [p for p in op.params if p.context is None and p.location != "header"]
    keyword = inspect.Parameter.KEYWORD_ONLY
    parameters: list[inspect.Parameter] = []
    for p in own:
        if p.location == "path" and _argument(p.attr):
            annotation: Any = Annotated[str, typer.Argument(show_default=False)]
            parameters.append(inspect.Parameter(p.attr, keyword, annotation=annotation))
            continue
        info = typer.Option(
            "--" + p.attr.replace("_", "-"), help=p.format and f"Format: {p.format}."
        )
        required = p.location == "path" or (p.required and p.default is None)
        kind = _param_type(p)
        annotation = Annotated[kind if required else kind | None, info]
        default = inspect.Parameter.empty if required else None
        parameters.append(
            inspect.Parameter(p.attr, keyword, annotation=annotation, default=default)
        )
    if op.body is not None:
        info = typer.Option("--body", help="The request body: JSON, or @FILE.")
        annotation = Annotated[str | None, info]
        parameters.append(inspect.Parameter("body", keyword, annotation=annotation, default=None))

    def action(values: dict[str, Any]) -> None:
        target = pop_target(values)
        fmt, jq, out = values.pop("fmt"), values.pop("jq"), values.pop("out")
        check_output(fmt, jq, out)
        body_text = values.pop("body", None)
        body = read_json(body_text, param="--body") if body_text is not None else None
        params = {
            p.attr: _wire_value(p, str(values[p.attr]))
            for p in own
            if values.get(p.attr) is not None
        }
        answer = run(lambda ws: send(ws, op, params, body), target)
        emit(answer, fmt, jq, out, envelope_columns(op.response, op.unwrap))

    summary = op.summary or f"{op.method} {op.path}"
    text = f"{summary}\n\nOperation {op.operation_id}: {op.method} {op.path}"
    add_command(app, name, parameters, action, text)


def _argument(name: str) -> bool:
    """Whether a required parameter stays an argument: ids, a link, a template name."""
    return name.endswith("_id") or name in ("link", "template_type")


def _dashed(name: str) -> str:
    return "--" + name.replace("_", "-")


def family_options(family: str, method_name: str) -> dict[str, tuple[str, ...]]:
    """Option names as the seed's App API commands have them: only ids are arguments
    (`dashboards get 5`, `reports bulk-delete --ids 1 --ids 2`), and a parameter or body field
    named after the family also goes by its short name (`bookmark_type` -> `--type`)."""
    method = getattr(AsyncWorkspace, method_name)
    prefixes = tuple(f"{w}_" for w in _family_words(family))
    names = [
        (p.name, p.default is inspect.Parameter.empty and p.kind is p.POSITIONAL_OR_KEYWORD)
        for p in inspect.signature(method).parameters.values()
        if p.name not in ("self", "params", "body")
        and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    model = body_model(method)
    if model is not None:
        names += [(f"field_{f.name}", False) for f in attrs.fields(model)]
    options: dict[str, tuple[str, ...]] = {}
    for name, positional in names:
        plain = name.removeprefix("field_")
        short = next((plain[len(p) :] for p in prefixes if plain.startswith(p)), None)
        decls = [_dashed(plain.removeprefix("is_"))]
        if short and short != "id":
            decls.append(_dashed(short))
        shorts = SEED_OPTION_NAMES.get(family, {})
        decls += [shorts[d] for d in decls if d in shorts]
        if len(decls) > 1 or (positional and not _argument(name)):
            options[name] = tuple(decls)
    return options


def add_family_command(app: typer.Typer, name: str, op: Operation) -> None:
    """The command for an operation: through the curated method when there is one."""
    if not curated(op):
        add_operation_command(app, name, op)
        return
    method = getattr(AsyncWorkspace, op.operation_id)
    text = f"{first_line(method.__doc__)}\n\nOperation {op.operation_id}: {op.method} {op.path}"
    options = family_options(op.family, op.operation_id)
    add_method_command(app, name, op.operation_id, help_text=text, options=options)


REGROUP: dict[str, Callable[[Operation], str]] = {
    # The seed keeps drop filters in a group of their own and Lexicon definitions under
    # `lexicon`; our spec holds both in one family.
    "lexicon_definitions": lambda op: (
        "drop_filters" if "drop_filter" in op.operation_id else "lexicon"
    ),
}
"""Spec families whose operations the command line spreads over other groups."""


def _groups() -> dict[str, list[Operation]]:
    """Group (as a family-style name) -> its operations, after `REGROUP`."""
    grouped: dict[str, list[Operation]] = defaultdict(list)
    for family, ops in families().items():
        for op in ops:
            regroup = REGROUP.get(family)
            grouped[regroup(op) if regroup else family].append(op)
    return dict(grouped)


def family_apps() -> list[tuple[str, typer.Typer, bool]]:
    """(name, typer app, hidden) for every family group and its aliases."""
    apps: list[tuple[str, typer.Typer, bool]] = []
    for family, ops in _groups().items():
        name = GROUP_NAMES.get(family, family.replace("_", "-"))
        text = f"{family.replace('_', ' ').capitalize()} (App API): {len(ops)} operations."
        sub = typer.Typer(no_args_is_help=True, help=text)
        if family in HAND_WRITTEN:
            HAND_WRITTEN[family](sub)
        taken = {info.name for info in sub.registered_commands}
        names = {  # a generated command whose name is taken goes by its operation id
            (op.operation_id.replace("_", "-") if k in taken else k): op
            for k, op in command_names(family, ops).items()
        }
        for command, op in sorted(names.items()):
            add_family_command(sub, command, op)
        for command, target in SEED_COMMANDS.get(family, {}).items():
            if command in names or command in taken:
                continue
            if target in ALL:
                add_family_command(sub, command, ALL[target])
            else:
                options = family_options(family, target)
                add_method_command(sub, command, target, options=options)
        apps.append((name, sub, False))
        own_name = family.replace("_", "-")
        if own_name != name and family != "account":
            apps.append((own_name, sub, True))
    return apps


def _complete_operation(incomplete: str) -> list[str]:
    return [op_id for op_id in sorted(ALL) if op_id.startswith(incomplete.replace("-", "_"))]


def api(
    operation: Annotated[
        str | None,
        typer.Argument(
            help="An operation id (`mixpanel-async api` lists them).",
            autocompletion=_complete_operation,
        ),
    ] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE (repeatable).")
    ] = None,
    body: Annotated[str | None, typer.Option(help="The request body: JSON, or @FILE.")] = None,
    fmt: FormatOpt = "json",
    jq: JqOpt = None,
    out: OutOpt = None,
    base_url: BaseUrl = None,
    project: ProjectOpt = None,
    account: AccountOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Send any operation of the specs by its id (without one: list them)."""
    check_output(fmt, jq, out)
    if operation is None:
        for op_id, listed in sorted(ALL.items()):
            typer.echo(f"{op_id:<40} {listed.method:<6} {listed.host:<9} {listed.path}")
        return
    op = ALL.get(operation.replace("-", "_"))
    if op is None:
        usage(f"no operation {operation!r}; `mixpanel-async api` lists them")
    by_name = {p.attr: p for p in op.params} | {p.name: p for p in op.params}
    params: dict[str, Any] = {}
    for item in param or ():
        key, sep, text = item.partition("=")
        spec = by_name.get(key)
        if not sep or spec is None:
            known = ", ".join(p.attr for p in op.params if p.context is None) or "none"
            usage(f"--param {item!r}: use NAME=VALUE with NAME one of {known}")
        params[spec.attr] = _wire_value(spec, text)
    payload = read_json(body, param="--body") if body is not None else None
    target = Target(base_url=base_url, project=project, account=account, workspace=workspace)
    answer = run(lambda ws: send(ws, op, params, payload), target)
    emit(answer, fmt, jq, out, envelope_columns(op.response, op.unwrap))
