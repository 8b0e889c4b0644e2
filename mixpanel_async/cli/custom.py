"""The seed's `custom-properties`, `custom-events`, `lookup-tables`, `business-context` and
`lexicon tags` commands, with `mp`'s names (`--id`, `--alternative`, `--data-group-id`, ...).

    mixpanel-async custom-properties update --id 12 --name Plan --is-locked
    mixpanel-async custom-events delete --name Signup
    mixpanel-async lookup-tables download --data-group-id 3 --output plans.csv
    mixpanel-async business-context set --level organization --content "# Acme"
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from mixpanel_async.api.lookup_tables import UpdateLookupTableParams, UploadLookupTableParams
from mixpanel_async.cli.common import usage
from mixpanel_async.cli.definitions import Work, _flag, _option, _param, command
from mixpanel_async.cli.signature import add_method_command
from mixpanel_async.exceptions import ParamValidationError
from mixpanel_async.workspace import AsyncWorkspace

_LOCKS = {"field_is_locked": ("--is-locked",), "field_is_visible": ("--is-visible",)}


def custom_properties(app: typer.Typer) -> None:
    """`mp custom-properties`: list, get, create, update, delete, validate."""
    by_id = {"property_id": ("--id",)}
    add_method_command(app, "list", "list_custom_properties")
    add_method_command(app, "get", "get_custom_property", options=by_id)
    add_method_command(app, "create", "create_custom_property", options=_LOCKS)
    add_method_command(app, "update", "update_custom_property", options=by_id | _LOCKS)
    add_method_command(app, "delete", "delete_custom_property", options=by_id)
    add_method_command(app, "validate", "validate_custom_property", options=_LOCKS)


def _event_selector() -> list[Any]:
    return [
        _option("custom_event_id", int, "--id", "--custom-event-id", help="Custom event id."),
        _option("name", str, "--name", help="Custom event name (resolved to its id)."),
    ]


async def custom_event_id(ws: AsyncWorkspace, given: int | None, name: str | None) -> int:
    """The custom event's id: the one given, or the one custom event named `name`."""
    if given is not None:
        return given
    events = await ws.list_custom_events()
    # 0 (or no id) marks a Lexicon entry that is no custom event
    ids = sorted({e.custom_event_id for e in events if e.name == name and e.custom_event_id})
    if len(ids) != 1:
        found = f"{len(ids)} custom events ({', '.join(map(str, ids))})" if ids else "none"
        raise ParamValidationError(f"--name {name!r} names {found}; give --id", param="name")
    return ids[0]


def _one_of_id_or_name(values: dict[str, Any]) -> None:
    if (values["custom_event_id"] is None) == (values["name"] is None):
        usage("give the custom event as --id or --name (one of them)")


def custom_events(app: typer.Typer) -> None:
    """`mp custom-events`: list, create, update, delete."""
    add_method_command(app, "list", "list_custom_events")
    alternatives = {"field_alternatives": ("--alternative", "--alternatives")}
    add_method_command(app, "create", "create_custom_event", options=alternatives)
    changes = [
        _flag("hidden", "--hidden/--no-hidden", "Hide or show the event."),
        _flag("dropped", "--dropped/--no-dropped", "Drop or keep the event."),
        _option("description", str, "--description", help="New description."),
        _flag("verified", "--verified/--no-verified", "Mark verified or not."),
    ]

    @command(app, "update", "Change a custom event's Lexicon entry (by --id or --name).",
             [*_event_selector(), *changes])  # fmt: skip
    def update(values: dict[str, Any]) -> Work:
        _one_of_id_or_name(values)
        fields = ("hidden", "dropped", "description", "verified")
        params = {key: values[key] for key in fields if values[key] is not None}
        if not params:
            usage("nothing to update: give --hidden, --dropped, --description or --verified")

        async def work(ws: AsyncWorkspace) -> Any:
            found = await custom_event_id(ws, values["custom_event_id"], values["name"])
            return await ws.update_custom_event(found, params)

        return work

    @command(app, "delete", "Delete a custom event (by --id or --name).", _event_selector())
    def delete(values: dict[str, Any]) -> Work:
        _one_of_id_or_name(values)

        async def work(ws: AsyncWorkspace) -> None:
            found = await custom_event_id(ws, values["custom_event_id"], values["name"])
            await ws.delete_custom_event(found)
            typer.echo(f"deleted custom event {found}", err=True)

        return work


def _group_id(required: bool) -> Any:
    default = ... if required else None
    return _option("data_group_id", int, "--data-group-id", help="Data group id.", default=default)


