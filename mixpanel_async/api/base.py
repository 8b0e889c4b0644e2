"""What every family mixin may rely on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mixpanel_async.exceptions import ResponseValidationError
from mixpanel_async.transport import codec

if TYPE_CHECKING:
    from mixpanel_async._operation import Request
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

    async def _as_sent(self, request: Request) -> dict[str, Any]:
        """The JSON object answered, checked against the spec's model but returned as Mixpanel
        sent it: wire keys, string counts and `null`s kept, which the model would reshape."""
        prepared = self._transport.prepare(request)
        _, body, _ = await self._transport.send(prepared)
        self._transport.decode(request.operation, body, prepared)
        data = codec.loads(body)
        if not isinstance(data, dict):
            raise ResponseValidationError(f"{prepared.url} answered with {type(data).__name__}")
        return data
