"""Emulator routes for openapi/query.yaml: the classic Query API reports (segmentation and its
numeric variants, event and property counts, funnels, retention, frequency).

Handlers validate what the router cannot (date order, expressions, JSON-list parameters, the
funnel id), then hand the project's deduplicated events to `engine.segmentation`,
`engine.funnels`, `engine.retention` or `engine.frequency` on a worker thread (polars releases
the GIL, so the loop keeps serving) and render Mixpanel's shapes. Every bad input is a 400 in
the Query API's error shape; an event that never happened is an empty answer, not an error.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from aiohttp import web

from mixpanel_async.emulator import errors
from mixpanel_async.emulator.engine import custom_columns, expressions, filters
from mixpanel_async.emulator.engine import frequency as frequency_engine
from mixpanel_async.emulator.engine import funnels as funnel_engine
from mixpanel_async.emulator.engine import retention as retention_engine
from mixpanel_async.emulator.engine import segmentation as seg
from mixpanel_async.emulator.engine.people import UserData
from mixpanel_async.emulator.engine.retention import add_months
from mixpanel_async.emulator.errors import EmulatorError
from mixpanel_async.emulator.route_helpers import (
    retention_args,
    run_engine,
    saved_funnel,
    user_data,
    zone_of,
)
from mixpanel_async.emulator.router import Call, Routes, project_for
from mixpanel_async.emulator.store import ProjectState

routes = Routes()

DEFAULT_FUNNEL_LENGTH = (30, "day")
"""Mixpanel's default conversion window ("all customers have 30 days to complete a funnel")."""


def _context(
    call: Call, span: tuple[dt.date, dt.date] | None = None
) -> tuple[ProjectState, dict[str, Any]]:
    """The project and the report's span: the engines' `from_date`, `to_date` (checked for
    order; `span` when given) and `timezone` (the project's) keyword arguments."""
    project = project_for(call)
    zone_of(project)
    first, last = span or (
        dt.date.fromisoformat(str(call.params["from_date"])),
        dt.date.fromisoformat(str(call.params["to_date"])),
    )
    if first > last:
        raise errors.date_order(first, last)
    return project, {"from_date": first, "to_date": last, "timezone": project.timezone}


def _expression(call: Call, name: str) -> str | None:
    """A validated expression parameter (None when absent or blank)."""
    text = call.params.get(name)
    if text is None or not str(text).strip():
        return None
    try:
        expressions.parse(str(text))
    except expressions.ExpressionError as exc:
        raise errors.bad_expression(name, exc) from None
    return str(text)


def _strings(call: Call, name: str) -> list[str] | None:
    """A JSON-array-of-strings parameter (decoded by the router), checked."""
    value = call.params.get(name)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise EmulatorError(400, errors.NOT_A_LIST.format(name=name))
    return value


def _window(call: Call, *, where: bool = True) -> tuple[ProjectState, seg.Window]:
    """The project and the report window the request asks for."""
    project, span = _context(call)
    p = call.params
    return project, seg.Window(
        **span,
        unit=str(p.get("unit", "day")),
        interval=p.get("interval"),
        where=_expression(call, "where") if where else None,
    )


# --- `/events` and `/events/properties`: dates, or the last `interval` units -------------------

_KEY_FORMAT = {"minute": "%Y-%m-%d %H:%M:00", "hour": "%Y-%m-%d %H:00:00"}


def _current_key(now: dt.datetime, unit: str) -> str:
    """The bucket key of the `unit` that holds the local moment `now`."""
    day = now.date()
    if unit == "week":
        return (day - dt.timedelta(days=day.weekday())).isoformat()
    if unit == "month":
        return day.replace(day=1).isoformat()
    return now.strftime(_KEY_FORMAT[unit]) if unit in _KEY_FORMAT else day.isoformat()


def _first_day(now: dt.datetime, unit: str, count: int) -> dt.date:
    """The local day on which the unit `count - 1` units before the current one starts."""
    day = now.date()
    if unit == "week":
        return day - dt.timedelta(days=day.weekday() + 7 * (count - 1))
    if unit == "month":
        return add_months(day.replace(day=1), -(count - 1))
    step = {"minute": dt.timedelta(minutes=1), "hour": dt.timedelta(hours=1)}
    back = step.get(unit, dt.timedelta(days=1)) * (count - 1)
    return (now - back).date()


