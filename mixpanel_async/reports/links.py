"""Report links: the web URLs that open a report in Mixpanel, built client-side (no request).

A saved report opens at `https://{web host}/project/{pid}[/view/{wid}]/app/{type hash}`
(`insights#report/{id}`, `funnels#view/{id}`, ...); an unsaved one, stored under a 12-character
slug, at `.../app/{insights|flows}#{slug}`.
"""

from __future__ import annotations

import re
import secrets
from typing import Any, Literal
from urllib.parse import urlsplit

import attrs

from mixpanel_async.exceptions import (
    ParamValidationError,
    ReportLinkNotFoundError,
    ReportLinkParseError,
    ReportLinkScopeMismatchError,
    UnsupportedReportLinkError,
)

WEB_HOSTS = {"us": "mixpanel.com", "eu": "eu.mixpanel.com", "in": "in.mixpanel.com"}
"""The web host of each data residency region."""
SAVED_REPORT_TAIL = {
    "insights": "insights#report/{id}",
    "funnels": "funnels#view/{id}",
    "retention": "retention#report/{id}",
    "flows": "flows#report/{id}",
    "launch-analysis": "impact#report/{id}",
}
"""The app path and hash that open a saved report of each bookmark type."""
SLUG_APP = {
    "insights": "insights",
    "funnels": "insights",
    "retention": "insights",
    "flows": "flows",
}
"""The app that opens a slug link of each report type."""
SLUG_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
SLUG_LENGTH = 12
_SLUG = re.compile(r"^[0-9A-Za-z_-]{12}$")