def lookup_tables(app: typer.Typer) -> None:
    """`mp lookup-tables`: list, upload, update, delete, upload-url, download, download-url."""
    by_group = {"data_group_id": ("--data-group-id",)}
    add_method_command(app, "upload-url", "get_lookup_upload_url")
    add_method_command(app, "download-url", "get_lookup_download_url", options=by_group)
    upload_options = [
        _option("name", str, "--name", help="Table name.", default=...),
        _option("file", Path, "--file", help="The CSV file to upload.", default=...),
        _group_id(False),
    ]

    @command(app, "upload", "Upload a CSV file as a lookup table (--data-group-id replaces one).",
             upload_options)  # fmt: skip
    def upload(values: dict[str, Any]) -> Work:
        path: Path = values["file"]
        if not path.is_file():
            usage(f"--file: no such file: {path}")
        params = UploadLookupTableParams(
            name=values["name"], file_path=path, data_group_id=values["data_group_id"]
        )
        return lambda ws: ws.upload_lookup_table(params)

    renamed = [_group_id(True), _option("name", str, "--name", help="New name.", default=...)]

    @command(app, "update", "Rename a lookup table.", renamed)
    def update(values: dict[str, Any]) -> Work:
        group, params = values["data_group_id"], UpdateLookupTableParams(name=values["name"])
        return lambda ws: ws.update_lookup_table(group, params)

    ids = _option("data_group_ids", str, "--data-group-ids", help="Comma-separated ids.",
                  default=...)  # fmt: skip

    @command(app, "delete", "Delete lookup tables by data group id.", [ids])
    def delete(values: dict[str, Any]) -> Work:
        parts = [part.strip() for part in values["data_group_ids"].split(",") if part.strip()]
        if not parts or not all(part.isdigit() for part in parts):
            usage("--data-group-ids: give ids separated by commas, e.g. 1,2")
        found = [int(part) for part in parts]

        async def work(ws: AsyncWorkspace) -> None:
            await ws.delete_lookup_tables(found)
            typer.echo(f"deleted lookup table(s) {', '.join(parts)}", err=True)

        return work

    download_options = [
        _group_id(True),
        _option("file_name", str, "--file-name", help="One file of the table."),
        _option("limit", int, "--limit", help="At most this many rows."),
        _option("output", Path, "--output", help="Write the table here as CSV."),
    ]

    @command(app, "download", "A lookup table's rows (as CSV with --output).", download_options)
    def download(values: dict[str, Any]) -> Work:
        group, output = values["data_group_id"], values["output"]
        options = {key: values[key] for key in ("file_name", "limit") if values[key] is not None}

        async def work(ws: AsyncWorkspace) -> Any:
            table = await ws.download_lookup_table(group, **options)
            if output is None:
                return table
            table.write_csv(output)
            typer.echo(f"wrote {output} ({table.height} rows)", err=True)
            return None

        return work


def lexicon(app: typer.Typer) -> None:
    """`mp lexicon tags`: list, create, update, delete (a sub-group of `lexicon`)."""
    tags = typer.Typer(no_args_is_help=True, help="Lexicon tags.")
    add_method_command(tags, "list", "list_lexicon_tags")
    add_method_command(tags, "create", "create_lexicon_tag")
    add_method_command(tags, "update", "update_lexicon_tag", options={"tag_id": ("--id",)})
    add_method_command(tags, "delete", "delete_lexicon_tag", options={"tag_name": ("--name",)})
    app.add_typer(tags, name="tags")
    events_only = _param(
        "events_only",
        Annotated[bool, typer.Option("--events-only", help="Audit the events only (faster).")],
        False,
    )

    @command(app, "audit", "Audit stored events and properties against the schemas.", [events_only])
    def audit(values: dict[str, Any]) -> Work:
        if values["events_only"]:
            return lambda ws: ws.run_audit_events_only()
        return lambda ws: ws.run_audit()


def business_context(app: typer.Typer) -> None:
    """`mp business-context`: get, set, clear, chain."""
    add_method_command(app, "get", "get_business_context")
    add_method_command(app, "clear", "clear_business_context")
    add_method_command(app, "chain", "get_business_context_chain")
    level = _option("level", str, "--level", help="project or organization.", default="project")
    text_options = [
        level,
        _option("organization_id", int, "--organization-id", help="Organization id."),
        _option("content", str, "--content", help="The markdown itself."),
        _option("file", Path, "--file", help="A file holding the markdown."),
    ]

    @command(app, "set", "Replace the business context (--content, --file, or stdin).",
             text_options)  # fmt: skip
    def set_context(values: dict[str, Any]) -> Work:
        content, path = values["content"], values["file"]
        if content is not None and path is not None:
            usage("give --content or --file, not both")
        if path is not None:
            try:
                content = path.read_text()
            except OSError as exc:
                usage(f"--file: cannot read {path}: {exc.strerror}")
        elif content is None:
            if sys.stdin.isatty():
                usage("give the markdown as --content, --file, or on standard input")
            content = sys.stdin.read()
        text: str = content
        where = {"level": values["level"], "organization_id": values["organization_id"]}
        return lambda ws: ws.set_business_context(text, **where)


__all__ = ["business_context", "custom_events", "custom_properties", "lexicon", "lookup_tables"]
