"""The built-in reference: `describe`, `search`, `render` and `help`, made at call time from
this package's own docstrings and signatures (no network, no stored text).

Names it knows: every export of `mixpanel_async` (types, exceptions, functions, namespaces),
the workspace's methods and properties (`"query"`, `"Workspace.query"`,
`"AsyncWorkspace.query"`), grouped by API family (`describe("Workspace", domain="flags")`),
and single parameters (`"Workspace.query.math"`). The seed's function signatures are kept.
"""

from __future__ import annotations

import difflib
import enum
import functools
import importlib
import inspect
import re
import sys
import types
import typing
from typing import Any, TextIO

import attrs
import orjson

from mixpanel_async.exceptions import ParamValidationError
from mixpanel_async.reference_models import (
    DocSections,
    ExportKind,
    FieldDoc,
    Group,
    HelpDomainError,
    HelpEntry,
    HelpFormat,
    HelpKind,
    HelpLookupError,
    Hint,
    MemberDoc,
    ParamDoc,
    SearchHit,
    SearchResult,
    SignatureDoc,
    UsageDoc,
)
from mixpanel_async.workspace import AsyncWorkspace

__all__ = [
    "DocSections", "FieldDoc", "Group", "HelpEntry", "HelpFormat", "HelpKind", "HelpLookupError",
    "Hint", "MemberDoc", "ParamDoc", "SearchHit", "SearchResult", "SignatureDoc", "UsageDoc",
    "clear_cache", "describe", "help", "render", "search",
]  # fmt: skip

_WORKSPACES = ("Workspace", "AsyncWorkspace")
_SECTIONS = {
    "args": "args", "arguments": "args", "parameters": "args", "attributes": "args",
    "returns": "returns", "yields": "returns", "raises": "raises", "example": "example",
    "examples": "example", "note": "notes", "notes": "notes",
}  # fmt: skip
_HINTS = (Hint("README", "https://github.com/mixpanel/mixpanel-async#readme"),)


def parse_doc(obj: Any) -> DocSections:
    """A docstring's summary, body and Google-style sections."""
    text = inspect.cleandoc(inspect.getdoc(obj) or "")
    paragraphs: dict[str, list[str]] = {"body": []}
    current = "body"
    for line in text.splitlines():
        header = line.strip().rstrip(":").lower()
        if line.endswith(":") and not line.startswith(" ") and header in _SECTIONS:
            current = _SECTIONS[header]
            paragraphs.setdefault(current, [])
            continue
        paragraphs.setdefault(current, []).append(line)
    body = "\n".join(paragraphs["body"]).strip()
    summary, _, rest = body.partition("\n\n")
    return DocSections(
        summary=" ".join(summary.split()),
        body=rest.strip(),
        args=_pairs(paragraphs.get("args", [])),
        returns="\n".join(paragraphs.get("returns", [])).strip(),
        raises=_pairs(paragraphs.get("raises", [])),
        example="\n".join(paragraphs.get("example", [])).strip(),
        notes="\n".join(paragraphs.get("notes", [])).strip(),
    )


def _pairs(lines: list[str]) -> tuple[tuple[str, str], ...]:
    out: list[list[str]] = []
    for line in lines:
        head = re.match(r"^\s{0,4}([\w*./ |,()\[\]]+?):\s*(.*)$", line)
        if head and (not out or len(line) - len(line.lstrip()) <= 4):
            out.append([head.group(1).strip(), head.group(2).strip()])
        elif out and line.strip():
            out[-1][1] = f"{out[-1][1]} {line.strip()}".strip()
    return tuple((name, text) for name, text in out)


def _annotation(value: Any) -> str | None:
    if value is inspect.Parameter.empty:
        return None
    return value if isinstance(value, str) else inspect.formatannotation(value)


def signature_of(obj: Any, name: str) -> SignatureDoc | None:
    """The signature of a callable with its parameter descriptions, or None."""
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    described = dict(parse_doc(obj).args)
    params = tuple(
        ParamDoc(
            name=p.name,
            annotation=_annotation(p.annotation),
            default=None if p.default is inspect.Parameter.empty else repr(p.default),
            description=described.get(p.name, ""),
            values=_literal_values(_annotation(p.annotation)),
            kind=p.kind.name.lower(),  # type: ignore[arg-type]
        )
        for p in sig.parameters.values()
        if p.name != "self"
    )
    return SignatureDoc(name=name, params=params, returns=_annotation(sig.return_annotation))


def _literal_values(annotation: str | None) -> tuple[str, ...]:
    """The quoted values of a `Literal[...]` annotation written as text."""
    if not annotation or "Literal[" not in annotation:
        return ()
    return tuple(a or b for a, b in re.findall(r"'([^']*)'|\"([^\"]*)\"", annotation))


