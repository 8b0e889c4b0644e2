"""Contract tests against real Mixpanel (see conftest.py): every answer must fit our specs.

Each call goes through the client, so an answer that does not fit the spec raises
`ResponseValidationError`; the assertions check the fields the conformance decisions rest on
(openapi/differences/app_api.yaml). Read-only unless writes are allowed.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from mixpanel_async import AsyncWorkspace
from tests.live.conftest import WRITE_PREFIX

pytestmark = pytest.mark.live


async def test_who_am_i(live: AsyncWorkspace) -> None:
    me = await live.me()
    assert me.projects, "the credentials reach no project"


async def test_annotations_and_tags_read(live: AsyncWorkspace) -> None:
    for note in await live.list_annotations():
        assert note.id
        assert note.date
    for tag in await live.list_annotation_tags():  # bare or wrapped: either must read
        assert tag.name is not None


async def test_experiments_read(live: AsyncWorkspace) -> None:
    for experiment in await live.list_experiments(include_archived=True):
        assert experiment.id
        assert experiment.name is not None


async def test_feature_flags_read(live: AsyncWorkspace) -> None:
    for flag in await live.list_feature_flags():
        assert flag.key
        assert flag.content_type in (None, "feature-flags", "feature_flag")
    limits = await live.get_flag_limits()
    assert limits.limit >= 0


async def test_event_names_read(live: AsyncWorkspace) -> None:
    names = await live.events(limit=10)
    assert all(isinstance(name, str) for name in names)


@contextlib.asynccontextmanager
async def _cleanup(delete: Callable[[Any], Awaitable[None]], ident: Any) -> AsyncIterator[None]:
    try:
        yield
    finally:
        with contextlib.suppress(Exception):
            await delete(ident)


@pytest.mark.live_write
async def test_annotation_round_trip(writable: AsyncWorkspace) -> None:
    text = f"{WRITE_PREFIX} {uuid.uuid4().hex[:8]}"
    made = await writable.create_annotation({"date": "2026-01-01 00:00:00", "description": text})
    async with _cleanup(writable.delete_annotation, made.id):
        assert (await writable.get_annotation(made.id)).description == text
        changed = await writable.update_annotation(made.id, {"description": text + " (edited)"})
        assert changed.description.endswith("(edited)")
    with pytest.raises(Exception):  # noqa: B017, PT011 (gone: any refusal will do)
        await writable.get_annotation(made.id)


@pytest.mark.live_write
async def test_experiment_round_trip(writable: AsyncWorkspace) -> None:
    made = await writable.create_experiment({"name": f"{WRITE_PREFIX} {uuid.uuid4().hex[:8]}"})
    async with _cleanup(writable.delete_experiment, made.id):
        got = await writable.get_experiment(made.id)
        assert got.status in (None, "draft")
        # Mixpanel's published names, or the ones the peer reads: at least one set is there.
        assert got.modified is not None or got.updated is not None
        assert got.creator_id is not None or got.creator is not None


@pytest.mark.live_write
async def test_feature_flag_round_trip(writable: AsyncWorkspace) -> None:
    key = f"mpasync_live_{uuid.uuid4().hex[:8]}"
    made = await writable.create_feature_flag({"name": f"{WRITE_PREFIX} {key}", "key": key})
    async with _cleanup(writable.delete_feature_flag, made.id):
        got = await writable.get_feature_flag(made.id)
        assert got.key == key
        assert got.ruleset is not None
