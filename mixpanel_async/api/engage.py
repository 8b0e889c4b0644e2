"""People profiles (engage query): `stream_profiles`."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

from mixpanel_async import validation
from mixpanel_async._generated.models import engage as models
from mixpanel_async._generated.operations import engage as ops
from mixpanel_async.api.base import Base
from mixpanel_async.exceptions import ParamValidationError
from mixpanel_async.streams import normalize_profile


def _profile_query(
    *,
    where: str | None,
    cohort_id: str | None,
    output_properties: list[str] | None,
    distinct_id: str | None,
    distinct_ids: list[str] | None,
    group_id: str | None,
    behaviors: list[dict[str, Any]] | None,
    as_of_timestamp: int | None,
    include_all_users: bool,
) -> dict[str, Any]:
    """Validate the peer's mutually exclusive options and build the engage query body."""
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
        output_properties = validation.names(output_properties, "output_properties")
    if where is not None:
        where = validation.text(where, "where")
    body: dict[str, Any] = {
        "where": where,
        "filter_by_cohort": {"id": cohort_id} if cohort_id else None,
        "output_properties": output_properties,
        "distinct_id": distinct_id,
        "distinct_ids": list(dict.fromkeys(distinct_ids)) if distinct_ids else None,
        "data_group_id": group_id,
        "behaviors": behaviors,
        "as_of_timestamp": as_of_timestamp,
        # Mixpanel defaults include_all_users to true: send it whenever a cohort is involved.
        "include_all_users": include_all_users if cohort_id else None,
    }
    return {k: v for k, v in body.items() if v is not None}


class EngageMixin(Base):
    async def stream_profiles(
        self,
        *,
        where: str | None = None,
        cohort_id: str | None = None,
        output_properties: list[str] | None = None,
        raw: bool = False,
        distinct_id: str | None = None,
        distinct_ids: list[str] | None = None,
        group_id: str | None = None,
        behaviors: list[dict[str, Any]] | None = None,
        as_of_timestamp: int | None = None,
        include_all_users: bool = False,
    ) -> AsyncIterator[dict[str, Any]]:
        """Stream profiles page by page (engage `session_id` paging).

        Yields the seed's normalised dicts (`distinct_id`, `last_seen`, `properties`), or
        Mixpanel's raw `{"$distinct_id", "$properties"}` with `raw=True`.

        Raises:
            ParamValidationError: conflicting options (the peer's AC2–AC6 checks), before any
                request.
        """
        body = _profile_query(
            where=where,
            cohort_id=cohort_id,
            output_properties=output_properties,
            distinct_id=distinct_id,
            distinct_ids=distinct_ids,
            group_id=group_id,
            behaviors=behaviors,
            as_of_timestamp=as_of_timestamp,
            include_all_users=include_all_users,
        )
        if distinct_ids is not None and not distinct_ids:
            return
        page, session_id = 0, None
        while True:
            page_body = {**body, "page": page}
            if session_id:
                page_body["session_id"] = session_id
            response: models.EngageQueryResponse = await self._transport.call(
                ops.query_profiles(body=page_body)
            )
            for profile in response.results:
                wire = {"$distinct_id": profile.distinct_id, "$properties": profile.properties}
                yield wire if raw else normalize_profile(wire)
            session_id = response.session_id
            size = response.page_size or len(response.results)
            if not response.results or not session_id or len(response.results) < size:
                return
            page += 1