def _positive(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ParamValidationError(
            f"{name} must be a positive integer (got {value!r})", param=name, code="RL6_INVALID_ID"
        )
    return value


def _lookup(table: dict[str, str], report_type: Any) -> str:
    if report_type not in table:
        raise ParamValidationError(
            f"report_type must be one of {', '.join(sorted(table))} (got {report_type!r})",
            param="report_type",
            code="RL1_UNKNOWN_REPORT_TYPE",
        )
    return table[report_type]


def project_url(region: str, project_id: int, workspace_id: int | None) -> str:
    """`https://{web host}/project/{pid}[/view/{wid}]` for a region."""
    if region not in WEB_HOSTS:
        raise ParamValidationError(
            f"region must be one of us, eu, in (got {region!r})",
            param="region",
            code="RL3_UNKNOWN_REGION",
        )
    url = f"https://{WEB_HOSTS[region]}/project/{_positive('project_id', project_id)}"
    if workspace_id is not None:
        url += f"/view/{_positive('workspace_id', workspace_id)}"
    return url


def saved_report_url(
    region: str, project_id: int, bookmark_id: int, report_type: str, workspace_id: int | None
) -> str:
    """The web URL of a saved report (bookmark) of `report_type` (`funnel` means funnels)."""
    kind = "funnels" if report_type == "funnel" else report_type
    tail = _lookup(SAVED_REPORT_TAIL, kind).format(id=_positive("bookmark_id", bookmark_id))
    return f"{project_url(region, project_id, workspace_id)}/app/{tail}"


def slug_url(
    region: str, project_id: int, slug: str, report_type: str, workspace_id: int | None
) -> str:
    """The web URL of an unsaved report stored under `slug`."""
    app = _lookup(SLUG_APP, report_type)
    if not isinstance(slug, str) or not _SLUG.match(slug):
        raise ParamValidationError(
            f"a slug is 12 characters of [0-9A-Za-z_-] (got {slug!r})",
            param="slug",
            code="RL2_INVALID_SLUG",
        )
    return f"{project_url(region, project_id, workspace_id)}/app/{app}#{slug}"


def new_slug() -> str:
    """A fresh random slug (12 characters of an unambiguous alphabet)."""
    return "".join(secrets.choice(SLUG_ALPHABET) for _ in range(SLUG_LENGTH))


# --- reading links -------------------------------------------------------------------------------

LinkKind = Literal["slug", "bookmark", "short_link", "dashboard", "legacy_jsurl"]
"""What a link points at."""
HOST_REGIONS = {"mixpanel.com": "us", "eu.mixpanel.com": "eu", "in.mixpanel.com": "in",
                "mixpanel.org": "us"}  # fmt: skip
"""The web hosts a link may name, and their regions (links are never built on `mixpanel.org`)."""
APP_REPORT_TYPES = {"insights": "insights", "funnels": "funnels", "retention": "retention",
                    "flows": "flows", "impact": "launch-analysis"}  # fmt: skip
"""The report type an app path suggests (`boards`, a dashboard, suggests none)."""
_APPS = {*APP_REPORT_TYPES, "boards"}
_DIGITS = re.compile(r"[0-9]+")
_CODE = re.compile(r"[0-9A-Za-z_-]+")
_SAVED_HASH = re.compile(
    r"(?:report|segmentation-report|view)/([0-9]+)(?:/(?!~)([^/]+))?(?:/(~.*))?", re.DOTALL
)
_HINTS = {
    "REPORT_LINK_UNPARSEABLE": "Pass a full Mixpanel report URL, a short link "
    "(https://mixpanel.com/s/...) or a 12-character slug.",
    "REPORT_LINK_NOT_MIXPANEL_HOST": "Expected mixpanel.com, eu.mixpanel.com or in.mixpanel.com.",
    "REPORT_LINK_UNRECOGNIZED_PATH": "Expected /project/{id}[/view/{wid}]/app/{app}#... or "
    "/s/{code}.",
    "REPORT_LINK_EMPTY_HASH": "Copy the report's whole URL, with the part after '#'.",
    "REPORT_LINK_UNRECOGNIZED_HASH": "Expected a 12-character slug, report/{id}, view/{id} or "
    "id={dashboard_id} after '#'.",
}


@attrs.frozen
class ParsedLink:
    """The parts of a report link (pure data; `parse_link` makes it)."""

    kind: LinkKind
    raw: str
    host: str | None = None
    region: str | None = None
    project_id: int | None = None
    workspace_id: int | None = None
    app: str | None = None
    report_type_hint: str | None = None
    slug: str | None = None
    bookmark_id: int | None = None
    dashboard_id: int | None = None
    short_code: str | None = None
    title_segment: str | None = None
    overrides: str | None = None

    def details(self) -> dict[str, Any]:
        """`kind` and each id the link names, for an error's `details`."""
        names = ("region", "project_id", "workspace_id", "slug", "bookmark_id", "dashboard_id",
                 "short_code")  # fmt: skip
        return {"kind": self.kind, **{n: getattr(self, n) for n in names if getattr(self, n)}}


def _refuse(code: str, message: str, **details: Any) -> ReportLinkParseError:
    return ReportLinkParseError(message, code=code, details={**details, "hint": _HINTS[code]})


def _host_region(host: str, port: int | None, local: tuple[str, int | None, str] | None) -> str:
    """The region of a link's host: a Mixpanel web host's, or the session's for the web host the
    workspace is configured with (an emulator's `base_url`)."""
    if local is not None and (host, port) == local[:2]:
        return local[2]
    if host in HOST_REGIONS:
        return HOST_REGIONS[host]
    raise _refuse(
        "REPORT_LINK_NOT_MIXPANEL_HOST", f"{host!r} is not a Mixpanel web host", host=host
    )


def _path_parts(segments: list[str]) -> tuple[int, int | None, str] | None:
    """(project id, workspace id, app) of a report path, or None."""
    match segments:
        case ["project", pid, "app", app] | ["report", pid, app]:
            wid = None
        case ["project", pid, "view", wid, "app", app] | ["report", pid, "view", wid, app]:
            pass
        case _:
            return None
    if not _DIGITS.fullmatch(pid) or (wid is not None and not _DIGITS.fullmatch(wid)):
        return None
    return (int(pid), None if wid is None else int(wid), app) if app in _APPS else None


def _fragment(raw: str) -> str:
    """The hash to read: without a `?...` tail or trailing `/`, unless it carries a `~` body."""
    return raw if "~" in raw else raw.partition("?")[0].rstrip("/")


def parse_link(text: str, local: tuple[str, int | None, str] | None = None) -> ParsedLink:
    """Read a report link: a web URL (slug, saved report, dashboard, legacy hash), a short link
    (`/s/{code}`) or a bare slug.

    Tolerated: surrounding blanks, a missing scheme, an upper-case host, a port, a query string,
    empty path segments, a percent-encoded `#`, a `?...` tail or `/` after the hash.

    Args:
        text: The link.
        local: `(host, port, region)` of a web host besides Mixpanel's to accept, as the
            session's region (the emulator a workspace's `base_url` points at).

    Raises:
        ReportLinkParseError: not a report link (`REPORT_LINK_UNPARSEABLE`,
            `REPORT_LINK_NOT_MIXPANEL_HOST`, `REPORT_LINK_UNRECOGNIZED_PATH`,
            `REPORT_LINK_EMPTY_HASH`, `REPORT_LINK_UNRECOGNIZED_HASH`).
    """
    raw = text.strip() if isinstance(text, str) else ""
    if not raw:
        raise _refuse("REPORT_LINK_UNPARSEABLE", f"not a report link: {text!r}", raw=text)
    if _SLUG.match(raw):
        return ParsedLink("slug", raw, slug=raw)
    url = raw if "#" in raw else re.sub("%23", "#", raw, flags=re.IGNORECASE)
    if not re.match(r"https?://", url, re.IGNORECASE):
        head = re.split(r"[/#?]", url, maxsplit=1)[0].lower()
        if head.split(":")[0] not in HOST_REGIONS and head != _netloc(local):
            raise _refuse("REPORT_LINK_UNPARSEABLE", f"not a report link: {raw!r}", raw=raw)
        url = "https://" + url
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        raise _refuse("REPORT_LINK_UNPARSEABLE", f"not a report link: {raw!r}", raw=raw) from None
    if not host:
        raise _refuse("REPORT_LINK_UNPARSEABLE", f"not a report link: {raw!r}", raw=raw)
    region = _host_region(host, port, local)
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) == 2 and segments[0] == "s" and _CODE.fullmatch(segments[1]):
        return ParsedLink("short_link", raw, host, region, short_code=segments[1])
    found = _path_parts(segments)
    if found is None:
        raise _refuse(
            "REPORT_LINK_UNRECOGNIZED_PATH",
            f"{parts.path!r} is not the path of a report, a dashboard or a short link",
            raw=raw, host=host, region=region, path=parts.path,
        )  # fmt: skip
    pid, wid, app = found
    base = ParsedLink(
        "slug", raw, host, region, pid, wid, app, report_type_hint=APP_REPORT_TYPES.get(app)
    )
    return _read_hash(base, _fragment(parts.fragment))


