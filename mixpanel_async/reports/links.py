"""Report links: the web URLs that open a report in Mixpanel, built client-side (no request).

A saved report opens at `https://{web host}/project/{pid}[/view/{wid}]/app/{type hash}`
(`insights#report/{id}`, `funnels#view/{id}`, ...); an unsaved one, stored under a 12-character
slug, at `.../app/{insights|flows}#{slug}`.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from mixpanel_async.exceptions import ParamValidationError

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
