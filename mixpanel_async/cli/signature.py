"""Click commands made from `AsyncWorkspace` method signatures.

A method's required positional parameters become arguments, the others options (`from_date`
is also `--from`, `to_date` also `--to`); `params` (a request model or dict) becomes `--body`.
`**options: Unpack[SomeTypedDict]` becomes one option per key. Values are converted by the
annotation: `int`, `float`, `bool` flags, literal choices, repeatable lists, and JSON (inline or
`@file`) for anything structured. The method checks what it gets, as it does for any caller.
"""

from __future__ import annotations

import collections.abc
import datetime as dt
import inspect
import types
import typing
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import attrs
import orjson
import typer

from mixpanel_async._lazy import type_hints
from mixpanel_async.api.checks import as_model
from mixpanel_async.cli.common import cli_message, connection_parameters, pop_target, run, usage
from mixpanel_async.cli.output import check_output, columns_of, emit, output_parameters
from mixpanel_async.exceptions import ParamValidationError
from mixpanel_async.workspace import AsyncWorkspace

ALIASES = {"from_date": ("--from",), "to_date": ("--to",)}
BODY_NAMES = ("params", "body")


def read_json(text: str, *, param: str) -> Any:
    """JSON given inline or as `@path` (a file holding it)."""
    if text.startswith("@"):
        path = Path(text[1:])
        try:
            text = path.read_text()
        except OSError as exc:
            usage(f"{param}: cannot read {path}: {exc.strerror}")
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        usage(f"{param}: not JSON: {exc}")