def classify(obj: Any) -> ExportKind:
    """What kind of export an object is."""
    if isinstance(obj, types.ModuleType):
        return "module"
    if inspect.isclass(obj):
        if issubclass(obj, BaseException):
            return "exception"
        if issubclass(obj, enum.Enum):
            return "enum"
        return "model" if attrs.has(obj) else "class"
    if typing.get_origin(obj) is typing.Literal:
        return "literal"
    if typing.get_origin(obj) is not None or isinstance(obj, types.UnionType):
        return "alias"
    if callable(obj):
        return "function"
    return "constant"


@functools.cache
def _exports() -> dict[str, Any]:
    package = importlib.import_module("mixpanel_async")
    return {name: getattr(package, name) for name in package.__all__ if not name.startswith("_")}


@functools.cache
def _members() -> dict[str, tuple[str, Any]]:
    """Public workspace members: name → (family title, the member)."""
    out: dict[str, tuple[str, Any]] = {}
    for name in sorted(dir(AsyncWorkspace)):
        if name.startswith("_"):
            continue
        owner = next(c for c in AsyncWorkspace.__mro__ if name in c.__dict__)
        family = owner.__module__.rpartition(".")[2]
        title = "Workspace" if owner is AsyncWorkspace else family.replace("_", " ").capitalize()
        out[name] = (title, inspect.getattr_static(AsyncWorkspace, name))
    return out


def clear_cache() -> None:
    """Forget what was collected (after importing or reloading code)."""
    _exports.cache_clear()
    _members.cache_clear()


def _member_doc(name: str, member: Any, depth: int = 0) -> MemberDoc:
    if isinstance(member, property):
        return MemberDoc(name, "property", parse_doc(member).summary, depth=depth)
    function = getattr(member, "__func__", member)
    return MemberDoc(
        name, "method", parse_doc(function).summary, signature_of(function, name), depth
    )


def _listing(query: str, domain: str | None) -> HelpEntry:
    groups: dict[str, list[MemberDoc]] = {}
    for name, (title, member) in _members().items():
        groups.setdefault(title, []).append(_member_doc(name, member))
    titles = sorted(groups)
    if domain is not None:
        wanted = domain.lower().replace("_", " ")
        exact = [t for t in titles if t.lower() == wanted]
        chosen = exact or [t for t in titles if t.lower().startswith(wanted)]
        if len(chosen) != 1:
            raise HelpDomainError(
                query,
                domain=domain,
                domains=chosen or titles,
                reason="ambiguous" if chosen else "unknown",
            )
        titles = chosen
    cls = AsyncWorkspace if query == "AsyncWorkspace" else _exports()["Workspace"]
    doc = parse_doc(cls)
    return HelpEntry(
        kind="listing",
        name=query,
        qualname=f"{cls.__module__}.{cls.__qualname__}",
        summary=doc.summary,
        doc=doc,
        groups=tuple(Group(t, tuple(groups[t])) for t in titles),
        domain=titles[0] if domain is not None else None,
        hints=_HINTS,
    )


def _overview() -> HelpEntry:
    package = importlib.import_module("mixpanel_async")
    by_kind: dict[str, list[MemberDoc]] = {}
    for name, obj in sorted(_exports().items()):
        kind = classify(obj)
        by_kind.setdefault(kind, []).append(MemberDoc(name, kind, _summary(obj)))
    doc = parse_doc(package)
    return HelpEntry(
        kind="overview", name="mixpanel_async", qualname="mixpanel_async", summary=doc.summary,
        doc=doc, groups=tuple(Group(k, tuple(v)) for k, v in sorted(by_kind.items())),
        hints=_HINTS,
    )  # fmt: skip


def _summary(obj: Any) -> str:
    if classify(obj) in ("literal", "alias", "constant"):
        return ""
    return parse_doc(obj).summary


def _used_by(name: str) -> tuple[UsageDoc, ...]:
    word = re.compile(rf"\b{re.escape(name)}\b")
    out = []
    for method, (_, member) in _members().items():
        sig = None if isinstance(member, property) else signature_of(member, method)
        params = tuple(p.name for p in sig.params if word.search(p.annotation or "")) if sig else ()
        if params:
            out.append(UsageDoc(method, params))
    return tuple(out)


