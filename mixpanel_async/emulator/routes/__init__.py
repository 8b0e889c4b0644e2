"""Route handlers, one module per family; `ALL_ROUTES` maps operationId → handler."""

from __future__ import annotations

from mixpanel_async.emulator.router import Handler
from mixpanel_async.emulator.routes import (
    account,
    dashboards,
    discovery,
    engage,
    export,
    ingestion,
    query,
)
from mixpanel_async.emulator.routes.app import generic_routes

# Generic App API entity handlers first: a family's own handler overrides them.
ALL_ROUTES: dict[str, Handler] = {
    **generic_routes(),
    **account.routes.handlers,
    **dashboards.routes.handlers,
    **discovery.routes.handlers,
    **engage.routes.handlers,
    **export.routes.handlers,
    **ingestion.routes.handlers,
    **query.routes.handlers,
}