def _members(hint: Any) -> list[Any]:
    """The alternatives of a union (None dropped), or the hint itself."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return [h for h in typing.get_args(hint) if h is not type(None)]
    return [hint]


def _is_sequence(hint: Any) -> bool:
    origin = typing.get_origin(hint)
    return origin in (list, tuple, collections.abc.Sequence)


@attrs.frozen
class Kind:
    """How one parameter is read from the command line."""

    python_type: Any = str
    multiple: bool = False
    flag: bool = False
    json: bool = False
    text_ok: bool = True
    """A value that is not JSON is passed as text (the parameter accepts strings)."""
    scalar_ok: bool = False
    """A repeatable parameter given once passes that one value (it also accepts a scalar)."""


def kind_of(hint: Any) -> Kind:
    """The command-line reading of an annotation."""
    members = _members(hint)
    if members == [bool]:
        return Kind(flag=True)
    if members == [int]:
        return Kind(int)
    if members in ([float], [int, float], [float, int]):
        return Kind(float)
    if all(m is str or m is dt.date or m is dt.datetime for m in members):
        return Kind(str)
    if len(members) == 1 and typing.get_origin(members[0]) is Literal:
        choices = typing.get_args(members[0])
        if all(isinstance(c, str) for c in choices):
            return Kind(members[0])
    sequences = [m for m in members if _is_sequence(m)]
    if sequences:
        items = typing.get_args(sequences[0])
        inner = kind_of(items[0]) if items else Kind(str)
        scalar_ok = len(sequences) < len(members)
        if not inner.json and not inner.flag and not inner.multiple:
            return Kind(inner.python_type, multiple=True, scalar_ok=scalar_ok)
        text_ok = str in _members(items[0]) if items else True
        return Kind(multiple=True, json=True, text_ok=text_ok, scalar_ok=scalar_ok)
    return Kind(json=True, text_ok=str in members)


def _convert(value: Any, kind: Kind, name: str) -> Any:
    if value is None or not kind.json:
        return value
    if isinstance(value, tuple | list):
        return [_convert(item, attrs.evolve(kind, multiple=False), name) for item in value]
    text = str(value)
    if kind.text_ok and not text.startswith(("{", "[", "@")):
        return text
    return read_json(text, param=name)


def _option_names(name: str) -> list[str]:
    if name in BODY_NAMES:
        return ["--body"]
    return ["--" + name.replace("_", "-"), *ALIASES.get(name, ())]


@attrs.frozen
class _Slot:
    name: str
    kind: Kind
    positional: bool
    required: bool
    decls: tuple[str, ...] = ()
    """Option names chosen by the command (the seed's), instead of `--<name>`."""
    field_of: str | None = None
    """For a body field given as its own option: the body parameter it goes into."""
    field: str = ""
    """That field's name in the body model."""
    fill: bool = False
    """A required body that may be left out when its fields are given as options."""


RESERVED = {"--format", "--jq", "--out", "--base-url", "--project", "--account", "--workspace"}
RESERVED |= {"--body", "--help", "--version"}
"""Options every command has: a body field of the same name is set through `--body`."""


def _field_slots(body: _Slot, hint: Any, taken: set[str]) -> list[_Slot]:
    """Options for the top-level fields of a body model (`--title`, `--private`, ...)."""
    models = [m for m in _members(hint) if isinstance(m, type) and attrs.has(m)]
    if not models:
        return []
    found = []
    for name, field_hint in type_hints(models[0]).items():
        decl = "--" + name.removeprefix("is_").replace("_", "-")
        if decl in RESERVED or decl in taken or f"field_{name}" in taken:
            continue
        taken.add(decl)
        found.append(
            _Slot(
                f"field_{name}",
                kind_of(field_hint),
                positional=False,
                required=False,
                decls=(decl,),
                field_of=body.name,
                field=name,
            )
        )
    return found


def _slots(
    method: Callable[..., Any], options: Mapping[str, tuple[str, ...]] | None = None
) -> list[_Slot]:
    options = options or {}
    hints = type_hints(method, include_extras=True)
    slots: list[_Slot] = []
    for param in inspect.signature(method).parameters.values():
        if param.name == "self":
            continue
        hint = hints.get(param.name, str)
        if param.kind is inspect.Parameter.VAR_KEYWORD:
            typed = typing.get_args(hint)[0] if typing.get_origin(hint) is typing.Unpack else None
            if typed is not None and typing.is_typeddict(typed):
                for key, key_hint in type_hints(typed).items():
                    slots.append(_Slot(key, kind_of(key_hint), False, False))
            continue
        if param.kind is inspect.Parameter.VAR_POSITIONAL:
            continue
        required = param.default is inspect.Parameter.empty
        positional = (
            param.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
            and required
            and param.name not in BODY_NAMES
        )
        slots.append(_Slot(param.name, kind_of(hint), positional, required))
    slots = [
        attrs.evolve(slot, positional=False, decls=options[slot.name])
        if slot.name in options
        else slot
        for slot in slots
    ]
    taken = {d for slot in slots for d in (slot.decls or _option_names(slot.name))}
    taken |= {slot.name for slot in slots}
    for slot in list(slots):
        if slot.name in BODY_NAMES:
            fields = _field_slots(slot, hints.get(slot.name), taken)
            if fields:
                slots.remove(slot)
                slots += [attrs.evolve(slot, required=False, fill=slot.required), *fields]
    return [
        attrs.evolve(slot, decls=options[slot.name])
        if slot.field_of and slot.name in options
        else slot
        for slot in slots
    ]


def body_model(method: Callable[..., Any]) -> type[Any] | None:
    """The attrs model a method's body parameter (`params`) takes, if any."""
    hints = type_hints(method)
    for name in BODY_NAMES:
        for member in _members(hints.get(name)):
            if isinstance(member, type) and attrs.has(member):
                return member
    return None


def _parameter(slot: _Slot) -> inspect.Parameter:
    """The typer parameter (annotation and default) reading one slot."""
    kind = slot.kind
    base: Any = str if kind.json else kind.python_type
    if kind.multiple:
        base = list[base]
    if slot.positional:
        info: Any = typer.Argument(show_default=False)
        return inspect.Parameter(
            slot.name, inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[base, info]
        )
    help_text = "JSON, or @FILE holding it." if kind.json and not kind.text_ok else None
    if kind.multiple:
        help_text = f"{help_text or ''} Repeatable.".strip()
    if kind.flag:
        flag = slot.decls[0][2:] if slot.decls else slot.name.replace("_", "-")
        info = typer.Option(f"--{flag}/--no-{flag}", show_default=False)
        annotation: Any = Annotated[bool | None, info]
    else:
        names = slot.decls or _option_names(slot.name)
        if kind.multiple and kind.python_type is str and not kind.json:
            help_text = "Repeatable, or comma-separated."
        info = typer.Option(*names, help=help_text, show_default=False)
        annotation = Annotated[base if slot.required else base | None, info]
    default = inspect.Parameter.empty if slot.required else None
    return inspect.Parameter(
        slot.name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default
    )


def first_line(text: str | None) -> str:
    """The first line of a docstring."""
    return (text or "").strip().split("\n", 1)[0]


def add_command(
    app: typer.Typer,
    name: str,
    parameters: list[inspect.Parameter],
    action: Callable[[dict[str, Any]], None],
    help_text: str,
) -> None:
    """Register a command on `app` whose options are `parameters` (plus output and
    connection options) and whose body is `action(values)`."""

    def command(**values: Any) -> None:
        action(values)

    every = [*parameters, *output_parameters(), *connection_parameters()]
    # Required parameters first: a signature lists those without a default before the others.
    every.sort(key=lambda p: p.default is not inspect.Parameter.empty)
    command.__signature__ = inspect.Signature(every)  # type: ignore[attr-defined]
    command.__doc__ = help_text
    app.command(name, help=help_text, short_help=first_line(help_text))(command)


def method_action(
    method_name: str, slots: list[_Slot], streamed: bool
) -> Callable[[dict[str, Any]], None]:
    """What a method command does: convert the values, call the method, print the answer."""
    hints = type_hints(getattr(AsyncWorkspace, method_name))
    columns = columns_of(hints.get("return"))
    models_only = [n for n in BODY_NAMES if n in hints and not _takes_dict(hints[n])]

    def action(values: dict[str, Any]) -> None:
        target = pop_target(values)
        fmt, jq, out = values.pop("fmt"), values.pop("jq"), values.pop("out")
        check_output(fmt, jq, out)
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        fields: dict[str, dict[str, Any]] = {}
        for slot in slots:
            value = values.get(slot.name)
            if slot.kind.multiple and not value:
                value = None
            value = _convert(value, slot.kind, slot.name)
            if isinstance(value, tuple):
                value = list(value)
            if isinstance(value, list) and _commas(slot):
                value = [part.strip() for item in value for part in item.split(",") if part.strip()]
            if isinstance(value, list) and len(value) == 1 and slot.kind.scalar_ok:
                value = value[0]
            if slot.kind.json and isinstance(value, list) and len(value) == 1:
                value = value[0] if isinstance(value[0], list) else value  # one JSON array
            if slot.field_of is not None:
                if value is not None:
                    fields.setdefault(slot.field_of, {})[slot.field] = value
                continue
            if slot.positional:
                args.append(value)
            elif value is not None:
                kwargs[slot.name] = value
            elif slot.fill:
                kwargs[slot.name] = {}
        for body_name, given in fields.items():
            body = kwargs.get(body_name, {})
            if not isinstance(body, dict):
                usage("--body must be a JSON object to combine with field options")
            kwargs[body_name] = {**body, **given}
        for body_name in models_only:
            if isinstance(kwargs.get(body_name), dict):
                kwargs[body_name] = _model_from(kwargs[body_name], method_name, body_name)

        async def work(ws: AsyncWorkspace) -> Any:
            bound = getattr(ws, method_name)
            if streamed:
                return [item async for item in bound(*args, **kwargs)]
            return await bound(*args, **kwargs)

        emit(run(work, target), fmt, jq, out, columns)

    return action


def _takes_dict(hint: Any) -> bool:
    """Whether a body parameter also accepts a plain dict (else the command builds its model)."""
    return any(m is dict or typing.get_origin(m) is dict for m in _members(hint))


def _model_from(body: dict[str, Any], method_name: str, name: str) -> Any:
    """A body given as JSON, as the model a method that takes only models wants (checked as the
    library checks a dict)."""
    model = body_model(getattr(AsyncWorkspace, method_name))
    if model is None:
        return body
    try:
        return as_model(body, model, name)
    except ParamValidationError as exc:
        usage(cli_message(exc))


def _commas(slot: _Slot) -> bool:
    """A repeatable text option (not an argument) also takes comma-separated values."""
    kind = slot.kind
    return not slot.positional and kind.multiple and kind.python_type is str and not kind.json


def add_method_command(
    app: typer.Typer,
    name: str,
    method_name: str,
    *,
    help_text: str | None = None,
    options: Mapping[str, tuple[str, ...]] | None = None,
) -> None:
    """A command on `app` calling `AsyncWorkspace.<method_name>` with what the command line
    gives; `options` names some parameters' options (which makes them options)."""
    method = getattr(AsyncWorkspace, method_name)
    slots = _slots(method, options)
    action = method_action(method_name, slots, inspect.isasyncgenfunction(method))
    parameters = [_parameter(slot) for slot in slots]
    add_command(app, name, parameters, action, help_text or first_line(method.__doc__))


def method_group(
    commands: dict[str, str],
    help_text: str,
    options: Mapping[str, Mapping[str, tuple[str, ...]]] | None = None,
) -> typer.Typer:
    """A typer app whose commands call the named `AsyncWorkspace` methods (name -> method);
    `options` gives some commands' option names (command -> parameter -> names)."""
    app = typer.Typer(no_args_is_help=True, help=help_text)
    for name, method_name in commands.items():
        add_method_command(app, name, method_name, options=(options or {}).get(name))
    return app
