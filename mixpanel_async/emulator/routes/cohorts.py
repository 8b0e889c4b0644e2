"""Emulator routes for openapi/cohorts.yaml: saved cohorts.

Every cohorts.yaml operation (list, filtered by `data_group_id` or `ids`; create; get; update;
delete; bulk delete; bulk update) is a standard entity action (`entity_routes.py`) over
`ProjectState.cohorts` (the spec's `store: cohorts`), so this module registers no handler of its
own yet: a cohort operation that needs more than the standard actions gets its handler (or a
`PREPARE["cohort"]` hook) here.

The same list is what other families read: the query host's `POST /cohorts/list`
(routes/discovery.py, through `route_helpers.cohort_summary`) and engage's `filter_by_cohort`
and `segment_by_cohorts` (routes/engage.py, through `route_helpers.cohort_by_id`;
`engine.profiles.members` works out who is in one). A cohort is `{id, name, description, count,
is_visible, created, ...}` plus its definition: a literal `distinct_ids` list or a `where`
expression over profile properties.
"""

from __future__ import annotations

from mixpanel_async.emulator.router import Routes

routes = Routes()
