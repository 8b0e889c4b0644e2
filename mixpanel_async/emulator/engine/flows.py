"""Saved Flows reports computed as a Sankey (`/arb_funnels?query_type=flows_sankey`) over a
project's deduplicated event frame.

A saved flows bookmark carries flat `params` (as `mixpanel_headless.Workspace.build_flow_params`
writes them). `parse_spec` checks them into a `FlowSpec`; `sankey` computes the answer. What the
emulator computes, and the choices made where Mixpanel does not document its behaviour:

* Anchor steps, whose filters (`property_filter_params_list`, read by `engine.segfilters`,
  joined by its `bool_op`) choose which anchor events count. A path starts at the first step;
  each later step is that event's next occurrence after the previous anchor, within the
  window of the first (or its session); its own reverse and forward columns are counted from
  it, and a path that never reaches it drops off there (our reading of Mixpanel's multi-step
  flows). A `session_event`, `segments` (breakdowns) and a `data_group_id` are refused with
  "... is not supported by the emulator" (a 400), never silently ignored. Display settings
  (`chartType`, `flows_merge_type`, `anchor_position`, `show_custom_events`, `step_label`,
  `version`) do not change the numbers and are ignored. `filter_by_event`, `filter_by_cohort`
  and `exclusions` narrow the frame first (`engine.flow_filters`, applied by the route, which
  has the profiles and cohorts). `flows_top_paths` and `flows` (tree) answers are built from
  the same paths by `engine.flow_paths`.
* A user's sequence is all their events, in time order (ties in arrival order), over all time.
  `hidden_events` are dropped from it first (hiding the anchor event itself is refused), then
  with `collapse_repeated` each run of consecutive identical events becomes one event at the
  time of the run's first event (so a run of anchors is one anchor occurrence).
* Anchor occurrences must lie in the date range: `between` two dates, or `in the last` N days,
  weeks (7 days) or months (30 days) ending today, i.e. `today - N units .. today` inclusive
  (the reading the emulator's saved retention reports use; a guess), whole days in the
  project's timezone. `count_type: "unique"` follows each user from their first anchor
  occurrence in range (counts are users); `"total"` follows every occurrence (counts are paths);
  `"session"` (which needs the session window) each session from its first anchor occurrence
  in range (counts are sessions).
* Forward columns are the next `forward` events after the anchor, reverse columns the `reverse`
  events before it, only events within the conversion window of the anchor (`day`, `week` = 7
  days, `month` = 30 days; at most 367 days, 52 weeks or 12 months as Mixpanel's validator
  allows), or within the anchor's session (`session`, value 1; sessions as `engine.sessions`
  cuts them, over the events the report traces). Path events may lie outside the date range.
* A path that runs out of events is a `DROPOFF` node (event `$dropoff`, a guess) in that column
  and in every column further from the anchor, with `DROPOFF -> DROPOFF` edges, so every column
  adds up to the number of paths. The peer library reads real answers this way: its
  `drop_off_summary` skips "prior-step dropoffs carried forward".
* Per non-anchor column only the `cardinality_threshold` most frequent events are kept (ties by
  name); the rest merge into one `PRUNED` node named `$other` (a guess). Drop-offs are never
  pruned. Nodes are listed by count (then name), the pruned node and the drop-off last.
* Edges go from each node to the nodes of the next column, counting the paths through both.
* `overallConversionRate`: the share of paths that reach the last anchor step (with a single
  step every path does, so 1.0 when there is a path and 0.0 otherwise; a guess). No anchor
  occurrence at all answers `steps: []`. `conversionRateChange` is null on every node.
* An anchor step may be a custom event (`$custom_event:<id>`, as in the other reports): every
  event of its alternatives then reads as the custom event throughout the sequences (anchor,
  reverse and forward columns alike, as Mixpanel's `show_custom_events` displays them), and
  its nodes have `isCustomEvent` true.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import polars as pl

from mixpanel_async.emulator.engine import custom_columns, flow_filters, segfilters, sessions
from mixpanel_async.emulator.engine.events import day_window_ms
from mixpanel_async.emulator.engine.expressions import Node
from mixpanel_async.emulator.engine.flow_render import ANCHOR, DROPOFF, NORMAL, PRUNED, render
from mixpanel_async.emulator.engine.params import DAYS_PER_UNIT, date, in_order, whole
from mixpanel_async.emulator.engine.rows import evaluate, select_rows

UNSUPPORTED = "{what} in a saved flows report is not supported by the emulator"
MAX_STEPS = 5
"""Forward and reverse steps each (Mixpanel's UI and the peer allow 0-5)."""
MAX_CARDINALITY = 50
DAY_MS = 86_400_000
MAX_WINDOW = {"day": 367, "week": 52, "month": 12}
"""Mixpanel's `_MAX_LENGTHS` for `arb_funnels` conversion windows (per the peer library)."""
DEFAULT_WINDOW = {"unit": "day", "value": 7}
"""The window when a report has none (the peer's default)."""


@dataclass(frozen=True)
class Anchor:
    """One anchor step: its event, the steps shown before and after it, its filters."""

    event: str
    forward: int
    reverse: int
    where: Node | None = None


@dataclass(frozen=True)
class FlowSpec:
    """A saved flows report's settings, checked."""

    event: str
    forward: int
    reverse: int
    from_date: dt.date
    to_date: dt.date
    count_type: Literal["unique", "total", "session"]
    window_unit: str
    window_value: int
    cardinality: int = 3
    collapse_repeated: bool = False
    hidden_events: tuple[str, ...] = ()
    anchor_where: Node | None = None
    """The anchor step's filters: only anchor events passing them start a path."""
    narrowing: flow_filters.Narrowing = field(default_factory=flow_filters.Narrowing)
    """`filter_by_event`, `filter_by_cohort`, `exclusions`: applied to the frame first."""
    later: tuple[Anchor, ...] = ()
    """The anchor steps after the first, each reached after the one before it."""

    def column_kinds(self) -> list[str]:
        """The `anchorType` of each column of the report's paths, anchor by anchor."""
        kinds: list[str] = []
        for step in self.anchors:
            kinds += ["RELATIVE_REVERSE"] * step.reverse + ["NORMAL"]
            kinds += ["RELATIVE_FORWARD"] * step.forward
        return kinds

    @property
    def anchors(self) -> tuple[Anchor, ...]:
        """Every anchor step, the first included."""
        return (Anchor(self.event, self.forward, self.reverse, self.anchor_where), *self.later)

    @property
    def in_session(self) -> bool:
        """Whether paths stay within the anchor's session (the session window)."""
        return self.window_unit == "session"

    @property
    def window_ms(self) -> int:
        """The conversion window in milliseconds (unbounded in time for a session)."""
        if self.in_session:
            return 100 * 366 * DAY_MS
        return self.window_value * DAYS_PER_UNIT[self.window_unit] * DAY_MS


def _date_range(raw: Any, today: dt.date) -> tuple[dt.date, dt.date]:
    if not isinstance(raw, Mapping):
        raise ValueError("date_range must be an object")
    kind = raw.get("type")
    if kind == "between":
        first = date(raw.get("from_date"), "date_range.from_date")
        return in_order(first, date(raw.get("to_date"), "date_range.to_date"))
    if kind == "in the last":
        window = raw.get("from_date")
        if (
            not isinstance(window, Mapping)
            or not isinstance(window.get("unit"), str)
            or (window["unit"] not in DAYS_PER_UNIT)
        ):
            raise ValueError("date_range.from_date must be {unit: day|week|month, value: n}")
        if raw.get("to_date", "$now") != "$now":
            raise ValueError(UNSUPPORTED.format(what="an 'in the last' range not ending $now"))
        count = whole(window.get("value"), "date_range.from_date.value", 1, 3660)
        return today - dt.timedelta(days=count * DAYS_PER_UNIT[window["unit"]]), today
    raise ValueError(UNSUPPORTED.format(what=f"a {kind!r} date range"))


def _anchor_steps(params: Mapping[str, Any]) -> list[Anchor]:
    steps = params.get("steps")
    if not isinstance(steps, list) or not steps:
        raise ValueError("a saved flows report needs an anchor step")
    return [_anchor_step(step, i) for i, step in enumerate(steps)]


def _anchor_step(step: Any, i: int) -> Anchor:
    if not isinstance(step, Mapping):
        raise ValueError(f"steps[{i}] must be an object")
    event = step.get("event")
    if not isinstance(event, str) or not event:
        raise ValueError(f"steps[{i}].event must be a non-empty event name")
    where = segfilters.combine(step.get("property_filter_params_list"), step.get("bool_op"))
    if step.get("session_event") is not None:
        raise ValueError(UNSUPPORTED.format(what="a session event step"))
    forward = whole(step.get("forward", 0), f"steps[{i}].forward", 0, MAX_STEPS)
    reverse = whole(step.get("reverse", 0), f"steps[{i}].reverse", 0, MAX_STEPS)
    return Anchor(event, forward, reverse, where)


def _window(params: Mapping[str, Any]) -> tuple[str, int]:
    window = params.get("conversion_window", DEFAULT_WINDOW)
    if not isinstance(window, Mapping):
        raise ValueError("conversion_window must be an object")
    unit = window.get("unit")
    if unit == "session":
        if window.get("value", 1) != 1:
            raise ValueError(f"a session conversion_window has value 1, got {window['value']!r}")
        return unit, 1
    if not isinstance(unit, str) or unit not in MAX_WINDOW:
        raise ValueError(f"conversion_window.unit must be day, week or month, got {unit!r}")
    return unit, whole(window.get("value"), "conversion_window.value", 1, MAX_WINDOW[unit])


def parse_spec(params: Any, today: dt.date) -> FlowSpec:
    """Check a saved flows report's `params` (relative ranges end `today`).

    Raises:
        ValueError: malformed params, or settings the emulator does not compute.
    """
    if not isinstance(params, Mapping):
        raise ValueError("the saved flows report has no params object")
    head, *later = _anchor_steps(params)
    event, forward, reverse, where = head.event, head.forward, head.reverse, head.where
    if params.get("segments"):
        raise ValueError(UNSUPPORTED.format(what="a breakdown (segments)"))
    narrowing = flow_filters.parse(params, event)
    if params.get("data_group_id") is not None:
        raise ValueError(UNSUPPORTED.format(what="a data group (data_group_id)"))
    count_type = params.get("count_type", "unique")
    if count_type not in ("unique", "total", "session"):
        raise ValueError(f"count_type must be unique, total or session, got {count_type!r}")
    hidden = params.get("hidden_events") or []
    if not isinstance(hidden, list) or not all(isinstance(h, str) for h in hidden):
        raise ValueError("hidden_events must be a list of event names")
    for step in (head, *later):
        if step.event in hidden:
            raise ValueError(f"the anchor event {step.event!r} is in hidden_events")
    collapse = params.get("collapse_repeated", False)
    if not isinstance(collapse, bool):
        raise ValueError(f"collapse_repeated must be true or false, got {collapse!r}")
    first, last = _date_range(params.get("date_range"), today)
    unit, value = _window(params)
    if count_type == "session" and unit != "session":
        raise ValueError("count_type 'session' needs a session conversion_window")
    cardinality = params.get("cardinality_threshold", 3)
    return FlowSpec(
        event=event,
        forward=forward,
        reverse=reverse,
        from_date=first,
        to_date=last,
        count_type=count_type,
        window_unit=unit,
        window_value=value,
        cardinality=whole(cardinality, "cardinality_threshold", 1, MAX_CARDINALITY),
        collapse_repeated=collapse,
        hidden_events=tuple(hidden),
        anchor_where=where,
        narrowing=narrowing,
        later=tuple(later),
    )


def sequences(frame: pl.DataFrame, spec: FlowSpec) -> pl.DataFrame:
    """Every user's events (`event`, `distinct_id`, `time`, `_pos` the row in `frame`) grouped
    by user, in time order, hidden events dropped and repeated runs collapsed as `spec` asks."""
    seq = frame.select("event", "distinct_id", "time").with_row_index("_pos")
    if spec.in_session:
        seq = seq.with_columns(s=sessions.ids(frame))
    if spec.hidden_events:
        hidden = pl.Series(list(spec.hidden_events), dtype=pl.String).implode()
        seq = seq.filter(~pl.col("event").is_in(hidden))
    seq = custom_columns.as_custom_events(seq, [step.event for step in spec.anchors])
    # A stable sort keeps the frame's time (then arrival) order within each user.
    seq = seq.sort("distinct_id", maintain_order=True)
    if spec.collapse_repeated:
        repeat = (pl.col("event") == pl.col("event").shift(1)) & (
            pl.col("distinct_id") == pl.col("distinct_id").shift(1)
        )
        seq = seq.filter(~repeat.fill_null(False))
    return seq


def allowed_anchors(
    frame: pl.DataFrame,
    spec: FlowSpec,
    timezone: str | None,
    now: dt.datetime,
    step: Anchor | None = None,
) -> pl.Series | None:
    """The frame positions of the anchor events that pass the step's filters (None: all); of
    the first step, or of a later `step` (whose events may follow the date range)."""
    where = spec.anchor_where if step is None else step.where
    if where is None:
        return None
    start_ms, end_ms = day_window_ms(spec.from_date, spec.to_date, timezone)
    end_ms += 0 if step is None else spec.window_ms
    rows = select_rows(frame, [spec.event if step is None else step.event], start_ms, end_ms)
    passing = evaluate(rows, where, "truth", now)
    return rows.column("_pos").filter(passing)


def paths(
    seq: pl.DataFrame,
    spec: FlowSpec,
    timezone: str | None,
    allowed: pl.Series | None = None,
    allowed_later: Sequence[pl.Series | None] = (),
) -> pl.DataFrame:
    """One row per path, columns `c0`.. (per anchor step: its furthest reverse step first)
    holding prefixed labels; only anchor events at `allowed` frame positions start one (every
    anchor when None), and a later anchor counts only at its `allowed_later` positions."""
    allowed_later = list(allowed_later) or [None] * len(spec.later)
    start_ms, end_ms = day_window_ms(spec.from_date, spec.to_date, timezone)
    anchors = seq.with_row_index("i").filter(
        (pl.col("event") == spec.event) & pl.col("time").is_between(start_ms, end_ms, "left")
    )
    if allowed is not None:
        anchors = anchors.filter(pl.col("_pos").is_in(allowed.implode()))
    if spec.count_type != "total":
        # Rows are in (user, time) order, so a user's first row is their first occurrence.
        first_of = ["distinct_id", *(["s"] if spec.count_type == "session" else [])]
        anchors = anchors.unique(subset=first_of, keep="first", maintain_order=True)
    base = anchors.select(
        pl.col("i").cast(pl.Int64), pl.col("distinct_id").alias("u0"), pl.col("time").alias("t0")
    )
    trace = _Trace(seq, base, spec)
    labels: list[pl.Series] = []
    origin: pl.Series = base["i"]
    for k, step in enumerate(spec.anchors):
        if k:
            origin = trace.next_anchor(origin, step, allowed_later[k - 1])
        for offset in range(-step.reverse, step.forward + 1):
            labels.append(trace.column(origin, offset, step.event))
    return pl.DataFrame({f"c{j}": column for j, column in enumerate(labels)})


class _Trace:
    """The events around each path's anchors: `base` holds each path's first anchor (`i` its
    row in `seq`, `u0` the user, `t0` the time)."""

    def __init__(self, seq: pl.DataFrame, base: pl.DataFrame, spec: FlowSpec) -> None:
        self.seq, self.base, self.span = seq, base, spec.window_ms
        self.session = seq["s"].gather(base["i"]) if spec.in_session else None

    def _near(self, pos: pl.Series) -> pl.Series:
        """Whether row `pos` (null: none) is the path's user's, in its window (and session)."""
        seq, n = self.seq, self.seq.height
        at = pos.fill_null(-1).clip(0, max(n - 1, 0))
        # Once a path leaves the user's block or the window it never comes back: blocks are
        # contiguous and times monotone, so a gathered row either qualifies or is a drop-off.
        near = pos.is_not_null() & (pos >= 0) & (pos < n)
        near = near & (seq["distinct_id"].gather(at) == self.base["u0"])
        near = near & ((seq["time"].gather(at) - self.base["t0"]).abs() <= self.span)
        if self.session is not None:  # a session is a contiguous run of its user's block too
            near = near & (seq["s"].gather(at) == self.session)
        return near.fill_null(False)

    def column(self, origin: pl.Series, offset: int, event: str) -> pl.Series:
        """The labels `offset` rows from each path's anchor at `origin` (null: not reached)."""
        if offset == 0:
            reached = pl.DataFrame({"o": origin}).select(pl.col("o").is_not_null()).to_series()
            return pl.select(
                pl.when(reached).then(pl.lit(ANCHOR + event)).otherwise(pl.lit(DROPOFF))
            ).to_series()
        pos = origin + offset
        events = self.seq["event"].gather(pos.fill_null(0).clip(0, max(self.seq.height - 1, 0)))
        frame = pl.DataFrame({"near": self._near(pos), "event": events})
        return frame.select(
            pl.when(pl.col("near"))
            .then(pl.lit(NORMAL) + pl.col("event"))
            .otherwise(pl.lit(DROPOFF))
        ).to_series()

    def next_anchor(self, origin: pl.Series, step: Anchor, allowed: pl.Series | None) -> pl.Series:
        """Each path's next `step` event after `origin` (its row, null when there is none in
        the path's window or session, or when `origin` is null)."""
        found = self.seq.with_row_index("i").filter(pl.col("event") == step.event)
        if allowed is not None:
            found = found.filter(pl.col("_pos").is_in(allowed.implode()))
        found = found.select(pl.col("i").cast(pl.Int64), pl.col("distinct_id").alias("u0"))
        probe = pl.DataFrame({"k": range(self.base.height), "u0": self.base["u0"],
                              "from": origin + 1}).filter(pl.col("from").is_not_null())  # fmt: skip
        hits = probe.sort("from").join_asof(
            found.sort("i"),
            left_on="from",
            right_on="i",
            by="u0",
            strategy="forward",
            check_sortedness=False,  # both sides are sorted by their key just above
        )
        at = pl.DataFrame({"k": range(self.base.height)}).join(
            hits.select("k", "i"), on="k", how="left", maintain_order="left"
        )["i"]
        return pl.select(pl.when(self._near(at)).then(at)).to_series()


def _prune(table: pl.DataFrame, column: str, keep: int) -> pl.DataFrame:
    """Merge all but the `keep` most frequent events of a column into the pruned node."""
    col = pl.col(column)
    ranked = (
        table.group_by(column)
        .len()
        .filter(col.str.starts_with(NORMAL))
        .sort(["len", column], descending=[True, False])
    )
    if ranked.height <= keep:
        return table
    kept = ranked[column].head(keep).implode()
    merged = pl.when(col.str.starts_with(NORMAL) & ~col.is_in(kept)).then(pl.lit(PRUNED))
    return table.with_columns(merged.otherwise(col).alias(column))


def pruned(
    frame: pl.DataFrame, spec: FlowSpec, timezone: str | None, now: dt.datetime
) -> pl.DataFrame:
    """The report's paths with each non-anchor column pruned to its most frequent events."""
    allowed = allowed_anchors(frame, spec, timezone, now)
    later = [allowed_anchors(frame, spec, timezone, now, step) for step in spec.later]
    table = paths(sequences(frame, spec), spec, timezone, allowed, later)
    for j, kind in enumerate(spec.column_kinds()):
        if kind != "NORMAL":  # anchor columns hold anchors and drop-offs only
            table = _prune(table, f"c{j}", spec.cardinality)
    return table


def sankey(
    frame: pl.DataFrame,
    spec: FlowSpec,
    *,
    timezone: str | None = "UTC",
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """The `flows_sankey` answer: `{computed_at, steps, flows, breakdowns,
    overallConversionRate, metadata}` for a report over a deduplicated, time-sorted frame."""
    moment = now or dt.datetime.now(dt.UTC)
    return sankey_of(pruned(frame, spec, timezone, moment), spec, moment)


def _conversion(table: pl.DataFrame, spec: FlowSpec) -> float:
    """The share of paths that reach the last anchor step (every path with one step)."""
    if not table.height:
        return 0.0
    last = f"c{len(spec.column_kinds()) - 1 - spec.anchors[-1].forward}"
    reached: float = table.select(pl.col(last).str.starts_with(ANCHOR).mean()).item()
    return reached


def sankey_of(table: pl.DataFrame, spec: FlowSpec, now: dt.datetime) -> dict[str, Any]:
    """The `flows_sankey` answer of a pruned path table."""
    moment = now
    return {
        "computed_at": moment.isoformat(),
        "steps": render(table, spec.column_kinds()) if table.height else [],
        "flows": [],
        "breakdowns": [],
        "overallConversionRate": _conversion(table, spec),
        "metadata": {
            "count_type": spec.count_type,
            "date_range": {
                "from_date": spec.from_date.isoformat(),
                "to_date": spec.to_date.isoformat(),
            },
            "conversion_window": {"unit": spec.window_unit, "value": spec.window_value},
            "cardinality_threshold": spec.cardinality,
            "collapse_repeated": spec.collapse_repeated,
            "hidden_events": list(spec.hidden_events),
        },
    }
