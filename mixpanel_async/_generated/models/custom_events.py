# Generated from openapi/custom_events.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

import attrs


@attrs.frozen(kw_only=True)
class CustomEventErrorResponse:
    error: str
    status: str | None = None


@attrs.frozen(kw_only=True)
class CreateCustomEventParams:
    """What the client takes; sent as `CreateCustomEventForm`."""

    name: str
    alternatives: list[str]


@attrs.frozen(kw_only=True)
class CreateCustomEventForm:
    name: str
    alternatives: str


@attrs.frozen(kw_only=True)
class CustomEventAlternative:
    event: str


@attrs.frozen(kw_only=True)
class CustomEvent:
    id: int
    name: str
    alternatives: list[CustomEventAlternative] | None = attrs.field(factory=list)


@attrs.frozen(kw_only=True)
class CustomEventCreated:
    custom_event: CustomEvent


@attrs.frozen(kw_only=True)
class CustomEventCreatedResponse:
    results: CustomEventCreated
    status: str | None = None
