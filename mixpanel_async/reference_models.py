"""The records of the built-in reference (`mixpanel_async.reference`), with the seed's names
and fields: an entry, its signature and parameters, its members, and search hits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import attrs

from mixpanel_async.exceptions import MixpanelAsyncError

ExportKind = Literal[
    "module", "exception", "enum", "model", "dataclass", "class", "literal", "alias", "function",
    "constant",
]  # fmt: skip
"""What a package export is."""

MemberKind = Literal[ExportKind, "method", "property"]
"""What a listed member or search hit is."""

HelpKind = Literal[MemberKind, "overview", "listing", "parameter"]
"""What a help entry describes."""

HelpFormat = Literal["text", "markdown", "json"]
"""How `render` writes an entry."""

MatchedOn = Literal["name", "doc", "member"]
"""Where a search term matched: the name, the summary, or a member/value."""

ParamKind = Literal[
    "positional_only", "positional_or_keyword", "var_positional", "keyword_only", "var_keyword"
]
"""How an argument may be passed (the lower-cased `inspect.Parameter.kind`)."""


class _Dict:
    """Mixin: a JSON-friendly `to_dict()`."""

    def to_dict(self) -> dict[str, Any]:
        """The record as plain dicts, lists and strings."""
        return attrs.asdict(self)  # type: ignore[arg-type]


@attrs.frozen
class DocSections(_Dict):
    """A Google-style docstring split into its sections."""

    summary: str = ""
    body: str = ""
    args: tuple[tuple[str, str], ...] = ()
    returns: str = ""
    raises: tuple[tuple[str, str], ...] = ()
    example: str = ""
    notes: str = ""


@attrs.frozen
class ParamDoc(_Dict):
    """One parameter of a signature: annotation, default, description, allowed values."""

    name: str
    annotation: str | None = None
    default: str | None = None
    description: str = ""
    values: tuple[str, ...] = ()
    kind: ParamKind = "positional_or_keyword"


@attrs.frozen
class SignatureDoc(_Dict):
    """A callable's name, parameters and return annotation."""

    name: str
    params: tuple[ParamDoc, ...] = ()
    returns: str | None = None


@attrs.frozen
class MemberDoc(_Dict):
    """One row of a listing: a method, property or export with its one-line summary."""

    name: str
    kind: MemberKind
    summary: str = ""
    signature: SignatureDoc | None = None
    depth: int = 0


@attrs.frozen
class Group(_Dict):
    """A titled group of members (the workspace's methods of one family)."""

    title: str
    items: tuple[MemberDoc, ...]


@attrs.frozen
class FieldDoc(_Dict):
    """One field of a record type."""

    name: str
    annotation: str
    default: str | None = None
    required: bool = False
    constraints: tuple[str, ...] = ()
    alias: str | None = None
    values: tuple[str, ...] = ()
    description: str = ""


@attrs.frozen
class UsageDoc(_Dict):
    """A workspace method taking a type, and which of its parameters do."""

    method: str
    params: tuple[str, ...]


@attrs.frozen
class Hint(_Dict):
    """A pointer to further reading."""

    title: str
    url: str


@attrs.frozen
class HelpEntry(_Dict):
    """Everything the reference knows about one name."""

    kind: HelpKind
    name: str
    qualname: str
    summary: str
    doc: DocSections
    signature: SignatureDoc | None = None
    bases: tuple[str, ...] = ()
    config: tuple[tuple[str, str], ...] = ()
    construction: tuple[MemberDoc, ...] = ()
    fields: tuple[FieldDoc, ...] = ()
    properties: tuple[MemberDoc, ...] = ()
    methods: tuple[MemberDoc, ...] = ()
    values: tuple[str, ...] = ()
    value: str | None = None
    groups: tuple[Group, ...] = ()
    referenced_types: tuple[tuple[str, str], ...] = ()
    used_by: tuple[UsageDoc, ...] = ()
    domain: str | None = None
    see_also: tuple[str, ...] = ()
    hints: tuple[Hint, ...] = ()


@attrs.frozen
class SearchHit(_Dict):
    """One match of a search."""

    category: MemberKind
    name: str
    summary: str
    matched_on: MatchedOn


@attrs.frozen
class SearchResult(_Dict):
    """The matches of a search term, and close names when nothing matched."""

    term: str
    hits: tuple[SearchHit, ...] = ()
    suggestions: tuple[str, ...] = ()


# --- the reference's errors -------------------------------------------------------------------


class HelpLookupError(MixpanelAsyncError):
    """A `reference.describe()` / `help()` query named nothing; carries suggestions and hits."""

    default_code = "HELP_NOT_FOUND"

    def __init__(
        self, query: str, *, suggestions: Sequence[str] = (), hits: Sequence[Any] = ()
    ) -> None:
        self.query = query
        self.suggestions = tuple(suggestions)
        self.hits = tuple(hits)
        hint = f" Did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(
            f"No help entry for '{query}'.{hint}",
            details={
                "query": query,
                "suggestions": list(self.suggestions),
                "hits": [h.to_dict() if hasattr(h, "to_dict") else h for h in self.hits],
            },
        )


HelpDomainReason = Literal["unknown", "ambiguous", "not_workspace"]
"""Why a help query's `domain=` was refused."""


class HelpDomainError(HelpLookupError):
    """A help query's `domain=` names no method group, several, or is given for a non-workspace
    query (`reason`); `domains` lists the candidates."""

    default_code = "HELP_DOMAIN_INVALID"

    def __init__(
        self, query: str, *, domain: str, domains: Sequence[str], reason: HelpDomainReason
    ) -> None:
        super().__init__(query, suggestions=domains)
        self.domain = domain
        self.domains = tuple(domains)
        self.reason = reason
        if reason == "not_workspace":
            subject = f"'{query}'" if query else "the overview"
            self.message = f"domain= applies only to 'Workspace', not to {subject}."
        elif reason == "ambiguous":
            self.message = f"domain '{domain}' is ambiguous: {', '.join(domains)}."
        else:
            self.message = f"Unknown domain '{domain}'. Domains: {', '.join(domains)}."
        self.args = (self.message,)
        self.code = self.default_code
        self.details.update(domain=domain, domains=list(domains), reason=reason)
