"""`mixpanel-async help [QUERY...]`: the library's reference, offline (no account, no network).

mixpanel-async help                          # the AsyncWorkspace methods, by family
mixpanel-async help AsyncWorkspace --domain dashboards
mixpanel-async help AsyncWorkspace.query     # one method: signature and docstring
mixpanel-async help Filter -f json --jq .signature
mixpanel-async help search cohort            # methods whose name or summary mentions it
"""

from __future__ import annotations

import inspect
from typing import Annotated, Any, Literal

import typer

import mixpanel_async
from mixpanel_async.cli.common import usage
from mixpanel_async.cli.output import JqOpt, check_output, emit
from mixpanel_async.cli.signature import first_line
from mixpanel_async.workspace import AsyncWorkspace

HelpFormat = Literal["text", "json"]
_OWNERS = ("AsyncWorkspace", "Workspace", "ws")


def methods() -> list[dict[str, str]]:
    """Every public `AsyncWorkspace` method: name, family (its mixin's module), summary."""
    found = []
    for name, member in sorted(vars(AsyncWorkspace).items()) + _inherited():
        if name.startswith("_") or not callable(member):
            continue
        family = getattr(member, "__module__", "").rsplit(".", 1)[-1]
        found.append({"name": name, "domain": family, "summary": first_line(member.__doc__)})
    return sorted({m["name"]: m for m in found}.values(), key=lambda m: (m["domain"], m["name"]))


def _inherited() -> list[tuple[str, Any]]:
    return [(n, getattr(AsyncWorkspace, n)) for n in dir(AsyncWorkspace) if not n.startswith("_")]


def describe(obj: Any, name: str) -> dict[str, str]:
    """One object's reference: its name, signature (when it has one) and docstring."""
    try:
        signature = str(inspect.signature(obj))
    except (TypeError, ValueError):
        signature = ""
    return {"name": name, "signature": signature, "doc": inspect.cleandoc(obj.__doc__ or "")}


def _lookup(token: str) -> dict[str, str] | None:
    owner, _, member = token.rpartition(".")
    if owner in _OWNERS or (not owner and hasattr(AsyncWorkspace, member)):
        found = getattr(AsyncWorkspace, member, None)
        return describe(found, f"AsyncWorkspace.{member}") if callable(found) else None
    if not owner and token in _OWNERS:
        return describe(AsyncWorkspace, "AsyncWorkspace")
    if not owner and token in getattr(mixpanel_async, "__all__", dir(mixpanel_async)):
        return describe(getattr(mixpanel_async, token), token)
    return None


def _text(entry: dict[str, str]) -> str:
    head = f"{entry['name']}{entry.get('signature', '')}"
    return f"{head}\n\n{entry['doc']}\n" if entry.get("doc") else head + "\n"


def _listing(rows: list[dict[str, str]], hints: bool) -> str:
    width = max((len(r["name"]) for r in rows), default=0)
    lines, domain = [], None
    for row in rows:
        if row["domain"] != domain:
            domain = row["domain"]
            lines.append(f"\n{domain}:")
        lines.append(f"  {row['name']:<{width}}  {row['summary']}")
    if hints:
        lines.append("\nMore: `mixpanel-async help AsyncWorkspace.NAME`, `... help search WORD`; "
                     "the commands: `mixpanel-async --help`.")  # fmt: skip
    return "\n".join(lines).lstrip("\n") + "\n"


def help_command(
    query: Annotated[
        list[str] | None, typer.Argument(help="AsyncWorkspace[.method], a name, or search WORD.")
    ] = None,
    fmt: Annotated[HelpFormat, typer.Option("--format", "-f", help="text or json.")] = "text",
    jq: JqOpt = None,
    domain: Annotated[
        str | None, typer.Option("--domain", help="Only one family's methods (a prefix will do).")
    ] = None,
    no_hints: Annotated[bool, typer.Option("--no-hints", help="No pointers to more help.")] = False,
) -> None:
    """The library's reference, offline: methods by family, one method or name, or a search."""
    check_output("json" if fmt == "json" else "text", jq, None)
    words = list(query or [])
    rows = methods()
    if domain is not None:
        rows = [r for r in rows if r["domain"].startswith(domain.replace("-", "_"))]
        if not rows:
            families = sorted({m["domain"] for m in methods()})
            usage(f"no family {domain!r} (one of {', '.join(families)})")
    answer: Any
    if words[:1] == ["search"]:
        if len(words) < 2:
            usage("search needs a word: mixpanel-async help search WORD")
        term = " ".join(words[1:]).lower()
        answer = [r for r in rows if term in r["name"].lower() or term in r["summary"].lower()]
    elif not words or (len(words) == 1 and words[0] in _OWNERS):
        answer = rows
    else:
        answer = _lookup(words[0])
        if answer is None:
            usage(f"nothing named {words[0]!r}; try `mixpanel-async help search {words[0]}`")
    if fmt == "json":
        emit(answer, "json", jq)
    elif isinstance(answer, dict):
        typer.echo(_text(answer), nl=False)
    else:
        typer.echo(_listing(answer, not no_hints), nl=False)