def _counts_window(call: Call) -> tuple[ProjectState, seg.Window, int | None]:
    """The window of `/events` or `/events/properties`: both dates, or else the last
    `interval` units up to now (then also how many buckets to keep)."""
    p = call.params
    unit = str(p.get("unit", "day"))
    count = p.get("interval")
    span = None
    if "from_date" not in p or "to_date" not in p:
        if count is None:
            raise errors.missing_param("to_date" if "from_date" in p else "from_date")
        project = project_for(call)
        now = dt.datetime.now(zone_of(project)).replace(tzinfo=None)
        span = (_first_day(now, unit, count), now.date())
    project, dates = _context(call, span)
    window = seg.Window(**dates, unit=unit)
    return project, window, count if span is not None else None


def _last_buckets(answer: dict[str, Any], unit: str, count: int, zone: dt.tzinfo) -> dict[str, Any]:
    """A time-series answer cut to its last `count` buckets up to the current one."""
    now = dt.datetime.now(zone).replace(tzinfo=None)
    current = _current_key(now, unit)
    keys = [k for k in answer["data"]["series"] if k <= current][-count:]
    values = {
        name: {k: series[k] for k in keys if k in series}
        for name, series in answer["data"]["values"].items()
    }
    return {**answer, "data": {"series": keys, "values": values}}


def _series_csv(answer: dict[str, Any]) -> bytes:
    """A time-series answer as CSV: `date` and one column per series, one row per bucket."""
    series, values = answer["data"]["series"], answer["data"]["values"]
    names = list(values)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", *names])
    for key in series:
        writer.writerow([key, *(values[name].get(key, 0) for name in names)])
    return out.getvalue().encode()


async def _series(
    call: Call, compute: Any, users: Callable[[], UserData] | None = None
) -> web.Response:
    """Run a time-series report, answered as JSON or, with `format=csv`, as CSV."""
    if call.params.get("format") == "csv":
        return await run_engine(compute, users, render=_series_csv, content_type="text/csv")
    return await run_engine(compute, users)


def _on(call: Call) -> str:
    on = _expression(call, "on")
    if on is None:
        raise errors.missing_param("on")
    return on


@routes("segmentation")
async def segmentation(call: Call) -> web.Response:
    """GET /api/query/segmentation: `{"data": {"series", "values"}, "legend_size"}`."""
    project, window = _window(call)
    on, p = _expression(call, "on"), call.params
    return await _series(
        call,
        lambda: seg.segmentation(
            project.events.deduped(),
            window,
            event=str(p["event"]),
            count_type=p["type"],
            on=on,
            limit=p["limit"] if on is not None else None,
        ),
        _profiles_for_custom(project, window, on),
    )


def _profiles_for_custom(
    project: ProjectState, window: seg.Window, on: str | None
) -> Callable[[], UserData] | None:
    """The profiles a segmentation's custom properties may read (those of people read each
    event's user's profile), made off the loop; None when it names no custom property."""
    if custom_columns.PROPERTY_PREFIX not in f"{on} {window.where}":
        return None
    first, last = (dt.date.fromisoformat(str(d)) for d in (window.from_date, window.to_date))
    return lambda: user_data(project, first, last)


@routes("segmentation_numeric")
async def segmentation_numeric(call: Call) -> web.Response:
    """GET /api/query/segmentation/numeric: segmentation by numeric range of `on`."""
    project, window = _window(call)
    on, p = _on(call), call.params
    return await run_engine(
        lambda: seg.numeric(
            project.events.deduped(), window, event=str(p["event"]), on=on, count_type=p["type"]
        )
    )


async def _aggregate(call: Call, how: str) -> web.Response:
    project, window = _window(call)
    on, event = _on(call), str(call.params["event"])

    def compute() -> dict[str, Any]:
        results = seg.aggregate(project.events.deduped(), window, how=how, event=event, on=on)
        computed_at = dt.datetime.now(dt.UTC).isoformat()
        return {"status": "ok", "computed_at": computed_at, "results": results}

    return await run_engine(compute)


@routes("segmentation_sum")
async def segmentation_sum(call: Call) -> web.Response:
    """GET /api/query/segmentation/sum: `{"status", "computed_at", "results": {date: sum}}`."""
    return await _aggregate(call, "sum")


@routes("segmentation_average")
async def segmentation_average(call: Call) -> web.Response:
    """GET /api/query/segmentation/average: `{"status", "computed_at", "results": {date: avg}}`."""
    return await _aggregate(call, "average")


@routes("event_counts")
async def event_counts(call: Call) -> web.Response:
    """GET /api/query/events: one series per event of the JSON list `event`."""
    project, window, last = _counts_window(call)
    names = _strings(call, "event") or []
    count_type = call.params["type"]

    def compute() -> dict[str, Any]:
        answer = seg.event_counts(
            project.events.deduped(), window, events=names, count_type=count_type
        )
        return (
            answer if last is None else _last_buckets(answer, window.unit, last, zone_of(project))
        )

    return await _series(call, compute)


