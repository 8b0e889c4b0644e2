# Generated from openapi/lexicon_definitions.yaml by `python -m codegen`. Do not edit by hand:
# change the spec or codegen/templates and regenerate.

from __future__ import annotations

from typing import Any, Literal, TypeAlias

import attrs


@attrs.frozen(kw_only=True)
class LexiconDefinitionsErrorResponse:
    error: str
    status: str | None = None


@attrs.frozen(kw_only=True)
class LexiconAnyResponse:
    results: Any
    status: str | None = None


@attrs.frozen(kw_only=True)
class LexiconObjectResponse:
    results: dict[str, Any]
    status: str | None = None


@attrs.frozen(kw_only=True)
class LexiconHistoryResponse:
    results: list[dict[str, Any]]
    status: str | None = None


LexiconExportType: TypeAlias = Literal["All Events and Properties", "All User Profile Properties"]


LexiconResourceType: TypeAlias = Literal["Event", "User"]


@attrs.frozen(kw_only=True)
class EventDefinition:
    """An event definition of the project's Lexicon."""

    id: int
    name: str
    display_name: str | None = attrs.field(default=None, metadata={"wire": "displayName"})
    description: str | None = None
    hidden: bool | None = None
    dropped: bool | None = None
    merged: bool | None = None
    verified: bool | None = None
    tags: list[str] | None = None
    custom_event_id: int | None = attrs.field(default=None, metadata={"wire": "customEventId"})
    last_modified: str | None = attrs.field(default=None, metadata={"wire": "lastModified"})
    status: str | None = None
    platforms: list[str] | None = None
    created_utc: str | None = attrs.field(default=None, metadata={"wire": "createdUtc"})
    modified_utc: str | None = attrs.field(default=None, metadata={"wire": "modifiedUtc"})
    contacts: list[str] | None = None
    team_contacts: list[str] | None = None


@attrs.frozen(kw_only=True)
class PropertyDefinition:
    """A property definition of the project's Lexicon."""

    name: str
    id: int | None = None
    resource_type: str | None = attrs.field(default=None, metadata={"wire": "resourceType"})
    display_name: str | None = attrs.field(default=None, metadata={"wire": "displayName"})
    description: str | None = None
    example_value: str | None = attrs.field(default=None, metadata={"wire": "exampleValue"})
    hidden: bool | None = None
    dropped: bool | None = None
    merged: bool | None = None
    sensitive: bool | None = None
    data_group_id: str | None = attrs.field(default=None, metadata={"wire": "dataGroupId"})


@attrs.frozen(kw_only=True)
class UpdateEventDefinitionParams:
    """The fields of an event definition to change (PATCH semantics)."""

    hidden: bool | None = None
    dropped: bool | None = None
    merged: bool | None = None
    verified: bool | None = None
    tags: list[str] | None = None
    display_name: str | None = attrs.field(default=None, metadata={"wire": "displayName"})
    description: str | None = None


@attrs.frozen(kw_only=True)
class BulkEventUpdate:
    """One entry of a bulk event update, naming its event by `name` or `id`; `contacts` and `team_contacts` stay snake_case on the wire."""

    name: str | None = None
    id: int | None = None
    hidden: bool | None = None
    dropped: bool | None = None
    merged: bool | None = None
    verified: bool | None = None
    tags: list[str] | None = None
    display_name: str | None = attrs.field(default=None, metadata={"wire": "displayName"})
    description: str | None = None
    contacts: list[str] | None = None
    team_contacts: list[str] | None = None


@attrs.frozen(kw_only=True)
class BulkUpdateEventsParams:
    events: list[BulkEventUpdate]


@attrs.frozen(kw_only=True)
class EventDefinitionsPatch:
    """One event's changes (`name` and fields) or a bulk list (`events`)."""

    name: str | None = None
    hidden: bool | None = None
    dropped: bool | None = None
    merged: bool | None = None
    verified: bool | None = None
    tags: list[str] | None = None
    display_name: str | None = attrs.field(default=None, metadata={"wire": "displayName"})
    description: str | None = None
    events: list[BulkEventUpdate] | None = None
    custom_event_id: int | None = attrs.field(default=None, metadata={"wire": "customEventId"})


