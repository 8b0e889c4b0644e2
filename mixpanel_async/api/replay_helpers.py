"""What the replay members share: the names and limits of replay discovery, argument checks,
reading Insights `series` tables, and the errors of a recording's CDN walk."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, get_args

from mixpanel_async._operation import LazyModule
from mixpanel_async.api import checks
from mixpanel_async.exceptions import (
    ParamValidationError,
    ReplayNotFoundError,
    SignedURLExpiredError,
)

if TYPE_CHECKING:
    from mixpanel_async.results import replays as results_replays
    from mixpanel_async.results.replays import ReplayEnv
else:
    results_replays = LazyModule("mixpanel_async.results.replays")

RECORD_EVENT = "$mp_session_record"
REPLAY_ID = "$mp_replay_id"
RETENTION = "$mp_replay_retention_period"
RETENTIONS = (1, 7, 30, 90)
DEFAULT_RETENTION = 30
LOOKBACK_DAYS = 90  # the longest retention: a window-less query covers every live replay
MAX_EVENT_PROPERTIES = 5
SENSITIVE = "SESSION_RECORDING_SENSITIVE_DATA"


def env_of(env: Any) -> ReplayEnv:
    """`env` checked: `prod` or `dev`."""
    if env not in get_args(results_replays.ReplayEnv):
        raise ParamValidationError(f"env must be one of prod, dev, got {env!r}", param="env")
    value: ReplayEnv = env
    return value


def replay_ids_of(values: Any, name: str) -> list[str]:
    """A non-empty list of replay ids, checked (`name` is the argument reported)."""
    ids = checks.names(values, name)
    if not ids:
        raise ParamValidationError(f"{name} must not be empty", param=name)
    return ids


def window_of(from_date: str | None, to_date: str | None) -> dict[str, Any]:
    """`from_date`/`to_date` when both are given (checked), else the last 90 days."""
    if from_date is None or to_date is None:
        return {"last": LOOKBACK_DAYS}
    start, end = checks.date_range(from_date, to_date)
    return {"from_date": start.isoformat(), "to_date": end.isoformat()}


def event_properties_of(values: list[str] | None) -> list[str]:
    """`event_properties` checked: at most 5 names (none: an empty list)."""
    names = [] if values is None or values == [] else checks.names(values, "event_properties")
    if len(names) > MAX_EVENT_PROPERTIES:
        raise ParamValidationError(
            f"event_properties takes at most {MAX_EVENT_PROPERTIES} names, got {len(names)}",
            param="event_properties",
        )
    return names


def unix_ms(value: Any) -> int:
    """A `$time` cell (Unix seconds or ms, or ISO text) as Unix ms; 0 when unreadable."""
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            try:
                parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                return 0
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=dt.UTC)
            return int(parsed.timestamp() * 1000)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if value > 10**12 else int(value * 1000)
    return 0


def leaf(node: Any) -> Any:
    """A series leaf's value (`{"all": v}` gives v)."""
    return node.get("all") if isinstance(node, dict) else node


def series_rows(series: dict[str, Any], keys: list[str]) -> list[dict[str, Any]]:
    """A nested `series` (`{metric: {key1: {key2: ... {"all": v}}}}`) as flat rows."""
    rows: list[dict[str, Any]] = []

    def walk(node: dict[str, Any], depth: int, row: dict[str, Any]) -> None:
        if depth == len(keys):
            rows.append({**row, "value": leaf(node)})
            return
        for key, child in node.items():
            if key != "$overall" and isinstance(child, dict):
                walk(child, depth + 1, {**row, keys[depth]: key})

    for metric in series.values():
        if isinstance(metric, dict):
            walk(metric, 0, {})
    return rows


def timestamp_of(event: dict[str, Any]) -> int:
    """An rrweb event's Unix-ms timestamp (0 when it has none)."""
    value = event.get("timestamp")
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0


def not_found(replay_id: str, retention: int) -> ReplayNotFoundError:
    """The error for a replay with no recording files."""
    return ReplayNotFoundError(
        f"replay {replay_id} has no recording files (never recorded, deleted, or older than "
        f"its {retention}-day retention)",
        status_code=404,
    )


def expired(replay_id: str) -> SignedURLExpiredError:
    """The error for a signature the CDN refused even after signing again."""
    return SignedURLExpiredError(
        f"the signed URL of replay {replay_id} expired (5 minutes): sign it again",
        status_code=403,
    )
