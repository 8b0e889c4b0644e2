"""Session replays: discovery and event joins (Insights queries over `$mp_session_record` and
`$mp_replay_id`), App API signing, and the signed CDN walk of a replay's files.

A replay's files are `{url}{NNNN}-{retention_days}.json?{query_string}` (NNNN from 0000),
fetched `cdn_concurrency` at a time without Mixpanel credentials; the first 404 ends the
recording (a 404 on the first file: `ReplayNotFoundError`), and a 403 means the signature
expired: the replay is signed again once (`SignedURLExpiredError` after that). `stream_replay`
holds at most one batch of files in memory.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

import orjson

from mixpanel_async._operation import LazyModule
from mixpanel_async.api import checks
from mixpanel_async.api.base import Base
from mixpanel_async.api.insights_query import post_bookmark
from mixpanel_async.api.replay_helpers import (
    DEFAULT_RETENTION,
    RECORD_EVENT,
    REPLAY_ID,
    RETENTION,
    RETENTIONS,
    SENSITIVE,
    env_of,
    event_properties_of,
    expired,
    not_found,
    replay_ids_of,
    series_rows,
    timestamp_of,
    unix_ms,
    window_of,
)
from mixpanel_async.exceptions import (
    APIError,
    MixpanelAsyncError,
    ParamValidationError,
    SessionReplayAccessError,
    UnsupportedReplayFormatError,
)

if TYPE_CHECKING:
    from mixpanel_async._generated.operations import replays as ops
    from mixpanel_async.reports import filters as reports_filters
    from mixpanel_async.reports import insights as reports_insights
    from mixpanel_async.results import insights_query as results_insights_query
    from mixpanel_async.results import replay_actions as results_replay_actions
    from mixpanel_async.results import replays as results_replays
    from mixpanel_async.results.insights_query import QueryResult
    from mixpanel_async.results.replays import (
        Replay,
        ReplayBundle,
        ReplayEnv,
        ReplayEvent,
        ReplaySummary,
        SignedReplay,
    )
else:
    ops = LazyModule("mixpanel_async._generated.operations.replays")
    reports_insights = LazyModule("mixpanel_async.reports.insights")
    results_replays = LazyModule("mixpanel_async.results.replays")
    results_insights_query = LazyModule("mixpanel_async.results.insights_query")
    results_replay_actions = LazyModule("mixpanel_async.results.replay_actions")
    reports_filters = LazyModule("mixpanel_async.reports.filters")


class ReplaysMixin(Base):
    """Session replays: find, sign, fetch, stream and analyze them."""

    async def _insights(self, events: str, **options: Any) -> QueryResult:
        params = reports_insights.insights_params(events, **options)
        return results_insights_query.QueryResult.from_answer(
            await post_bookmark(self, params, None, None), params
        )

    async def sign_replays(
        self, replay_ids: list[str], *, env: ReplayEnv = "prod"
    ) -> list[SignedReplay]:
        """Sign replays for reading their files from the CDN (valid 5 minutes), in order.

        Raises:
            ParamValidationError: empty or non-text ids, a bad `env` (before any request).
            SessionReplayAccessError: the project hides replays with sensitive data from this
                account (a 403 naming `SESSION_RECORDING_SENSITIVE_DATA`).
            APIError: Mixpanel refused otherwise.
        """
        ids, kind = replay_ids_of(replay_ids, "replay_ids"), env_of(env)
        body = {"replays": [{"replay_id": i, "replay_env": kind} for i in ids]}
        signed_at = time.time()
        try:
            answer = await self._call(ops.sign_replays, body=body)
        except APIError as exc:
            if exc.status_code == 403 and SENSITIVE in str(exc.response_body):
                raise SessionReplayAccessError(
                    str(exc), status_code=403, response_body=exc.response_body,
                    request_method=exc.request_method, request_url=exc.request_url,
                ) from exc  # fmt: skip
            raise
        return [
            results_replays.SignedReplay(s.replay_id, s.url, s.query_string, kind, signed_at)
            for s in answer
        ]

    async def sign_replay(self, replay_id: str, *, env: ReplayEnv = "prod") -> SignedReplay:
        """Sign one replay (see `sign_replays`)."""
        return (await self.sign_replays([checks.text(replay_id, "replay_id")], env=env))[0]

    async def list_replays(
        self,
        *,
        distinct_id: str | None = None,
        replay_ids: list[str] | None = None,
        from_date: str | None = None,
        to_date: str | None = None,
        limit: int = 100,
    ) -> list[ReplaySummary]:
        """Replays of one user in a date window, or the summaries of given replay ids.

        Raises:
            ParamValidationError: not exactly one of `distinct_id` and `replay_ids`, a
                `distinct_id` without both dates, bad dates or `limit` (before any request).
            QueryError: the Insights query failed.
        """
        if (distinct_id is None) == (not replay_ids):
            raise ParamValidationError(
                "list_replays takes exactly one of distinct_id or replay_ids",
                param="distinct_id", code="WR4_REPLAY_SELECTOR_REQUIRED",
            )  # fmt: skip
        if distinct_id is not None and (from_date is None or to_date is None):
            raise ParamValidationError(
                "list_replays(distinct_id=...) needs from_date and to_date",
                param="from_date", code="WR5_DATE_RANGE_REQUIRED",
            )  # fmt: skip
        limit = checks.int_range(limit, "limit", 1)
        if distinct_id is not None:
            where = reports_filters.Filter.equals(
                "$distinct_id", checks.text(distinct_id, "distinct_id")
            )
        else:
            where = reports_filters.Filter.equals(
                REPLAY_ID, replay_ids_of(replay_ids, "replay_ids")
            )
        result = await self._insights(
            RECORD_EVENT, group_by=[REPLAY_ID, RETENTION], where=where, math="min",
            math_property="$time", mode="table", **window_of(from_date, to_date),
        )  # fmt: skip
        project_id = int(self.session.project_id)
        found: dict[str, ReplaySummary] = {}
        for row in series_rows(result.series, [REPLAY_ID, RETENTION]):
            replay_id, start = str(row[REPLAY_ID]), unix_ms(row["value"])
            if not replay_id or replay_id in found or start <= 0:
                continue
            retention = int(row[RETENTION]) if row[RETENTION] in {str(r) for r in RETENTIONS} \
                else DEFAULT_RETENTION  # fmt: skip
            found[replay_id] = results_replays.ReplaySummary(
                replay_id, distinct_id, project_id, start, retention
            )
            if len(found) == limit:
                break
        return list(found.values())

    async def events_for_replays(
        self,
        replay_ids: list[str],
        *,
        event_properties: list[str] | None = None,
        from_date: str | None = None,
        to_date: str | None = None,
    ) -> dict[str, list[ReplayEvent]]:
        """The Mixpanel events tracked during each replay, by replay id, in time order.

        Raises:
            ParamValidationError: bad ids, more than 5 `event_properties`, bad dates.
            QueryError: the Insights query failed.
        """
        ids = [] if replay_ids == [] else checks.names(replay_ids, "replay_ids")
        extra = event_properties_of(event_properties)
        window = window_of(from_date, to_date)
        if not ids:
            return {}
        keys = ["$time", "$event_name", REPLAY_ID, *extra]
        where = [
            reports_filters.Filter.equals(REPLAY_ID, ids),
            reports_filters.Filter.not_equals("$event_name", RECORD_EVENT),
        ]
        result = await self._insights(
            "$all_events", group_by=keys, where=where, mode="table", **window
        )
        out: dict[str, list[ReplayEvent]] = {}
        for row in series_rows(result.series, keys):
            seconds = unix_ms(row["$time"]) // 1000
            if seconds <= 0:
                continue
            props = {name: row[name] for name in extra} if extra else None
            replay_id = str(row[REPLAY_ID])
            event = results_replays.ReplayEvent(replay_id, str(row["$event_name"]), seconds, props)
            out.setdefault(replay_id, []).append(event)
        for events in out.values():
            events.sort(key=lambda e: e.event_time)
        return out

    async def events_for_replay(
        self,
        replay_id: str,
        *,
        event_properties: list[str] | None = None,
        from_date: str | None = None,
        to_date: str | None = None,
    ) -> list[ReplayEvent]:
        """The Mixpanel events tracked during one replay (see `events_for_replays`)."""
        replay_id = checks.text(replay_id, "replay_id")
        found = await self.events_for_replays(
            [replay_id], event_properties=event_properties, from_date=from_date, to_date=to_date
        )
        return found.get(replay_id, [])

    async def _retention(self, replay_id: str, retention_days: int | None) -> int:
        if retention_days is not None:
            return retention_days
        summaries = await self.list_replays(replay_ids=[replay_id])
        return summaries[0].retention_days if summaries else DEFAULT_RETENTION

    async def stream_replay(
        self,
        replay_id: str,
        *,
        env: ReplayEnv = "prod",
        retention_days: int | None = None,
        max_files: int = 500,
        re_sign_on_expiry: bool = True,
        cdn_concurrency: int = 50,
    ) -> AsyncIterator[dict[str, Any]]:
        """A replay's rrweb events as they are fetched (file by file, each in time order),
        holding at most `cdn_concurrency` files in memory.

        Raises:
            ParamValidationError: a bad argument (before any request).
            ReplayNotFoundError: the replay has no files.
            SignedURLExpiredError: the CDN refused the signature (after one re-sign).
            UnsupportedReplayFormatError: the recording is not rrweb events.
        """
        replay_id, kind = checks.text(replay_id, "replay_id"), env_of(env)
        if retention_days is not None and retention_days not in RETENTIONS:
            raise ParamValidationError(
                f"retention_days must be one of {RETENTIONS}, got {retention_days!r}",
                param="retention_days",
            )
        max_files = checks.int_range(max_files, "max_files", 1)
        cdn_concurrency = checks.int_range(cdn_concurrency, "cdn_concurrency", 1)
        re_sign = checks.flag(re_sign_on_expiry, "re_sign_on_expiry")
        retention = await self._retention(replay_id, retention_days)
        signed = await self.sign_replay(replay_id, env=kind)
        checked = False
        for first in range(0, max_files, cdn_concurrency):
            numbers = range(first, min(first + cdn_concurrency, max_files))
            files = await self._cdn_batch(signed, numbers, retention)
            if any(status == 403 for status, _ in files):
                if not re_sign:
                    raise expired(replay_id)
                signed = await self.sign_replay(replay_id, env=kind)
                re_sign = False
                files = await self._cdn_batch(signed, numbers, retention)
                if any(status == 403 for status, _ in files):
                    raise expired(replay_id)
            for number, (status, events) in zip(numbers, files, strict=True):
                if status == 404:
                    if number == 0:
                        raise not_found(replay_id, retention)
                    return
                batch = [e for e in events if isinstance(e, dict)]
                if not checked and batch:
                    checked = True
                    if not {"type", "data", "timestamp"} <= batch[0].keys():
                        raise UnsupportedReplayFormatError(
                            f"replay {replay_id} is not rrweb events: its first event lacks "
                            "type, data and timestamp"
                        )
                for event in sorted(batch, key=timestamp_of):
                    yield event

    async def _cdn_batch(
        self, signed: SignedReplay, numbers: range, retention: int
    ) -> list[tuple[int, list[Any]]]:
        """GET files `numbers` of a signed replay at once: (status, events) each, in order."""
        http = self._transport.http()

        async def one(number: int) -> tuple[int, list[Any]]:
            url = f"{signed.url}{number:04d}-{retention}.json?{signed.query_string}"
            async with http.get(url) as response:
                if response.status in (403, 404):
                    return response.status, []
                body = await response.read()
            if response.status != 200:
                raise MixpanelAsyncError(
                    f"CDN file {number:04d} of replay {signed.replay_id} answered "
                    f"{response.status}", code="CDN_UNEXPECTED_STATUS",
                )  # fmt: skip
            try:
                events = orjson.loads(body)
            except orjson.JSONDecodeError as exc:
                raise MixpanelAsyncError(
                    f"CDN file {number:04d} is not JSON: {exc}", code="CDN_INVALID_RESPONSE"
                ) from None
            return 200, events if isinstance(events, list) else []

        return list(await asyncio.gather(*(one(n) for n in numbers)))

    async def fetch_replay(
        self,
        replay_id: str,
        *,
        distinct_id: str | None = None,
        env: ReplayEnv = "prod",
        retention_days: int | None = None,
        max_files: int = 500,
        include_mixpanel_events: bool = False,
        event_properties: list[str] | None = None,
        cdn_concurrency: int = 50,
    ) -> Replay:
        """A whole replay: its rrweb events, the user actions in them and, with
        `include_mixpanel_events`, the Mixpanel events tracked meanwhile.

        Raises:
            As `stream_replay`; `ReplayNotFoundError` too when no event has a timestamp.
        """
        include = checks.flag(include_mixpanel_events, "include_mixpanel_events")
        extra = event_properties_of(event_properties)
        retention = await self._retention(checks.text(replay_id, "replay_id"), retention_days)
        events = [e async for e in self.stream_replay(
            replay_id, env=env, retention_days=retention, max_files=max_files,
            cdn_concurrency=cdn_concurrency,
        )]  # fmt: skip
        stamps = [t for t in map(timestamp_of, events) if t > 0]
        if not stamps:
            raise not_found(replay_id, retention)
        start, end = min(stamps), max(stamps)
        mixpanel_events: list[ReplayEvent] = []
        if include:
            day: Callable[[int], str] = lambda ms: dt.datetime.fromtimestamp(  # noqa: E731
                ms / 1000, dt.UTC
            ).strftime("%Y-%m-%d")
            mixpanel_events = await self.events_for_replay(
                replay_id, event_properties=extra, from_date=day(start), to_date=day(end)
            )
        return results_replays.Replay(
            replay_id, distinct_id, int(self.session.project_id), start, end, retention,
            events, results_replay_actions.read_actions(events), mixpanel_events,
        )  # fmt: skip

    async def fetch_replays(
        self,
        replay_ids: list[str],
        *,
        env: ReplayEnv = "prod",
        max_files: int = 500,
        include_mixpanel_events: bool = False,
        event_properties: list[str] | None = None,
        concurrency: int = 4,
        cdn_concurrency: int = 50,
        retention_by_id: dict[str, int] | None = None,
        distinct_id_by_id: dict[str, str] | None = None,
    ) -> ReplayBundle:
        """Several replays, `concurrency` at a time; one that fails is left out (all failing
        raises the first failure).

        Raises:
            ParamValidationError: a bad argument (before any request).
        """
        ids = replay_ids_of(replay_ids, "replay_ids")
        gate = asyncio.Semaphore(checks.int_range(concurrency, "concurrency", 1))
        retention_by_id, distinct_id_by_id = retention_by_id or {}, distinct_id_by_id or {}
        extra = event_properties_of(event_properties)

        async def one(replay_id: str) -> Replay:
            async with gate:
                return await self.fetch_replay(
                    replay_id, distinct_id=distinct_id_by_id.get(replay_id), env=env,
                    retention_days=retention_by_id.get(replay_id), max_files=max_files,
                    include_mixpanel_events=include_mixpanel_events, event_properties=extra,
                    cdn_concurrency=cdn_concurrency,
                )  # fmt: skip

        outcomes = await asyncio.gather(*(one(i) for i in ids), return_exceptions=True)
        replays = [o for o in outcomes if isinstance(o, results_replays.Replay)]
        failures = [o for o in outcomes if isinstance(o, BaseException)]
        if failures and not replays:
            raise failures[0]
        return results_replays.ReplayBundle(
            replays, dt.datetime.now(dt.UTC).isoformat(), int(self.session.project_id)
        )

    async def replays_for_user(
        self,
        distinct_id: str,
        *,
        from_date: str,
        to_date: str,
        limit: int = 20,
        include_mixpanel_events: bool = True,
        event_properties: list[str] | None = None,
    ) -> ReplayBundle:
        """A user's replays in a date window, fetched (see `list_replays`, `fetch_replays`)."""
        summaries = await self.list_replays(
            distinct_id=distinct_id, from_date=from_date, to_date=to_date, limit=limit
        )
        if not summaries:
            return results_replays.ReplayBundle([], dt.datetime.now(dt.UTC).isoformat(),
                                int(self.session.project_id))  # fmt: skip
        return await self.fetch_replays(
            [s.replay_id for s in summaries],
            include_mixpanel_events=include_mixpanel_events,
            event_properties=event_properties,
            retention_by_id={s.replay_id: s.retention_days for s in summaries},
            distinct_id_by_id={s.replay_id: distinct_id for s in summaries},
        )

    async def analyze_replay(self, replay_id: str) -> str:
        """A replay's action timeline as Markdown (`fetch_replay(...).summary_markdown`)."""
        return (await self.fetch_replay(replay_id)).summary_markdown
