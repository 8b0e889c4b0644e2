"""Result of `query_user()` / `run_user_params()`: profiles or an aggregate, with a frame."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Literal

import attrs

from mixpanel_async._operation import LazyModule
from mixpanel_async.exceptions import ParamValidationError
from mixpanel_async.results._common import Result, as_dict

if TYPE_CHECKING:
    import polars as pl
else:
    pl = LazyModule("polars")


def _flat(profile: dict[str, Any]) -> dict[str, Any]:
    row = {"distinct_id": profile.get("distinct_id"), "last_seen": profile.get("last_seen")}
    props = profile.get("properties")
    if isinstance(props, dict):
        for key, value in props.items():
            row[key.removeprefix("$")] = value
    return row


@attrs.frozen
class UserQueryResult(Result):
    """Profiles (mode `profiles`) or an aggregate over them (mode `aggregate`).

    Attributes:
        computed_at: When the answer was computed (ISO 8601).
        total: Profiles returned (profiles mode); the count for `count()`; else 0.
        profiles: The seed's profile dicts: `distinct_id`, `last_seen`, `properties`.
        params: The engage params that were sent.
        meta: How it ran: `session_id`, `pages_fetched`, `parallel` (profiles; in parallel
            also `workers` and `failed_pages`, the pages left out because they could not be
            read), or `action` and `segmented` (aggregate).
        mode: `profiles` or `aggregate`.
        aggregate_data: The aggregate: a number, a dict of statistics, or (segmented) a dict
            by cohort id.
    """

    computed_at: str
    total: int
    profiles: list[dict[str, Any]] = attrs.field(factory=list)
    params: dict[str, Any] = attrs.field(factory=dict)
    meta: dict[str, Any] = attrs.field(factory=dict)
    mode: Literal["profiles", "aggregate"] = "aggregate"
    aggregate_data: Any = None

    @functools.cached_property
    def df(self) -> pl.DataFrame:
        """Profiles: one row each, `distinct_id`, `last_seen`, then their properties (`$`
        dropped, names sorted). Aggregate: `metric` (the action) with `value` or the
        statistics' columns; segmented, one row per `segment` (cohort id)."""
        if self.mode == "profiles":
            rows = [_flat(p) for p in self.profiles]
            names = sorted({k for r in rows for k in r} - {"distinct_id", "last_seen"})
            columns = ["distinct_id", "last_seen", *names]
            if not rows:
                return pl.DataFrame(schema={"distinct_id": pl.String, "last_seen": pl.String})
            return pl.DataFrame(
                [{c: r.get(c) for c in columns} for r in rows],
                strict=False,
                infer_schema_length=None,
            ).select(columns)
        action = self.params.get("action", "aggregate")
        data = self.aggregate_data
        if isinstance(data, dict) and self.meta.get("segmented"):
            rows = [
                {"segment": seg, **value}
                if isinstance(value, dict)
                else {"segment": seg, "value": value}
                for seg, value in data.items()
            ]
            if not rows:
                return pl.DataFrame(schema={"segment": pl.String, "value": pl.Float64})
            return pl.DataFrame(rows, strict=False, infer_schema_length=None)
        if isinstance(data, dict):
            return pl.DataFrame([{"metric": action, **data}], strict=False)
        if data is None:
            return pl.DataFrame(schema={"metric": pl.String, "value": pl.Float64})
        return pl.DataFrame([{"metric": action, "value": data}], strict=False)

    @property
    def distinct_ids(self) -> list[str]:
        """The profiles' distinct ids, in order (empty in aggregate mode)."""
        return [str(p.get("distinct_id")) for p in self.profiles]

    @property
    def value(self) -> int | float | None:
        """The aggregate when it is one number (else None)."""
        data = self.aggregate_data
        if self.mode == "aggregate" and isinstance(data, (int, float)):
            return data
        return None


@attrs.frozen
class ProfilePageResult(Result):
    """One page of profiles from the engage endpoint, with what it takes to read the next.

    Attributes:
        profiles: The page's profile dicts.
        session_id: The id that reads the following pages; None when there are none.
        page: This page's index, from 0.
        has_more: Whether more pages follow.
        total: Profiles matching the query over all pages.
        page_size: Profiles per page.
    """

    profiles: list[dict[str, Any]]
    session_id: str | None
    page: int
    has_more: bool
    total: int
    page_size: int

    @property
    def num_pages(self) -> int:
        """Pages needed to read all `total` profiles (0 when there are none)."""
        if self.total <= 0 or self.page_size <= 0:
            return 0
        return -(-self.total // self.page_size)

    @functools.cached_property
    def df(self) -> pl.DataFrame:
        """The page's profiles, one row each (`distinct_id`, `last_seen`, properties)."""
        return pl.DataFrame([_flat(p) for p in self.profiles])

    def to_dict(self) -> dict[str, Any]:
        """The page as plain data, with `profile_count` and `num_pages` added."""
        return {
            "profiles": self.profiles, "session_id": self.session_id, "page": self.page,
            "has_more": self.has_more, "profile_count": len(self.profiles), "total": self.total,
            "page_size": self.page_size, "num_pages": self.num_pages,
        }  # fmt: skip


ReplayAction = Literal[
    "click", "input", "scroll", "navigate", "select", "console_error", "viewport_resize",
    "touch_start", "media_interaction", "screen",
]  # fmt: skip


@attrs.frozen
class UserAction:
    """One thing a user did during a session replay (a click, an input, a page change, ...).

    Attributes:
        timestamp: When, in Unix milliseconds (above 0).
        action: What kind of action.
        target_node_id: The replay's DOM node the action was on, if any.
        target_desc: What the target was, in words (not empty).
        url: The page's address at the time, if known.
        metadata: Extras of the action (text length, checked state, ...).
        description: The action as one phrase, for a timeline.
    """

    timestamp: int
    action: ReplayAction
    target_node_id: int | None
    target_desc: str
    url: str | None
    metadata: dict[str, Any] = attrs.field(factory=dict)
    description: str = ""

    def __attrs_post_init__(self) -> None:
        """Check the timestamp and the target description."""
        if self.timestamp <= 0:
            raise ParamValidationError(
                f"timestamp must be a positive Unix millisecond time, got {self.timestamp}",
                param="timestamp",
                code="UA1_TIMESTAMP_NOT_POSITIVE",
            )
        if not self.target_desc:
            raise ParamValidationError(
                "target_desc must not be empty", param="target_desc", code="UA2_EMPTY_TARGET_DESC"
            )

    def to_dict(self) -> dict[str, Any]:
        """The action as plain data."""
        return as_dict(self)