@attrs.frozen(kw_only=True)
class DeleteEventDefinitionBody:
    """The event by `name`, or a custom event by `customEventId`."""

    name: str | None = None
    custom_event_id: int | None = attrs.field(default=None, metadata={"wire": "customEventId"})


@attrs.frozen(kw_only=True)
class UpdatePropertyDefinitionParams:
    """The fields of a property definition to change (PATCH semantics)."""

    hidden: bool | None = None
    dropped: bool | None = None
    merged: bool | None = None
    sensitive: bool | None = None
    display_name: str | None = attrs.field(default=None, metadata={"wire": "displayName"})
    description: str | None = None
    example_value: str | None = attrs.field(default=None, metadata={"wire": "exampleValue"})
    resource_type: LexiconResourceType | None = attrs.field(
        default=None, metadata={"wire": "resourceType"}
    )


@attrs.frozen(kw_only=True)
class BulkPropertyUpdate:
    name: str
    resource_type: LexiconResourceType = attrs.field(metadata={"wire": "resourceType"})
    id: int | None = None
    hidden: bool | None = None
    dropped: bool | None = None
    sensitive: bool | None = None
    display_name: str | None = attrs.field(default=None, metadata={"wire": "displayName"})
    example_value: str | None = attrs.field(default=None, metadata={"wire": "exampleValue"})
    data_group_id: str | None = attrs.field(default=None, metadata={"wire": "dataGroupId"})


@attrs.frozen(kw_only=True)
class BulkUpdatePropertiesParams:
    properties: list[BulkPropertyUpdate]


@attrs.frozen(kw_only=True)
class PropertyDefinitionsPatch:
    """One property's changes (`name` and fields) or a bulk list (`properties`)."""

    name: str | None = None
    hidden: bool | None = None
    dropped: bool | None = None
    merged: bool | None = None
    sensitive: bool | None = None
    display_name: str | None = attrs.field(default=None, metadata={"wire": "displayName"})
    description: str | None = None
    example_value: str | None = attrs.field(default=None, metadata={"wire": "exampleValue"})
    resource_type: LexiconResourceType | None = attrs.field(
        default=None, metadata={"wire": "resourceType"}
    )
    properties: list[BulkPropertyUpdate] | None = None


@attrs.frozen(kw_only=True)
class LexiconTag:
    id: int
    name: str


@attrs.frozen(kw_only=True)
class LexiconTagResponse:
    results: LexiconTag
    status: str | None = None


@attrs.frozen(kw_only=True)
class CreateTagParams:
    name: str


@attrs.frozen(kw_only=True)
class UpdateTagParams:
    name: str | None = None


@attrs.frozen(kw_only=True)
class LexiconTagPost:
    name: str
    delete: bool | None = None


@attrs.frozen(kw_only=True)
class DropFilter:
    """A drop filter; `filters` is its list of conditions."""

    id: int
    event_name: str = attrs.field(metadata={"wire": "eventName"})
    filters: list[Any] | None = None
    active: bool | None = None
    display_name: str | None = attrs.field(default=None, metadata={"wire": "displayName"})
    created: str | None = None


@attrs.frozen(kw_only=True)
class DropFilterListResponse:
    results: list[DropFilter]
    status: str | None = None


@attrs.frozen(kw_only=True)
class CreateDropFilterParams:
    """A new drop filter: the event it drops and its conditions (one `{property, value, operator}` object or a list of them; keys stay snake_case on the wire)."""

    event_name: str
    filters: Any


@attrs.frozen(kw_only=True)
class UpdateDropFilterParams:
    id: int
    event_name: str | None = None
    filters: Any | None = None
    active: bool | None = None


@attrs.frozen(kw_only=True)
class DeleteDropFilterBody:
    id: int


@attrs.frozen(kw_only=True)
class DropFilterLimitsResponse:
    filter_limit: int = attrs.field(metadata={"wire": "filterLimit"})


@attrs.frozen(kw_only=True)
class DropFilterLimitsEnvelope:
    results: DropFilterLimitsResponse
    status: str | None = None
