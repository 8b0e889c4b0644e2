"""What every family mixin may rely on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mixpanel_async.config import Session
    from mixpanel_async.transport.session import Transport


class Base:
    """Attributes `AsyncWorkspace` provides to the family mixins."""

    _transport: Transport
    _cache: dict[Any, Any]
    _resolved_workspace_id: int | None

    @property
    def session(self) -> Session:
        raise NotImplementedError
