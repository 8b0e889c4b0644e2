"""What is in the project: event names, properties and their values, saved funnels and cohorts,
today's top events.

Results are cached in the workspace (per method and arguments) until `clear_discovery_cache()` or
`use()`, as the seed caches them; `top_events()` is live data and never cached. Cached lists are
handed out as copies, so a caller that edits one does not edit the cache.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from typing import TYPE_CHECKING, Any

import orjson

from mixpanel_async._operation import LazyModule, Request
from mixpanel_async.api import checks
from mixpanel_async.api.base import Base
from mixpanel_async.api.checks import build
from mixpanel_async.exceptions import EventNotFoundError, ParamValidationError, QueryError

if TYPE_CHECKING:
    from mixpanel_async._generated.models import discovery as models
    from mixpanel_async._generated.operations import discovery as ops
    from mixpanel_async.results import query as results_query
    from mixpanel_async.results.query import (
        FunnelInfo,
        SavedCohort,
        SubPropertyInfo,
        SubPropertyType,
        TopEvent,
    )
else:
    models = LazyModule("mixpanel_async._generated.models.discovery")
    ops = LazyModule("mixpanel_async._generated.operations.discovery")
    results_query = LazyModule("mixpanel_async.results.query")

EVENTS_LIMIT_MAX = 5000
"""The `/events/names` server-side ceiling, also the default."""
EVENTS_WIDEST_FROM = dt.date(2000, 1, 1)
"""The earliest `from_date` `/events/names` accepts."""
_HISTORY_GATE = re.compile(r"exceeds\s+(\d+)\s+days")
_MAX_SAMPLES = 5
_ISO_DATE = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+\-]\d{2}:?\d{2})?)?$"
)


class DiscoveryMixin(Base):
    """What is in the project: events, properties, values, saved funnels and cohorts."""

    def clear_discovery_cache(self) -> None:
        """Forget cached discovery results; the next calls ask Mixpanel again (no request)."""
        self._forget_discovery()

    async def events(
        self,
        *,
        limit: int | None = None,
        from_date: str | None = None,
        to_date: str | None = None,
    ) -> list[str]:
        """Names of the events seen in a date window, sorted (cached per arguments).

        Defaults to the widest window `/events/names` accepts: 5000 names from 2000-01-01 to
        today. When the project limits its history ("Date range exceeds N days into the past")
        and no `from_date` was given, asks again from today − N days.

        Raises:
            ParamValidationError: `limit` below 1, a bad date or `from_date` after `to_date`.
            QueryError: Mixpanel refused the request.
        """
        today = dt.date.today()
        first = checks.date(from_date, "from_date") if from_date is not None else None
        last = checks.date(to_date, "to_date") if to_date is not None else today
        if first is not None and first > last:
            raise ParamValidationError(
                f"from_date ({first}) is after to_date ({last}); swap them", param="from_date"
            )

        async def fetch() -> list[str]:
            def request(start: dt.date) -> Request[list[str]]:
                return build(
                    ops.list_event_names,
                    type="general",
                    limit=EVENTS_LIMIT_MAX if limit is None else limit,
                    from_date=start,
                    to_date=last,
                )

            try:
                names = await self._transport.call(request(first or EVENTS_WIDEST_FROM))
            except QueryError as exc:
                gate = _HISTORY_GATE.search(str(exc))
                if gate is None or first is not None or exc.status_code != 403:
                    raise
                allowed = today - dt.timedelta(days=int(gate.group(1)))
                names = await self._transport.call(request(allowed))
            return sorted(str(n) for n in names or [])

        return list(await self._cached(("events", limit, from_date, to_date), fetch))

    async def properties(self, event: str) -> list[str]:
        """Property names of one event, sorted (cached per event).

        Raises:
            EventNotFoundError: Mixpanel does not know the event; `similar_events` lists the
                names that look alike.
        """
        event = checks.text(event, "event")

        async def fetch() -> list[str]:
            try:
                found = await self._transport.call(
                    build(ops.list_event_properties_top, event=event)
                )
            except QueryError as exc:
                if exc.status_code != 400:
                    raise
                similar = similar_names(event, await self.events())
                raise EventNotFoundError(event, similar) from exc
            return sorted(found or {})

        return list(await self._cached(("properties", event), fetch))

    async def property_values(
        self, property_name: str, *, event: str | None = None, limit: int = 100
    ) -> list[str]:
        """The most common values of a property, as strings (cached per arguments)."""
        property_name = checks.text(property_name, "property_name")
        event = checks.optional_text(event, "event")
        checks.int_range(limit, "limit", 1)

        async def fetch() -> list[str]:
            values = await self._transport.call(
                build(ops.list_property_values, name=property_name, event=event, limit=limit)
            )
            return [str(v) for v in values or []]

        return list(await self._cached(("property_values", property_name, event, limit), fetch))

    async def subproperties(
        self, property_name: str, *, event: str | None = None, sample_size: int = 50
    ) -> list[SubPropertyInfo]:
        """Scalar keys of a list-of-objects property (e.g. `cart`), with inferred types.

        Samples `sample_size` values through `property_values()`, parses each as JSON (an
        object or a list of objects) and reports each key seen with scalar values, sorted.

        Warns:
            UserWarning: a key has mixed value types (reported as `string`), only nulls, or
                both scalar and nested values.
        """
        checks.int_range(sample_size, "sample_size", 1)
        raw = await self.property_values(property_name, event=event, limit=sample_size)
        return infer_subproperties(raw)

    async def funnels(self) -> list[FunnelInfo]:
        """Saved funnels, sorted by name (cached)."""

        async def fetch() -> list[FunnelInfo]:
            items = await self._transport.call(build(ops.list_funnels))
            found = [
                results_query.FunnelInfo(funnel_id=f.funnel_id, name=f.name) for f in items or []
            ]
            return sorted(found, key=lambda f: f.name)

        return list(await self._cached(("funnels",), fetch))

    async def cohorts(self) -> list[SavedCohort]:
        """Saved cohorts with their size, sorted by name (cached)."""

        async def fetch() -> list[SavedCohort]:
            items = await self._transport.call(build(ops.list_cohorts))
            found = [
                results_query.SavedCohort(
                    id=c.id,
                    name=c.name,
                    count=c.count or 0,
                    description=c.description or "",
                    created=c.created or "",
                    is_visible=bool(c.is_visible),
                )
                for c in items or []
            ]
            return sorted(found, key=lambda c: c.name)

        return list(await self._cached(("cohorts",), fetch))

    async def top_events(
        self,
        *,
        type: models.EventCountType = "general",
        limit: int | None = None,
    ) -> list[TopEvent]:
        """Today's most active events with the change since yesterday (never cached)."""
        response = await self._transport.call(build(ops.list_top_events, type=type, limit=limit))
        return [
            results_query.TopEvent(
                event=e.event,
                count=int(e.amount),
                percent_change=float(e.percent_change or 0.0),
            )
            for e in response.events
        ]