@routes("property_counts")
async def property_counts(call: Call) -> web.Response:
    """GET /api/query/events/properties: one series per value of property `name`."""
    project, window, last = _counts_window(call)
    values, p = _strings(call, "values"), call.params

    def compute() -> dict[str, Any]:
        answer = seg.property_counts(
            project.events.deduped(),
            window,
            event=str(p["event"]),
            name=str(p["name"]),
            count_type=p["type"],
            values=values,
            limit=None if values is not None else p["limit"],
        )
        return (
            answer if last is None else _last_buckets(answer, window.unit, last, zone_of(project))
        )

    return await _series(call, compute)


@routes("funnel")
async def funnel(call: Call) -> web.Response:
    """GET /api/query/funnels: a saved funnel's steps per date of entry."""
    project, span = _context(call)
    on, where = _expression(call, "on"), _expression(call, "where")
    p = call.params
    saved = next(
        (f for f in project.funnels if str(f.get("funnel_id")) == str(p["funnel_id"])), None
    )
    if saved is None:  # a saved funnel report (bookmark) answers to its id too
        saved = saved_funnel(project, p["funnel_id"])
    if saved is None:
        raise EmulatorError(400, errors.UNKNOWN_FUNNEL.format(funnel_id=p["funnel_id"]))
    steps = [str(s.get("event") if isinstance(s, dict) else s) for s in saved.get("steps", [])]
    try:
        length = int(p.get("length", saved.get("length", DEFAULT_FUNNEL_LENGTH[0])))
    except (TypeError, ValueError):
        raise EmulatorError(
            400, errors.BAD_FUNNEL_LENGTH.format(funnel_id=p["funnel_id"])
        ) from None
    length_unit = str(p.get("length_unit", saved.get("length_unit", DEFAULT_FUNNEL_LENGTH[1])))
    # A saved report's own filters hold alongside the caller's `where`; the caller's `on`
    # replaces the report's breakdown.
    where_node = filters.both(seg.parse_optional(where), saved.get("where"))
    on_node = seg.parse_optional(on) or saved.get("on")
    return await run_engine(
        lambda: funnel_engine.funnel(
            project.events.deduped(),
            steps=steps,
            **span,
            length=length,
            length_unit=length_unit,
            unit=p.get("unit"),
            interval=p.get("interval"),
            on=on_node,
            where=where_node,
            step_where=saved.get("step_where", ()),
            limit=p["limit"],
        ),
        lambda: user_data(project, span["from_date"], span["to_date"]),
    )


@routes("retention")
async def retention(call: Call) -> web.Response:
    """GET /api/query/retention: `{date: {"first", "counts"}}`; with `bookmark_id`, a saved
    retention report run as saved (its other parameters ignored)."""
    if call.params.get("bookmark_id") is not None:
        saved = project_for(call)
        kwargs = retention_args(saved, call.params["bookmark_id"])
        return await run_engine(
            lambda: retention_engine.retention(saved.events.deduped(), **kwargs),
            lambda: user_data(saved, kwargs["from_date"], kwargs["to_date"]),
        )
    for name in ("from_date", "to_date"):
        if name not in call.params:
            raise errors.missing_param(name)
    project, span = _context(call)
    on, where = _expression(call, "on"), _expression(call, "where")
    born_where = _expression(call, "born_where")
    p = call.params
    kind = p["retention_type"]
    if kind == "birth" and not p.get("born_event"):
        raise errors.missing_param("born_event")
    return await run_engine(
        lambda: retention_engine.retention(
            project.events.deduped(),
            **span,
            retention_type=kind,
            born_event=p.get("born_event"),
            event=p.get("event"),
            born_where=born_where,
            where=where,
            interval=p["interval"],
            interval_count=p["interval_count"],
            unit=p["unit"],
            unbounded=p["unbounded_retention"],
            on=on,
            limit=p["limit"],
        )
    )


@routes("frequency")
async def frequency(call: Call) -> web.Response:
    """GET /api/query/retention/addiction: `{"data": {date: [users by active slots]}}`."""
    project, span = _context(call)
    where, on = _expression(call, "where"), _expression(call, "on")
    p = call.params
    return await run_engine(
        lambda: frequency_engine.frequency(
            project.events.deduped(),
            **span,
            unit=p["unit"],
            addiction_unit=p["addiction_unit"],
            event=p.get("event"),
            where=where,
            on=on,
            limit=p["limit"],
        )
    )
