"""People profiles (engage): `stream_profiles`, and the seed's user queries `query_user`,
`build_user_params`, `run_user_params` (profiles pages, or an aggregate from `/stats`)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import math
import time
from collections.abc import AsyncIterator, Mapping
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

import attrs

from mixpanel_async._gc import paused_gc
from mixpanel_async.api import checks
from mixpanel_async.api.base import Base
from mixpanel_async.bulk.partitions import concurrency_for, ordered
from mixpanel_async.exceptions import (
    MixpanelConnectionError,
    MixpanelTimeoutError,
    ParamValidationError,
    QueryError,
    ResponseValidationError,
)
from mixpanel_async.transport import codec

if TYPE_CHECKING:
    from mixpanel_async.transport.session import Transport

from typing import TYPE_CHECKING

from mixpanel_async._operation import LazyModule

if TYPE_CHECKING:
    from mixpanel_async._generated.models import engage as models
    from mixpanel_async._generated.operations import engage as ops
    from mixpanel_async.bulk import jsonl as bulk_jsonl
    from mixpanel_async.bulk import tabular as bulk_tabular
    from mixpanel_async.reports import users as reports
    from mixpanel_async.reports.users import UserQuery
    from mixpanel_async.results import engage as results_engage
    from mixpanel_async.results.engage import UserQueryResult
else:
    models = LazyModule("mixpanel_async._generated.models.engage")
    ops = LazyModule("mixpanel_async._generated.operations.engage")
    reports = LazyModule("mixpanel_async.reports.users")
    bulk_tabular = LazyModule("mixpanel_async.bulk.tabular")
    results_engage = LazyModule("mixpanel_async.results.engage")
    bulk_jsonl = LazyModule("mixpanel_async.bulk.jsonl")

log = logging.getLogger("mixpanel_async")

MANY_PAGES = 48
"""Above this many pages, a parallel user query warns: Mixpanel allows about 60 engage queries
an hour."""
PAGE_FAILURES = (ResponseValidationError, MixpanelConnectionError, MixpanelTimeoutError)
"""What makes a parallel user query skip a page (listed in `meta["failed_pages"]`) rather
than fail: an unreadable answer or a broken connection. Mixpanel's own refusals (auth, rate
limit, server and query errors) still fail the query."""
PAGE_CONCURRENCY = 32
"""Engage pages in flight by default (pages are small; Mixpanel's engage limit, 5 at once,
caps this against the real service)."""


class ProfileFilters(TypedDict, total=False):
    """Which profiles a profile query answers: the filter keywords of `stream_profiles`,
    `stream_profile_batches`, `export_profiles` and `export_profiles_to_parquet`.

    Attributes:
        where: A profile filter expression.
        cohort_id: Only this cohort's members.
        output_properties: Only these properties of each profile.
        distinct_id: Only this user (not with `distinct_ids`).
        distinct_ids: Only these users; an empty list matches nothing.
        group_id: Group profiles of this data group instead of users.
        behaviors: Behavioral filters (not with `cohort_id`).
        as_of_timestamp: Profiles as they were at this past Unix time.
        include_all_users: With `cohort_id`, also users without a profile.
    """

    where: str | None
    cohort_id: str | None
    output_properties: list[str] | None
    distinct_id: str | None
    distinct_ids: list[str] | None
    group_id: str | None
    behaviors: list[dict[str, Any]] | None
    as_of_timestamp: int | None
    include_all_users: bool


def profile_query(filters: ProfileFilters) -> dict[str, Any] | None:
    """Validate the peer's mutually exclusive options and build the engage query body (before
    any request); None when nothing can match (an empty `distinct_ids`).

    Raises:
        TypeError: a keyword that is not a profile filter.
        ParamValidationError: conflicting or malformed options (the peer's AC2–AC6 checks).
    """
    unknown = sorted(filters.keys() - ProfileFilters.__optional_keys__)
    if unknown:
        raise TypeError(f"got an unexpected keyword argument {unknown[0]!r}")
    where, cohort_id = filters.get("where"), filters.get("cohort_id")
    distinct_id, distinct_ids = filters.get("distinct_id"), filters.get("distinct_ids")
    behaviors, as_of_timestamp = filters.get("behaviors"), filters.get("as_of_timestamp")
    output_properties = filters.get("output_properties")
    include_all_users = filters.get("include_all_users", False)
    if distinct_id is not None and distinct_ids is not None:
        raise ParamValidationError(
            "distinct_id and distinct_ids are mutually exclusive; pass one",
            param="distinct_ids",
            code="AC2_DISTINCT_ID_CONFLICT",
        )
    if behaviors is not None and cohort_id is not None:
        raise ParamValidationError(
            "behaviors and cohort_id are mutually exclusive",
            param="behaviors",
            code="AC3_BEHAVIORS_COHORT_CONFLICT",
        )
    if include_all_users and cohort_id is None:
        raise ParamValidationError(
            "include_all_users requires cohort_id",
            param="include_all_users",
            code="AC4_INCLUDE_ALL_USERS_REQUIRES_COHORT",
        )
    if behaviors is not None and not isinstance(behaviors, list):
        raise ParamValidationError(
            "behaviors must be a list of behavioral filter dicts",
            param="behaviors",
            code="AC5_BEHAVIORS_NOT_LIST",
        )
    if as_of_timestamp is not None and as_of_timestamp > time.time():
        raise ParamValidationError(
            "as_of_timestamp must be in the past",
            param="as_of_timestamp",
            code="AC6_AS_OF_TIMESTAMP_FUTURE",
        )
    if output_properties is not None:
        output_properties = checks.names(output_properties, "output_properties")
    where = checks.optional_text(where, "where")
    if distinct_ids is not None and not distinct_ids:
        return None
    body: dict[str, Any] = {
        "where": where,
        "filter_by_cohort": {"id": cohort_id} if cohort_id else None,
        "output_properties": output_properties,
        "distinct_id": distinct_id,
        "distinct_ids": list(dict.fromkeys(distinct_ids)) if distinct_ids else None,
        "data_group_id": filters.get("group_id"),
        "behaviors": behaviors,
        "as_of_timestamp": as_of_timestamp,
        # Mixpanel defaults include_all_users to true: send it whenever a cohort is involved.
        "include_all_users": include_all_users if cohort_id else None,
    }
    return {k: v for k, v in body.items() if v is not None}


@attrs.frozen
class _PageHead:
    session_id: str | None
    total: int | None
    page_size: int | None
    count: int


def _head(raw: bytes) -> tuple[_PageHead, list[Any]]:
    try:
        data = codec.loads(raw)
    except ValueError as exc:
        raise ResponseValidationError(f"an engage page is not JSON: {raw[:200]!r}") from exc
    if not isinstance(data, dict):
        raise ResponseValidationError(f"an engage page is not a JSON object: {raw[:200]!r}")
    results = data.get(bulk_tabular.RESULTS) or []
    page = models.EngageQueryResponse
    total = data.get(codec.wire_name(page, "total"))
    size = data.get(codec.wire_name(page, "page_size"))
    head = _PageHead(
        session_id=data.get(codec.wire_name(page, "session_id")) or None,
        total=total if isinstance(total, int) else None,
        page_size=size if isinstance(size, int) and size > 0 else None,
        count=len(results),
    )
    return head, results


async def profile_pages(
    transport: Transport, body: Mapping[str, Any], concurrency: int | None = None
) -> AsyncIterator[bytes]:
    """The raw body of every page of a profile query, in order.

    Page 0 gives the `session_id` and `total`; the remaining pages are then fetched
    concurrently (at most `concurrency` at once, within the engage family's limit) and handed
    back in page order. Without a `total`, pages are walked one by one until a short page.
    """
    template = models.EngageQueryRequest(**{"include_all_users": None, **body})
    family = transport.limiters.limits.get(ops.QUERY_PROFILES.rate_limit)
    cap = family.concurrency if family else None
    width = concurrency_for(cap, PAGE_CONCURRENCY if concurrency is None else concurrency)

    async def page(number: int, session_id: str | None) -> bytes:
        request = ops.query_profiles(
            body=attrs.evolve(template, page=number, session_id=session_id)
        )
        _, raw, _ = await transport.send(transport.prepare(request))
        return raw

    first = await page(0, None)
    head, _ = _head(first)
    yield first
    session_id = head.session_id
    if not session_id or head.count == 0:
        return
    if head.total is not None and head.page_size:
        remaining = range(1, math.ceil(head.total / head.page_size))
        async for raw in ordered(remaining, lambda n: page(n, session_id), width):
            # A request for a later page has just been started; one turn of the event loop
            # sends it before the caller spends its time on this page, instead of after.
            await asyncio.sleep(0)
            yield raw
        return
    number, size, count = 0, head.page_size or head.count, head.count
    while count >= size:
        number += 1
        raw = await page(number, session_id)
        count = _head(raw)[0].count
        yield raw


class EngageMixin(Base):
    """Reading people profiles."""

    async def stream_profiles(
        self,
        *,
        raw: bool = False,
        concurrency: int | None = None,
        **filters: Unpack[ProfileFilters],
    ) -> AsyncIterator[dict[str, Any]]:
        """Stream profiles page by page (engage `session_id` paging).

        Yields the seed's normalised dicts (`distinct_id`, `last_seen`, `properties`), or
        Mixpanel's raw `{"$distinct_id", "$properties"}` with `raw=True`. After the first page,
        the others are fetched `concurrency` at a time (default 32, within the engage limit)
        and yielded in order.

        Args:
            raw: Yield Mixpanel's records as they are.
            concurrency: Pages in flight at once after the first.
            **filters: Which profiles (see `ProfileFilters`).

        Raises:
            ParamValidationError: conflicting options (the peer's AC2–AC6 checks), before any
                request.
        """
        body = profile_query(filters)
        if body is None:
            return
        async for page in profile_pages(self._transport, body, concurrency):
            # A page at a time, with the collector held off: decoding a page makes a thousand
            # dicts at once, and collections triggered by them would rescan every profile the
            # caller has kept so far.
            with paused_gc():
                profiles = _head(page)[1]
                if not raw:
                    # The raw records are dropped here, before the collector is back on: what
                    # it then finds is only the normalised dicts the caller receives.
                    profiles = list(map(bulk_jsonl.normalize_profile, profiles))
            for profile in profiles:
                yield profile

    def build_user_params(self, **query: Unpack[UserQuery]) -> dict[str, Any]:
        """The engage params `query_user` would send, checked, without a request (not awaited).

        Raises:
            BookmarkValidationError: the arguments break the seed's U* rules (all listed).
        """
        return reports.build_user_params(query)

    async def query_user(self, **query: Unpack[UserQuery]) -> UserQueryResult:
        """Profiles (`mode="profiles"`) or an aggregate over them (`mode="aggregate"`, the
        default: `count`, `extremes`, `percentile`, `numeric_summary`, per cohort with
        `segment_by`); the keywords are `UserQuery`'s, with the seed's defaults. `where`
        takes `Filter`s (turned into the selector the seed writes; `Filter.in_cohort` becomes
        the cohort) or a selector string; `cohort` an id or a `CohortDefinition`.

        Returns:
            `UserQueryResult` with `profiles` or `aggregate_data`, `total` and `.df`.

        Raises:
            BookmarkValidationError: bad arguments (the seed's U* rules; `U_FILTER` for a
                filter the selector cannot express), before any request.
            ParamValidationError: a malformed filter or cohort definition, when built.
            QueryError: Mixpanel refused the query.
        """
        params = reports.build_user_params(query)
        args = reports.with_defaults(query)
        return await self.run_user_params(
            params, limit=args["limit"], parallel=args["parallel"], workers=args["workers"]
        )

    async def run_user_params(
        self,
        params: dict[str, Any],
        *,
        limit: int | None = 1,
        parallel: bool = False,
        workers: int = 5,
    ) -> UserQueryResult:
        """Run engage params (normally from `build_user_params`): an aggregate when they hold
        an `action`, else profiles (at most `limit`, None for all; pages fetched `workers` at
        a time with `parallel`).

        Raises:
            ParamValidationError: `params` not a dict, bad `limit` or `workers` (no request).
            QueryError: Mixpanel refused the query.
        """
        if not isinstance(params, dict):
            raise ParamValidationError("params must be an engage params dict", param="params")
        if limit is not None:
            checks.int_range(limit, "limit", 1)
        checks.int_range(workers, "workers", 1, reports.MAX_WORKERS)
        if "action" in params:
            return await self._user_aggregate(params)
        fields = {
            f.name: reports.decoded(params, f.name)
            for f in attrs.fields(models.EngageQueryRequest)
            if f.name in params
        }
        template = models.EngageQueryRequest(
            **{"include_all_users": None, **fields, "limit": limit}
        )
        found, meta = await _user_pages(self._transport, template, limit, parallel, workers)
        return results_engage.UserQueryResult(
            computed_at=dt.datetime.now(dt.UTC).isoformat(),
            total=len(found),
            profiles=found,
            params=params,
            meta=meta,
            mode="profiles",
        )

    async def _user_aggregate(self, params: dict[str, Any]) -> UserQueryResult:
        fields = {
            f.name: reports.decoded(params, f.name)
            for f in attrs.fields(models.EngageStatsRequest)
            if f.name in params
        }
        if "where" in params:  # the seed's params say `where`; /stats calls it the selector
            fields["selector"] = params["where"]
        body = models.EngageStatsRequest(**{"include_all_users": None, **fields})
        raw = await self._transport.call_as_sent(ops.query_profile_stats(body=body))
        data = raw.get(bulk_tabular.RESULTS)
        if "error" in raw:
            raise QueryError(
                f"user query failed: {raw['error']}", status_code=200, response_body=raw
            )
        action = params.get("action")
        return results_engage.UserQueryResult(
            computed_at=str(raw.get("computed_at") or dt.datetime.now(dt.UTC).isoformat()),
            total=int(data) if action == "count()" and isinstance(data, (int, float)) else 0,
            params=params,
            meta={"action": action, "segmented": "segment_by_cohorts" in params},
            mode="aggregate",
            aggregate_data=data,
        )


async def _user_pages(
    transport: Transport,
    template: models.EngageQueryRequest,
    limit: int | None,
    parallel: bool,
    workers: int,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The profiles of a user query, normalised, at most `limit`; and how they were fetched.

    Page 0 first; then either one page after another until `limit`, a short page or the
    end, or (`parallel`, `limit` not 1) every page the `total` calls for, `workers` at once:
    a warning above `MANY_PAGES`, and a page that fails with one of `PAGE_FAILURES` is left
    out and listed in `failed_pages` (as the seed does).
    """

    async def page(number: int, session_id: str | None) -> tuple[_PageHead, list[Any]]:
        request = ops.query_profiles(
            body=attrs.evolve(template, page=number, session_id=session_id)
        )
        _, raw, _ = await transport.send(transport.prepare(request))
        return _head(raw)

    head, results = await page(0, None)
    found = list(map(bulk_jsonl.normalize_profile, results))
    session_id, pages = head.session_id, 1
    size = head.page_size or head.count

    def wanted() -> bool:
        return limit is None or len(found) < limit

    parallel = parallel and limit != 1
    failed: list[int] = []
    if parallel and session_id and head.total is not None and size:
        needed = math.ceil((head.total if limit is None else min(limit, head.total)) / size)
        if needed > MANY_PAGES:
            log.warning(
                "fetching %d engage pages may meet Mixpanel's rate limit (about 60 engage "
                "queries an hour)",
                needed,
            )

        async def attempt(number: int) -> list[Any]:
            try:
                return (await page(number, session_id))[1]
            except PAGE_FAILURES as exc:
                log.warning("engage page %d failed (%s); it is left out", number, exc)
                failed.append(number)
                return []

        async for more in ordered(range(1, needed), attempt, workers):
            found.extend(map(bulk_jsonl.normalize_profile, more))
        pages = max(needed, 1) - len(failed)
    else:
        while session_id and results and len(results) >= size and wanted():
            head, results = await page(pages, session_id)
            found.extend(map(bulk_jsonl.normalize_profile, results))
            pages += 1
    meta: dict[str, Any] = {"session_id": session_id, "pages_fetched": pages, "parallel": parallel}
    if parallel:
        meta.update(failed_pages=sorted(failed), workers=workers)
    return found[:limit], meta