def similar_names(query: str, names: list[str]) -> list[str]:
    """Names like `query`: same name ignoring case, else containing it, else sharing words."""
    lowered = query.lower()
    same = [n for n in names if n.lower() == lowered]
    if same:
        return same
    containing = [n for n in names if lowered in n.lower()]
    if containing:
        return sorted(containing, key=len)[:5]
    words = set(re.split(r"[\s_\-]+", lowered)) - {""}
    scored = []
    for n in names:
        overlap = len(words & set(re.split(r"[\s_\-]+", n.lower())))
        if overlap:
            scored.append((-overlap, len(n), n))
    return [n for *_, n in sorted(scored)[:5]]


def _rows(raw: list[str]) -> list[dict[str, Any]]:
    """JSON objects among the raw values (an object, or a list of objects, per value)."""
    rows: list[dict[str, Any]] = []
    for text in raw:
        try:
            parsed = orjson.loads(text)
        except orjson.JSONDecodeError:
            continue
        items = parsed if isinstance(parsed, list) else [parsed]
        rows.extend(item for item in items if isinstance(item, dict))
    return rows


def _scalar_type(values: list[str | int | float | bool]) -> tuple[SubPropertyType, bool]:
    """(type, mixed): booleans before numbers, since `bool` is an `int`."""
    if all(isinstance(v, bool) for v in values):
        return "boolean", False
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return "number", False
    if all(isinstance(v, str) for v in values):
        if all(_ISO_DATE.match(str(v)) and _is_date(str(v)) for v in values):
            return "datetime", False
        return "string", False
    return "string", True


def _is_date(text: str) -> bool:
    try:
        dt.datetime.fromisoformat(text[:-1] if text.endswith("Z") else text)
    except ValueError:
        return False
    return True


def infer_subproperties(raw: list[str]) -> list[SubPropertyInfo]:
    """Sub-keys of the objects in `raw` with their scalar type and up to 5 sample values."""
    scalars: dict[str, list[str | int | float | bool]] = {}
    seen: set[str] = set()
    nested: set[str] = set()
    for row in _rows(raw):
        for key, value in row.items():
            seen.add(key)
            if value is None:
                continue
            if isinstance(value, dict | list):
                nested.add(key)
            else:
                scalars.setdefault(key, []).append(value)
    for key in sorted(nested & scalars.keys()):
        _warn(f"Subproperty {key!r} has both scalar and nested values; reporting the scalars")
    for key in sorted(seen - scalars.keys() - nested):
        _warn(f"Subproperty {key!r} was null in every sampled value; it cannot be typed")
    out: list[SubPropertyInfo] = []
    for key in sorted(scalars):
        values = scalars[key]
        kind, mixed = _scalar_type(values)
        if mixed:
            _warn(f"Subproperty {key!r} has values of mixed types; reporting it as 'string'")
        samples = tuple(dict.fromkeys(values))[:_MAX_SAMPLES]
        out.append(results_query.SubPropertyInfo(name=key, type=kind, sample_values=samples))
    return out


def _warn(message: str) -> None:
    warnings.warn(message, UserWarning, stacklevel=4)
