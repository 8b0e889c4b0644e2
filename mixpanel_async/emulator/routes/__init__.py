"""Route handlers, one module per family; `ALL_ROUTES` maps operationId → handler."""

from __future__ import annotations

from mixpanel_async.emulator.router import Handler
from mixpanel_async.emulator.routes import account, discovery, engage, export, ingestion

ALL_ROUTES: dict[str, Handler] = {
    **account.routes.handlers,
    **discovery.routes.handlers,
    **engage.routes.handlers,
    **export.routes.handlers,
    **ingestion.routes.handlers,
}