def _netloc(local: tuple[str, int | None, str] | None) -> str | None:
    if local is None:
        return None
    return local[0] if local[1] is None else f"{local[0]}:{local[1]}"


def _read_hash(base: ParsedLink, fragment: str) -> ParsedLink:
    """What the hash of a report path points at."""
    if not fragment:
        raise _refuse(
            "REPORT_LINK_EMPTY_HASH",
            f"the link opens the {base.app} app but names no report (nothing after '#')",
            **base.details(), raw=base.raw,
        )  # fmt: skip
    saved = _SAVED_HASH.fullmatch(fragment)
    if saved is not None:
        return attrs.evolve(
            base, kind="bookmark", bookmark_id=int(saved.group(1)),
            title_segment=saved.group(2), overrides=saved.group(3),
        )  # fmt: skip
    if base.app == "boards":
        fields = dict(pair.split("=", 1) for pair in reversed(fragment.split("&")) if "=" in pair)
        board = fields.get("id", "")
        if _DIGITS.fullmatch(board):
            edited = fields.get("edited-bookmark", "")
            if _SLUG.match(edited):
                return attrs.evolve(base, slug=edited, dashboard_id=int(board))
            return attrs.evolve(base, kind="dashboard", dashboard_id=int(board))
    if _SLUG.match(fragment):
        return attrs.evolve(base, slug=fragment)
    if fragment.startswith("~"):
        return attrs.evolve(base, kind="legacy_jsurl")
    raise _refuse(
        "REPORT_LINK_UNRECOGNIZED_HASH",
        f"{fragment!r} after '#' is not a slug, a saved report or a dashboard",
        **base.details(), raw=base.raw, hash=fragment,
    )  # fmt: skip


# --- checks before a request ---------------------------------------------------------------------

RESULT_REPORT_TYPES = {"QueryResult": "insights", "FunnelQueryResult": "funnels",
                       "RetentionQueryResult": "retention", "FlowQueryResult": "flows"}  # fmt: skip
"""The report type of each typed query result `create_report_link()` takes, by class name."""


def link_inputs(params: Any, report_type: Any) -> tuple[dict[str, Any], str]:
    """The params and report type of a new link: a params dict is `insights` unless told
    otherwise; a typed query result gives both (an explicit type must agree).

    Raises:
        ParamValidationError: `RL4_REPORT_TYPE_CONFLICT`; `RL1_UNKNOWN_REPORT_TYPE`; `params`
            neither a dict nor a typed query result.
    """
    if isinstance(params, dict):
        kind = "insights" if report_type is None else report_type
    else:
        inferred = RESULT_REPORT_TYPES.get(type(params).__name__)
        if inferred is None or not isinstance(getattr(params, "params", None), dict):
            raise ParamValidationError(
                "params must be bookmark params (a dict) or the result of query(), "
                f"query_funnel(), query_retention() or query_flow() (got {type(params).__name__})",
                param="params",
            )
        if report_type is not None and report_type != inferred:
            raise ParamValidationError(
                f"report_type={report_type!r} contradicts the {type(params).__name__} given, "
                f"which is {inferred!r}: omit report_type or pass the params dict",
                param="report_type",
                code="RL4_REPORT_TYPE_CONFLICT",
            )
        kind, params = inferred, dict(params.params)
    _lookup(SLUG_APP, kind)
    return params, kind