def _export_entry(name: str, obj: Any) -> HelpEntry:
    kind = classify(obj)
    if kind in ("literal", "alias", "constant"):
        listed = tuple(repr(v) for v in typing.get_args(obj)) if kind == "literal" else ()
        return HelpEntry(kind, name, f"mixpanel_async.{name}", "", DocSections(), values=listed,
                         value=repr(obj), used_by=_used_by(name))  # fmt: skip
    doc = parse_doc(obj)
    qualname = (
        f"{getattr(obj, '__module__', 'mixpanel_async')}.{getattr(obj, '__qualname__', name)}"
    )
    fields: tuple[FieldDoc, ...] = ()
    methods: tuple[MemberDoc, ...] = ()
    props: tuple[MemberDoc, ...] = ()
    values: tuple[str, ...] = ()
    bases: tuple[str, ...] = ()
    if inspect.isclass(obj):
        bases = tuple(b.__name__ for b in obj.__bases__ if b is not object)
        if attrs.has(obj):
            described = dict(doc.args)
            fields = tuple(
                FieldDoc(f.name, _annotation(f.type) or "Any",
                         None if f.default is attrs.NOTHING else repr(f.default),
                         f.default is attrs.NOTHING, description=described.get(f.name, ""))
                for f in attrs.fields(obj)
            )  # fmt: skip
        if issubclass(obj, enum.Enum):
            values = tuple(f"{m.name} = {m.value!r}" for m in obj)
        own = [(n, v) for n, v in vars(obj).items() if not n.startswith("_")]
        props = tuple(_member_doc(n, v) for n, v in own if isinstance(v, property))
        methods = tuple(_member_doc(n, v) for n, v in own if inspect.isfunction(v))
    sig = signature_of(obj, name) if kind in ("function", "model", "class", "exception") else None
    return HelpEntry(
        kind=kind, name=name, qualname=qualname, summary=doc.summary, doc=doc, signature=sig,
        bases=bases, fields=fields, properties=props, methods=methods, values=values,
        used_by=_used_by(name) if inspect.isclass(obj) else (), hints=_HINTS,
    )  # fmt: skip


def _method_entry(name: str, member: Any) -> HelpEntry:
    title, _ = _members()[name]
    function = member.fget if isinstance(member, property) else getattr(member, "__func__", member)
    doc = parse_doc(function)
    kind: HelpKind = "property" if isinstance(member, property) else "method"
    return HelpEntry(
        kind=kind, name=name, qualname=f"Workspace.{name}", summary=doc.summary, doc=doc,
        signature=None if kind == "property" else signature_of(function, name), domain=title,
        hints=_HINTS,
    )  # fmt: skip


def _name_of(query: object) -> str:
    if isinstance(query, str):
        return query.strip()
    for name, obj in _exports().items():
        if obj is query:
            return name
    qualname = getattr(query, "__qualname__", None)
    if isinstance(qualname, str):
        owner, _, member = qualname.rpartition(".")
        return f"Workspace.{member}" if owner in _WORKSPACES else qualname
    raise HelpLookupError(repr(query))


def describe(query: str | object, *, hints: bool = True, domain: str | None = None) -> HelpEntry:
    """The help entry of a name (an export, a workspace member, `Owner.member.param`) or object.

    Raises:
        HelpLookupError: nothing of that name (with close names and search hits).
        HelpDomainError: `domain=` unknown, ambiguous, or given for a non-workspace query.
    """
    name = _name_of(query)
    entry = _resolve(name, domain)
    if entry is None:
        close = difflib.get_close_matches(name, [*_exports(), *_members()], n=5, cutoff=0.6)
        hits = search(name, limit=5).hits if name else ()
        raise HelpLookupError(name, suggestions=close, hits=hits)
    return entry if hints else attrs.evolve(entry, hints=())


def _resolve(name: str, domain: str | None) -> HelpEntry | None:
    if name in _WORKSPACES:
        return _listing(name, domain)
    if domain is not None:
        raise HelpDomainError(name, domain=domain, domains=(), reason="not_workspace")
    if name in ("", "mixpanel_async"):
        return _overview()
    if name in _exports():
        return _export_entry(name, _exports()[name])
    owner, _, member = name.partition(".")
    if owner in _WORKSPACES and member in _members():
        return _method_entry(member, _members()[member][1])
    if name in _members():
        return _method_entry(name, _members()[name][1])
    head, _, param = name.rpartition(".")
    if head:
        parent = _resolve(head, None)
        if parent is not None and parent.signature is not None:
            for p in parent.signature.params:
                if p.name == param:
                    return HelpEntry("parameter", name, f"{parent.qualname}.{param}",
                                     p.description, DocSections(summary=p.description),
                                     signature=SignatureDoc(parent.name, (p,)))  # fmt: skip
    return None


