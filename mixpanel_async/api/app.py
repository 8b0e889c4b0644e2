"""What every App API family shares: argument checks, scoping, the `results` envelope."""

from __future__ import annotations

from typing import Any, TypeVar

import attrs
import cattrs

from mixpanel_async._operation import Request
from mixpanel_async.api.base import Base
from mixpanel_async.exceptions import ParamValidationError
from mixpanel_async.transport import codec

M = TypeVar("M")


def entity_id(value: Any, name: str) -> int:
    """A positive integer id (dashboards, bookmarks, cohorts, alerts, annotations)."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ParamValidationError(f"{name} must be a positive integer, got {value!r}", param=name)
    return value


def uuid_id(value: Any, name: str) -> str:
    """A string id (feature flags, experiments, webhooks)."""
    if not isinstance(value, str) or not value.strip():
        raise ParamValidationError(
            f"{name} must be a non-empty string id, got {value!r}", param=name
        )
    return value


def id_list(values: Any, name: str) -> list[int]:
    if isinstance(values, str | bytes) or not hasattr(values, "__iter__"):
        raise ParamValidationError(f"{name} must be a list of ids, got {values!r}", param=name)
    items = [entity_id(v, name) for v in values]
    if not items:
        raise ParamValidationError(f"{name} must not be empty", param=name)
    return items


def id_csv(values: Any, name: str) -> str | None:
    """An optional id list as the comma-joined text list endpoints take (None: not sent)."""
    return None if values is None else ",".join(map(str, id_list(values, name)))


def as_model(value: Any, model: type[M], name: str = "params") -> M:
    """Accept a generated params model or a plain dict (keyed by wire or attribute names, e.g.
    `type` or `bookmark_type`); check it against the spec."""
    if isinstance(value, model):
        return value
    if not isinstance(value, dict):
        raise ParamValidationError(
            f"{name} must be a {model.__name__} or a dict, got {type(value).__name__}", param=name
        )
    fields = attrs.fields(model) if attrs.has(model) else ()
    wire = {f.name: f.metadata.get("wire", f.name) for f in fields}
    value = {wire.get(k, k): v for k, v in value.items()}
    try:
        result: M = codec.validate(value, model)
    except cattrs.BaseValidationError as exc:
        detail = "; ".join(cattrs.transform_error(exc, path=name))
        raise ParamValidationError(f"invalid {model.__name__}: {detail}", param=name) from None
    except (TypeError, ValueError) as exc:
        raise ParamValidationError(f"invalid {model.__name__}: {exc}", param=name) from None
    for f in fields:  # as the App API does: a required text is not blank
        text = getattr(result, f.name)
        if f.default is attrs.NOTHING and isinstance(text, str) and not text.strip():
            raise ParamValidationError(f"{f.name} must not be empty", param=f.name)
    return result


def as_entries(values: Any, model: type[M], name: str = "entries") -> list[M]:
    """A non-empty list of bulk-update entries (models or dicts), each with a valid int `id`."""
    if isinstance(values, str | bytes | dict) or not hasattr(values, "__iter__"):
        raise ParamValidationError(f"{name} must be a list, got {values!r}", param=name)
    items = [as_model(v, model, name) for v in values]
    id_list([getattr(item, "id", None) for item in items], name)
    return items


class AppBase(Base):
    """Sends App API requests: resolves a workspace where the path needs one, unwraps
    `{"status": "ok", "results": ...}`."""

    async def resolve_workspace_id(self) -> int:
        raise NotImplementedError

    async def _app(self, request: Request) -> Any:
        context = None
        if request.operation.scope == "require" and self.session.workspace_id is None:
            context = {"workspace_id": await self.resolve_workspace_id()}
        response = await self._transport.call(request, context=context)
        return getattr(response, "results", response)
