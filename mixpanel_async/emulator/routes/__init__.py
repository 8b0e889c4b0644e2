"""Route handlers, one module per family; `ALL_ROUTES` maps operationId → handler."""

# No `from __future__ import annotations` here: it would shadow the `annotations` route module.
from mixpanel_async.emulator.entity_routes import generic_routes
from mixpanel_async.emulator.router import Handler
from mixpanel_async.emulator.routes import (
    account,
    alerts,
    annotations,
    bookmarks,
    cohorts,
    dashboards,
    data_definitions,
    discovery,
    engage,
    experiments,
    export,
    feature_flags,
    flows,
    ingestion,
    insights,
    lexicon,
    query,
    replays,
    report_links,
    stream,
    webhooks,
)

# Generic App API entity handlers first: a family's own handler overrides them.
ALL_ROUTES: dict[str, Handler] = {
    **generic_routes(),
    **account.routes.handlers,
    **alerts.routes.handlers,
    **experiments.routes.handlers,
    **feature_flags.routes.handlers,
    **dashboards.routes.handlers,
    **discovery.routes.handlers,
    **engage.routes.handlers,
    **export.routes.handlers,
    **ingestion.routes.handlers,
    **query.routes.handlers,
    **flows.routes.handlers,
    **insights.routes.handlers,
    **annotations.routes.handlers,
    **bookmarks.routes.handlers,
    **cohorts.routes.handlers,
    **webhooks.routes.handlers,
    **stream.routes.handlers,
    **lexicon.routes.handlers,
    **data_definitions.routes.handlers,
    **report_links.routes.handlers,
    **replays.routes.handlers,
}