def search(term: str, *, limit: int | None = None) -> SearchResult:
    """Names and summaries containing `term` (any case): names first, then summaries, then
    enum members and literal values."""
    needle = term.strip().lower()
    if not needle:
        raise HelpLookupError(term)
    if limit is not None and limit < 1:
        raise ParamValidationError("limit must be a positive integer", param="limit")
    rows: list[tuple[str, str, str, Any]] = [
        (name, classify(obj), _summary(obj), obj) for name, obj in _exports().items()
    ]
    for name, (_, member) in _members().items():
        doc = _member_doc(name, member)
        rows.append((f"Workspace.{name}", doc.kind, doc.summary, None))
    tiers: dict[str, list[SearchHit]] = {"name": [], "doc": [], "member": []}
    for name, kind, summary, obj in rows:
        values = [repr(v) for v in typing.get_args(obj)] if kind == "literal" else []
        values += [m.name for m in obj] if kind == "enum" else []
        tier = ("name" if needle in name.lower() else "doc" if needle in summary.lower()
                else "member" if any(needle in v.lower() for v in values) else None)  # fmt: skip
        if tier:
            tiers[tier].append(SearchHit(kind, name, summary, tier))  # type: ignore[arg-type]
    hits = tuple(tiers["name"] + tiers["doc"] + tiers["member"])[:limit]
    names = [r[0] for r in rows]
    close = () if hits else tuple(difflib.get_close_matches(term, names, n=5, cutoff=0.6))
    return SearchResult(term=term, hits=hits, suggestions=close)


def render(entry: HelpEntry | SearchResult, format: HelpFormat = "text") -> str:
    """An entry or search result as plain text, Markdown or JSON."""
    if format == "json":
        return orjson.dumps(entry.to_dict(), option=orjson.OPT_INDENT_2).decode()
    if format not in ("text", "markdown"):
        raise ParamValidationError("format must be text, markdown or json", param="format")
    md = format == "markdown"

    def head(text: str) -> str:
        return f"## {text}" if md else f"{text}\n{'-' * len(text)}"

    lines: list[str] = []
    if isinstance(entry, SearchResult):
        lines.append(head(f"Search: {entry.term}"))
        lines += [f"- {h.name} ({h.category}): {h.summary}" for h in entry.hits]
        if not entry.hits:
            lines.append("No matches." + (f" Close: {', '.join(entry.suggestions)}"
                                          if entry.suggestions else ""))  # fmt: skip
        return "\n".join(lines) + "\n"
    sig = entry.signature
    title = f"{entry.name}({', '.join(_param_text(p) for p in sig.params)})" if sig else entry.name
    lines += [head(f"{title}  [{entry.kind}]"), ""]
    for text in (entry.summary, entry.doc.body, entry.value or ""):
        if text:
            lines += [text, ""]
    if entry.values:
        lines += ["Values: " + ", ".join(entry.values), ""]
    for label, pairs in (("Arguments", entry.doc.args), ("Raises", entry.doc.raises)):
        if pairs:
            lines += [f"{label}:", *[f"  {n}: {t}" for n, t in pairs], ""]
    if entry.doc.returns:
        lines += ["Returns:", f"  {entry.doc.returns}", ""]
    if entry.fields:
        lines.append("Fields:")
        for f in entry.fields:
            lines.append(f"  {f.name}: {f.annotation}" + (f" = {f.default}" if f.default else ""))
        lines.append("")
    for group in entry.groups:
        lines += [f"{group.title}:", *[f"  {m.name} - {m.summary}" for m in group.items], ""]
    if entry.used_by:
        lines += ["Used by: " + ", ".join(u.method for u in entry.used_by), ""]
    return "\n".join(lines).rstrip() + "\n"


def _param_text(p: ParamDoc) -> str:
    star = {"var_positional": "*", "var_keyword": "**"}.get(p.kind, "")
    return star + p.name + (f"={p.default}" if p.default is not None else "")


def help(
    query: str | object | None = None,
    *,
    format: HelpFormat = "text",
    file: TextIO | None = None,
    hints: bool = True,
    domain: str | None = None,
) -> None:
    """Print the reference of the package, a name, or (for an unknown name) what is close to it.

    Raises:
        HelpDomainError: a bad `domain=`; a lookup miss is printed, not raised.
    """
    out = file or sys.stdout
    try:
        entry = describe("" if query is None else query, hints=hints, domain=domain)
    except HelpDomainError:
        raise
    except HelpLookupError as miss:
        print(miss.message, file=out)
        if miss.hits:
            print(render(SearchResult(miss.query, miss.hits), format), file=out, end="")
        return
    print(render(entry, format), file=out, end="")
