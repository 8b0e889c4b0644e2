"""`AsyncWorkspace.lexicon_schemas` / `lexicon_schema` against the emulator, over loopback."""

from __future__ import annotations

import pytest

from mixpanel_async import (
    AsyncWorkspace,
    LexiconSchema,
    ParamValidationError,
    QueryError,
    ServerError,
)
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.entities import tables
from mixpanel_async.emulator.seeding import rows_of

AT = 1_788_000_000


@pytest.fixture
def seeded(mixpanel_emulator: Emulator) -> Emulator:
    project = mixpanel_emulator.state.default
    project.events.append(
        rows_of(
            [
                {"event": "Purchase", "properties": {"time": AT, "distinct_id": "u", "amount": 3,
                                                     "coupon": None, "items": ["a"]}},
                {"event": "Purchase", "properties": {"time": AT + 1, "distinct_id": "u",
                                                     "coupon": "X", "vip": True}},
                {"event": "Sign Up", "properties": {"time": AT, "distinct_id": "v", "plan": "pro"}},
            ]
        )
    )  # fmt: skip
    tables(project.entities, "lexicon_schema", "str").rows["profile/$email"] = {
        "entityType": "profile",
        "name": "$email",
        "schemaJson": {
            "description": "Email address",
            "properties": {},
            "metadata": {"com.mixpanel": {"displayName": "Email", "tags": ["pii"], "hidden": True}},
        },
    }
    return mixpanel_emulator


async def test_schemas_listed_and_read(
    seeded: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    ws = mixpanel_workspace
    schemas = await ws.lexicon_schemas()
    assert [(s.entity_type, s.name) for s in schemas] == [
        ("event", "Purchase"),
        ("event", "Sign Up"),
        ("profile", "$email"),
    ]
    purchase = schemas[0]
    assert isinstance(purchase, LexiconSchema)
    assert {k: p.type for k, p in purchase.schema_json.properties.items()} == {
        "amount": "number",
        "coupon": "string",
        "items": "array",
        "vip": "boolean",
    }
    email = await ws.lexicon_schema("profile", "$email")
    assert email == schemas[2]
    assert email.schema_json.metadata is not None
    assert email.schema_json.metadata.tags == ["pii"]
    assert email.schema_json.metadata.hidden is True
    assert email.to_dict()["schema_json"]["description"] == "Email address"
    events = await ws.lexicon_schemas(entity_type="event")
    assert [s.name for s in events] == ["Purchase", "Sign Up"]


async def test_cached_until_cleared(seeded: Emulator, mixpanel_workspace: AsyncWorkspace) -> None:
    ws = mixpanel_workspace
    first = await ws.lexicon_schemas()
    seeded.add_fault(path="/api/app", status=500, count=100)
    assert await ws.lexicon_schemas() == first
    ws.clear_discovery_cache()
    with pytest.raises(ServerError):  # now it asks again, and the fault answers
        await ws.lexicon_schemas()


async def test_unknown_schema_is_query_error(
    seeded: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    with pytest.raises(QueryError):
        await mixpanel_workspace.lexicon_schema("event", "Nope")


async def test_bad_arguments_send_nothing(mixpanel_offline_workspace: AsyncWorkspace) -> None:
    with pytest.raises(ParamValidationError):
        await mixpanel_offline_workspace.lexicon_schema("event", " ")
    with pytest.raises(ParamValidationError):
        await mixpanel_offline_workspace.lexicon_schemas(entity_type="")  # type: ignore[arg-type]
