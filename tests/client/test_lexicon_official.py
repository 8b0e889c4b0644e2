"""Lexicon schemas as Mixpanel publishes them: the entity-type enum (checked before any
request), `GET .../schemas/{entity_type}/{entity_name}` against the emulator over loopback, and
the client reading both shapes of an `entity_name` answer (the schemaJson production sends and
the list the published spec shows)."""

from __future__ import annotations

from typing import Any

import pytest

from mixpanel_async import AsyncWorkspace, QueryError, ResponseValidationError
from mixpanel_async._generated.operations import lexicon as ops
from mixpanel_async._generated.operations import schemas as schema_ops
from mixpanel_async.api.lexicon import named_schema
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.entities import tables
from mixpanel_async.emulator.seeding import rows_of
from tests.helpers import refused, sends_nothing

AT = 1_788_000_000
EMAIL = {
    "description": "Email address",
    "properties": {"domain": {"type": "string", "description": "After the @"}},
    "metadata": {"com.mixpanel": {"displayName": "Email", "tags": ["pii"]}},
}


@pytest.fixture
def seeded(mixpanel_emulator: Emulator) -> Emulator:
    project = mixpanel_emulator.state.default
    project.events.append(
        rows_of([{"event": "Purchase", "properties": {"time": AT, "distinct_id": "u", "n": 3}}])
    )
    tables(project.entities, "lexicon_schema", "str").rows["profile/$email"] = {
        "entityType": "profile",
        "name": "$email",
        "schemaJson": EMAIL,
    }
    return mixpanel_emulator


GROUP: Any = "group"  # not a type a listing can be asked for
LOOKUP: Any = "lookup"

test_unlisted_entity_types_are_refused = sends_nothing(
    (lambda ws: ws.lexicon_schemas(entity_type=GROUP), "entity_type"),
    (lambda ws: ws.lexicon_schema(LOOKUP, "x"), "entity_type"),
)


async def test_schema_by_path_matches_the_entity_name_query(
    seeded: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    ws = mixpanel_workspace
    by_path = await ws.api.call(ops.get_lexicon_schema(entity_type="profile", entity_name="$email"))
    assert by_path.description == EMAIL["description"]
    assert by_path.properties is not None
    assert set(by_path.properties) == {"domain"}
    derived = await ws.api.call(ops.get_lexicon_schema(entity_type="event", entity_name="Purchase"))
    assert derived.properties is not None
    assert set(derived.properties) == {"n"}
    via_query = await ws.lexicon_schema("profile", "$email")
    assert via_query.schema_json.description == by_path.description
    await refused(
        ws.api.call(ops.get_lexicon_schema(entity_type="event", entity_name="Nope")), status=404
    )


def _entry(name: str, description: str) -> dict[str, Any]:
    return {"entityType": "event", "name": name, "schemaJson": {"description": description}}


def test_entity_name_answer_read_in_either_shape() -> None:
    bare = named_schema({"description": "Bought"}, "event", "Purchase")
    listed = named_schema(
        [_entry("Other", "not this"), _entry("Purchase", "Bought")], "event", "Purchase"
    )
    assert bare == listed
    assert listed.schema_json.description == "Bought"
    with pytest.raises(QueryError):
        named_schema([_entry("Other", "x")], "event", "Purchase")
    with pytest.raises(ResponseValidationError):
        named_schema({"properties": 5}, "event", "Purchase")


async def test_delete_of_a_type_can_name_one_entity(
    mixpanel_emulator: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    ws = mixpanel_workspace
    for name in ("A", "B"):
        await ws.create_schema("event", name, {"description": name, "properties": {}})
    deleted = await ws.api.call(
        schema_ops.delete_schemas_of_type(entity_type="event", entity_name="A")
    )
    assert deleted.delete_count == 1
    assert [s.name for s in await ws.list_schema_registry(entity_type="event")] == ["B"]