def create_args(name: Any, description: Any, workspace_id: Any, bookmark_id: Any,
                validate: Any) -> None:  # fmt: skip
    """`create_report_link()`'s other arguments.

    Raises:
        ParamValidationError: a non-text `name`/`description`, a non-positive `workspace_id` or
            `bookmark_id` (`RL6_INVALID_ID`), a non-boolean `validate`.
    """
    for label, text in (("name", name), ("description", description)):
        if not isinstance(text, str):
            raise ParamValidationError(f"{label} must be a string (got {text!r})", param=label)
    for label, value in (("workspace_id", workspace_id), ("bookmark_id", bookmark_id)):
        if value is not None:
            _positive(label, value)
    if not isinstance(validate, bool):
        raise ParamValidationError(f"validate must be True or False (got {validate!r})",
                                   param="validate")  # fmt: skip


def flows_mode(mode: Any) -> None:
    """`query_report_link()`'s `mode`: None, `sankey`, `paths` or `tree`."""
    if mode is not None and mode not in ("sankey", "paths", "tree"):
        raise ParamValidationError(f"mode must be sankey, paths or tree (got {mode!r})",
                                   param="mode")  # fmt: skip


def local_host(web_base: str, region: str) -> tuple[str, int | None, str] | None:
    """`(host, port, region)` of the web host a workspace is configured with when it is not
    Mixpanel's own (an emulator's `base_url`): links on it are the session region's."""
    parts = urlsplit(web_base)
    host = (parts.hostname or "").lower()
    return None if host in HOST_REGIONS else (host, parts.port, region)


def refuse_unsupported(parsed: ParsedLink) -> None:
    """Refuse what is recognised but names no single report.

    Raises:
        UnsupportedReportLinkError: `UNSUPPORTED_DASHBOARD_LINK`, `UNSUPPORTED_LEGACY_HASH`.
    """
    if parsed.kind == "dashboard":
        board = parsed.dashboard_id
        raise UnsupportedReportLinkError(
            f"the link opens dashboard {board}, not one report",
            code="UNSUPPORTED_DASHBOARD_LINK",
            details={**parsed.details(), "hint": f"list its reports with get_dashboard({board}) "
                     "and resolve one report's link"},
        )  # fmt: skip
    if parsed.kind == "legacy_jsurl":
        raise UnsupportedReportLinkError(
            "the link carries a legacy JSURL hash, which cannot be read",
            code="UNSUPPORTED_LEGACY_HASH",
            details={**parsed.details(), "hint": "open it in a browser, which re-mints a "
                     "shareable link, and copy that"},
        )  # fmt: skip


def check_scope(parsed: ParsedLink, region: str, project_id: int, pinned: int | None) -> None:
    """Refuse a link of another region or project, or of another workspace than the pinned one
    (a bare slug names none of them).

    Raises:
        ReportLinkScopeMismatchError: `REPORT_LINK_REGION_MISMATCH`,
            `REPORT_LINK_PROJECT_MISMATCH`, `REPORT_LINK_WORKSPACE_MISMATCH`.
    """
    if parsed.region is not None and parsed.region != region:
        _mismatch(parsed, "REGION", f"the link is on the {parsed.region} region, the session "
                  f"on {region}", f'use an account on the {parsed.region} region '
                  '(AsyncWorkspace(account="<name>"))', link_region=parsed.region,
                  session_region=region)  # fmt: skip
    if parsed.project_id is not None and parsed.project_id != project_id:
        _mismatch(parsed, "PROJECT", f"the link is of project {parsed.project_id}, the session "
                  f"of project {project_id}", f'use AsyncWorkspace(project="{parsed.project_id}")',
                  link_project_id=parsed.project_id, session_project_id=project_id)  # fmt: skip
    if pinned is not None and parsed.workspace_id is not None and parsed.workspace_id != pinned:
        _mismatch(parsed, "WORKSPACE", f"the link is of workspace {parsed.workspace_id}, the "
                  f"session is pinned to workspace {pinned}",
                  f"use AsyncWorkspace(workspace={parsed.workspace_id})",
                  link_workspace_id=parsed.workspace_id, session_workspace_id=pinned)  # fmt: skip


def _mismatch(parsed: ParsedLink, what: str, message: str, hint: str, **details: Any) -> None:
    raise ReportLinkScopeMismatchError(
        message,
        code=f"REPORT_LINK_{what}_MISMATCH",
        details={**parsed.details(), **details, "hint": hint},
    )


def not_found(parsed: ParsedLink, code: str, message: str, hint: str) -> ReportLinkNotFoundError:
    """A `ReportLinkNotFoundError` for what the link names."""
    return ReportLinkNotFoundError(message, code=code, details={**parsed.details(), "hint": hint})
