"""Ingestion over loopback HTTP: /track, /engage, /groups (GET and POST) and /import."""

from __future__ import annotations

import base64
import gc
import gzip
import io
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import orjson
import pytest

from mixpanel_async._gc import paused_gc
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.engine.ingest import RecordError, normalize_event
from mixpanel_async.emulator.event_text import full_properties

DAY = 86_400


@pytest.fixture
async def configured() -> AsyncIterator[Emulator]:
    async with Emulator(port=0, projects=["10:tok10:sec10", "20:tok20"]) as emulator:
        yield emulator


def ev(
    name: str = "Played", did: Any = "u1", t: Any = None, iid: Any = None, **props: Any
) -> dict[str, Any]:
    """An event; `t` defaults to now (seconds) and `iid` to a fresh $insert_id."""
    properties: dict[str, Any] = {
        "token": "tok10",
        "distinct_id": did,
        "time": int(time.time()) if t is None else t,
        "$insert_id": uuid.uuid4().hex if iid is None else iid,
        **props,
    }
    return {"event": name, "properties": properties}


def basic(user: str, password: str = "") -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def js(data: Any) -> str:
    return orjson.dumps(data).decode()


def b64(data: Any) -> str:
    return base64.b64encode(orjson.dumps(data)).decode()


async def post_form(http: aiohttp.ClientSession, url: str, **fields: Any) -> tuple[int, str]:
    async with http.post(url, data={k: str(v) for k, v in fields.items()}) as r:
        return r.status, await r.text()


async def post_json(
    http: aiohttp.ClientSession, url: str, body: bytes, **headers: str
) -> tuple[int, Any]:
    headers.setdefault("Content-Type", "application/json")
    async with http.post(url, data=io.BytesIO(body), headers=headers) as r:
        text = await r.text()
        try:
            return r.status, orjson.loads(text)
        except orjson.JSONDecodeError:
            return r.status, text


async def get(http: aiohttp.ClientSession, url: str, **params: Any) -> tuple[int, str]:
    async with http.get(url, params={k: str(v) for k, v in params.items()}) as r:
        return r.status, await r.text()


# -- /track ---------------------------------------------------------------------------------------


async def test_track_form_stores_the_event_in_the_json_convention(emu: Emulator, http: Any) -> None:
    t = time.time()
    event = ev("Signed Up", "u1", t, "abc-123", plan="pro", mp_lib="python")
    status, text = await post_form(http, emu.url + "/track", data=js(event), ip=0)
    assert (status, text) == (200, "1")
    [stored] = emu.events()
    assert stored == {
        "event": "Signed Up",
        "properties": {
            "distinct_id": "u1",
            "time": int(t),
            "$insert_id": "abc-123",
            "plan": "pro",
            "mp_lib": "python",
        },
    }
    assert list(stored["properties"])[:3] == ["distinct_id", "time", "$insert_id"]


async def test_track_verbose_and_arrays(emu: Emulator, http: Any) -> None:
    status, text = await post_form(
        http, emu.url + "/track", verbose=1, data=js([ev(did="a"), ev(did="b")])
    )
    assert status == 200
    assert orjson.loads(text) == {"status": 1, "error": None}
    assert sorted(e["properties"]["distinct_id"] for e in emu.events()) == ["a", "b"]


async def test_track_get_json_and_base64(emu: Emulator, http: Any) -> None:
    assert await get(http, emu.url + "/track", data=js(ev(did="json"))) == (200, "1")
    assert await get(http, emu.url + "/track", data=b64(ev(did="b64"))) == (200, "1")
    urlsafe = base64.urlsafe_b64encode(orjson.dumps(ev(did="url?>>"))).decode().rstrip("=")
    assert await get(http, emu.url + "/track/", data=urlsafe, verbose=1) == (
        200,
        '{"status":1,"error":null}',
    )
    assert sorted(e["properties"]["distinct_id"] for e in emu.events()) == ["b64", "json", "url?>>"]


async def test_track_json_body_and_gzip_form(emu: Emulator, http: Any) -> None:
    status, body = await post_json(http, emu.url + "/track", orjson.dumps([ev(did="body")]))
    assert (status, body) == (200, 1)
    form = f"data={b64([ev(did='gz')])}&verbose=1".encode()
    status, body = await post_json(
        http,
        emu.url + "/track",
        gzip.compress(form),
        **{"Content-Type": "application/x-www-form-urlencoded", "Content-Encoding": "gzip"},
    )
    assert (status, body) == (200, {"status": 1, "error": None})
    assert sorted(e["properties"]["distinct_id"] for e in emu.events()) == ["body", "gz"]


async def test_track_fills_time_and_accepts_milliseconds(emu: Emulator, http: Any) -> None:
    before = int(time.time())
    no_time = {"event": "x", "properties": {"token": "t", "distinct_id": "u"}}
    ms = ev("y", t=int(time.time() * 1000) - 5000)
    assert await get(http, emu.url + "/track", data=js([no_time, ms])) == (200, "1")
    by_name = {e["event"]: e["properties"] for e in emu.events()}
    assert before <= by_name["x"]["time"] <= time.time()
    assert by_name["y"]["time"] == ms["properties"]["time"] // 1000
    assert "$insert_id" not in by_name["x"]


async def test_track_answer_forms(emu: Emulator, http: Any) -> None:
    async with http.get(emu.url + "/track", params={"data": js(ev()), "img": "1"}) as r:
        assert r.status == 200
        assert r.content_type == "image/gif"
        assert (await r.read()).startswith(b"GIF89a")
    async with http.get(emu.url + "/track", params={"data": js(ev()), "callback": "cb"}) as r:
        assert r.content_type == "text/javascript"
        assert await r.text() == "cb(1)"
    async with http.get(
        emu.url + "/track",
        allow_redirects=False,
        params={"data": js(ev()), "redirect": "https://example.com/x"},
    ) as r:
        assert r.status == 302
        assert r.headers["Location"] == "https://example.com/x"
    async with http.options(emu.url + "/track") as r:
        assert r.status == 204
        assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert len(emu.events()) == 3


async def test_track_mixed_batch_keeps_the_valid_events(emu: Emulator, http: Any) -> None:
    old = ev("old", t=time.time() - 6 * DAY)
    status, text = await post_form(http, emu.url + "/track", data=js([old, ev("new")]))
    assert (status, text) == (200, "1")
    assert [e["event"] for e in emu.events()] == ["new"]


BAD_TRACK = [
    pytest.param({"data": "{not json"}, 400, id="malformed-json"),
    pytest.param({"data": "!!!not base64!!!"}, 400, id="bad-base64"),
    pytest.param({"data": "123"}, 400, id="not-an-object"),
    pytest.param({"data": "[]"}, 400, id="empty-array"),
    pytest.param({"data": js([ev()] * 2001)}, 400, id="too-many-records"),
    pytest.param({"data": js(ev(t=time.time() - 6 * DAY))}, 400, id="older-than-5-days"),
    pytest.param({"data": js(ev(t=time.time() + 7200))}, 400, id="future-time"),
    pytest.param({"data": js(ev(t="yesterday"))}, 400, id="time-not-a-number"),
    pytest.param({"data": js(ev(iid="not valid!"))}, 400, id="bad-insert-id"),
    pytest.param({"data": js(ev(iid="x" * 37))}, 400, id="insert-id-too-long"),
    pytest.param({"data": js(ev(did=["a"]))}, 400, id="distinct-id-list"),
    pytest.param({"data": js(ev(did="undefined"))}, 400, id="placeholder-distinct-id"),
    pytest.param({"data": js({"event": "", "properties": {}})}, 400, id="empty-name"),
    pytest.param({"data": js({"event": "x", "properties": [1]})}, 400, id="properties-list"),
    pytest.param({"data": js(["just a string"])}, 400, id="record-not-object"),
    pytest.param({}, 400, id="missing-data"),
]


@pytest.mark.parametrize(("fields", "status"), BAD_TRACK)
async def test_track_bad_input(
    emu: Emulator, http: Any, fields: dict[str, str], status: int
) -> None:
    code, text = await post_form(http, emu.url + "/track", **fields)
    assert (code, text) == (200, "0")  # Mixpanel's answer to nothing usable, without verbose
    code, text = await post_form(http, emu.url + "/track", verbose=1, **fields)
    body = orjson.loads(text)
    assert code == status
    assert body["status"] == 0
    assert isinstance(body["error"], str)
    assert body["error"]
    if "data" in fields and len(fields["data"]) < 4000:
        code, text = await get(http, emu.url + "/track", verbose=1, **fields)
        assert (code, orjson.loads(text)["status"]) == (status, 0)
    assert emu.events() == []


async def test_track_bad_transport(emu: Emulator, http: Any) -> None:
    status, body = await post_json(
        http,
        emu.url + "/track?verbose=1",
        b"not gzip at all",
        **{"Content-Type": "application/x-www-form-urlencoded", "Content-Encoding": "gzip"},
    )
    assert status == 400
    assert body["status"] == 0
    huge = gzip.compress(b"data=" + b"[" * (10 * 1024 * 1024 + 10))
    status, body = await post_json(
        http,
        emu.url + "/track?verbose=1",
        huge,
        **{"Content-Type": "application/x-www-form-urlencoded", "Content-Encoding": "gzip"},
    )
    assert status == 413
    assert body["status"] == 0
    assert emu.events() == []


async def test_track_routes_by_token_when_configured(configured: Emulator, http: Any) -> None:
    a, b = ev(did="in10"), ev(did="in20")
    b["properties"]["token"] = "tok20"
    status, text = await post_form(http, configured.url + "/track", data=js([a, b]))
    assert (status, text) == (200, "1")
    assert [e["properties"]["distinct_id"] for e in configured.events("10")] == ["in10"]
    assert [e["properties"]["distinct_id"] for e in configured.events("20")] == ["in20"]


async def test_track_unknown_or_missing_token_rejects_the_whole_batch(
    configured: Emulator, http: Any
) -> None:
    stranger = ev(did="x")
    stranger["properties"]["token"] = "nope"
    status, text = await post_form(
        http, configured.url + "/track", data=js([ev(did="ok"), stranger])
    )
    assert status == 401
    assert orjson.loads(text) == {"error": "Invalid token", "status": "error"}
    tokenless = ev()
    del tokenless["properties"]["token"]
    status, text = await post_form(http, configured.url + "/track", data=js(tokenless))
    assert status == 401
    assert orjson.loads(text)["status"] == "error"
    assert configured.events() == []


# -- /import --------------------------------------------------------------------------------------


async def test_import_json_ndjson_and_gzip(emu: Emulator, http: Any) -> None:
    old = time.time() - 400 * DAY  # /import takes history
    url = emu.url + "/import?strict=1&project_id=1"
    status, body = await post_json(
        http, url, orjson.dumps([ev("a", t=int(old)), ev("b", t=int(old * 1000))])
    )
    assert (status, body) == (200, {"code": 200, "num_records_imported": 2, "status": "OK"})
    ndjson = b"\n".join(orjson.dumps(ev(n)) for n in ("c", "d")) + b"\n"
    status, body = await post_json(http, url, ndjson, **{"Content-Type": "application/x-ndjson"})
    assert (status, body["num_records_imported"]) == (200, 2)
    status, body = await post_json(
        http, url, gzip.compress(orjson.dumps([ev("e")])), **{"Content-Encoding": "gzip"}
    )
    assert (status, body["num_records_imported"]) == (200, 1)
    assert [e["event"] for e in emu.events()] == ["a", "b", "c", "d", "e"]
    assert emu.events()[0]["properties"]["time"] == int(old)
    assert "token" not in emu.events()[0]["properties"]


async def test_import_strict_reports_failures_and_keeps_the_valid(emu: Emulator, http: Any) -> None:
    batch = [
        ev("ok1"),
        ev("late", iid="late-1", t=time.time() + 7200),
        ev("ok2"),
        ev("bad id", iid="has space"),
        {"event": "no time", "properties": {"distinct_id": "u", "$insert_id": "nt"}},
    ]
    status, body = await post_json(http, emu.url + "/import?strict=1", orjson.dumps(batch))
    assert status == 400
    assert body["code"] == 400
    assert body["status"] == "Bad Request"
    assert body["num_records_imported"] == 2
    assert body["error"] == "some data points in the request failed validation"
    failed = body["failed_records"]
    assert [(f["index"], f["$insert_id"], f["field"]) for f in failed] == [
        (1, "late-1", "properties.time"),
        (3, "has space", "properties.$insert_id"),
        (4, "nt", "properties.time"),
    ]
    assert all(f["message"] for f in failed)
    assert sorted(e["event"] for e in emu.events()) == ["ok1", "ok2"]


async def test_import_non_strict_drops_invalid_silently(emu: Emulator, http: Any) -> None:
    batch = [ev("ok"), ev("bad", t=12)]
    status, body = await post_json(http, emu.url + "/import", orjson.dumps(batch))
    assert (status, body) == (200, {"code": 200, "num_records_imported": 1, "status": "OK"})
    status, body = await post_json(http, emu.url + "/import", orjson.dumps([ev("bad", t=12)]))
    assert status == 400
    assert body["num_records_imported"] == 0
    assert [e["event"] for e in emu.events()] == ["ok"]


async def test_import_future_time_within_the_hour_is_the_present(emu: Emulator, http: Any) -> None:
    status, _ = await post_json(
        http, emu.url + "/import?strict=1", orjson.dumps([ev(t=time.time() + 1800)])
    )
    assert status == 200
    assert emu.events()[0]["properties"]["time"] <= time.time() + 1


BAD_IMPORT = [
    pytest.param(b"[{not json", {}, 400, id="malformed-json"),
    pytest.param(
        b'{"a": 1}\n{bad', {"Content-Type": "application/x-ndjson"}, 400, id="malformed-ndjson"
    ),
    pytest.param(b"42", {}, 400, id="not-an-array"),
    pytest.param(b"[]", {}, 400, id="empty"),
    pytest.param(orjson.dumps([ev()] * 2001), {}, 400, id="too-many-records"),
    pytest.param(b"garbage", {"Content-Encoding": "gzip"}, 400, id="invalid-gzip"),
    pytest.param(
        gzip.compress(b" " * (10 * 1024 * 1024 + 1)),
        {"Content-Encoding": "gzip"},
        413,
        id="oversized-gzip",
    ),
    pytest.param(b" " * (10 * 1024 * 1024 + 1), {}, 413, id="oversized"),
    pytest.param(orjson.dumps([ev(iid="a" * 37)]), {}, 400, id="insert-id-too-long"),
    pytest.param(orjson.dumps([ev(iid="under_score")]), {}, 400, id="insert-id-bad-char"),
    pytest.param(orjson.dumps([ev(iid=12345)]), {}, 400, id="insert-id-number"),
    pytest.param(orjson.dumps([ev(t=time.time() + 7200)]), {}, 400, id="future-time"),
    pytest.param(orjson.dumps([ev(t=30 * DAY)]), {}, 400, id="before-1971"),
    pytest.param(orjson.dumps([ev(t="1700000000")]), {}, 400, id="time-string"),
    pytest.param(orjson.dumps([ev(t=True)]), {}, 400, id="time-bool"),
    pytest.param(orjson.dumps([ev(did={"id": 1})]), {}, 400, id="distinct-id-object"),
    pytest.param(orjson.dumps([ev(did="anonymous")]), {}, 400, id="placeholder-distinct-id"),
    pytest.param(orjson.dumps([{"event": 5, "properties": {}}]), {}, 400, id="name-number"),
    pytest.param(orjson.dumps([{"event": "x", "properties": "p"}]), {}, 400, id="props-string"),
    pytest.param(
        orjson.dumps([ev(**{f"p{i}": i for i in range(260)})]), {}, 400, id="too-many-properties"
    ),
]


@pytest.mark.parametrize(("body", "headers", "status"), BAD_IMPORT)
async def test_import_bad_input(
    emu: Emulator, http: Any, body: bytes, headers: dict[str, str], status: int
) -> None:
    code, answer = await post_json(http, emu.url + "/import?strict=1", body, **headers)
    assert code == status
    assert answer["code"] == status
    assert answer["error"]
    assert answer["status"] in ("Bad Request", "Payload Too Large")
    if status == 400 and answer.get("failed_records"):
        assert set(answer["failed_records"][0]) == {"index", "$insert_id", "field", "message"}
    assert emu.events() == []


async def test_import_legacy_form(emu: Emulator, http: Any) -> None:
    old = ev(t=int(time.time() - 30 * DAY))
    status, text = await post_form(
        http, emu.url + "/import", data=js(old), verbose=1, ip=0, api_key="k"
    )
    assert (status, orjson.loads(text)) == (200, {"status": 1, "error": None})
    status, text = await post_form(http, emu.url + "/import", data=js(ev(t="x")), verbose=1)
    assert status == 400
    assert orjson.loads(text)["status"] == 0
    status, text = await post_form(http, emu.url + "/import", data="{oops", verbose=1)
    assert (status, orjson.loads(text)["status"]) == (400, 0)
    assert len(emu.events()) == 1


async def test_import_project_resolution_when_configured(configured: Emulator, http: Any) -> None:
    body = orjson.dumps([ev("by-id")])
    assert (await post_json(http, configured.url + "/import?project_id=20", body))[0] == 200
    token_auth = basic("tok10")
    status, _ = await post_json(
        http, configured.url + "/import", orjson.dumps([ev("by-token")]), Authorization=token_auth
    )
    assert status == 200
    secret_auth = basic("sec10")
    status, _ = await post_json(
        http, configured.url + "/import", orjson.dumps([ev("by-secret")]), Authorization=secret_auth
    )
    assert status == 200
    status, answer = await post_json(http, configured.url + "/import", body)
    assert (status, answer["status"]) == (401, "Unauthorized")
    status, answer = await post_json(http, configured.url + "/import?project_id=99", body)
    assert status == 400
    assert [e["event"] for e in configured.events("20")] == ["by-id"]
    assert sorted(e["event"] for e in configured.events("10")) == ["by-secret", "by-token"]


async def test_dedup_is_visible_in_events(emu: Emulator, http: Any) -> None:
    t = int(time.time()) - 100
    first = ev("Buy", "u1", t * 1000 + 100, "dup-1", n=1)
    again = ev("Buy", "u1", t * 1000 + 900, "dup-1", n=2)  # same second: a duplicate
    other_second = ev("Buy", "u1", t + 1, "dup-1", n=3)
    no_id = [
        {"event": "Buy", "properties": {"distinct_id": "u1", "time": t, "n": k}} for k in (4, 5)
    ]
    status, _ = await post_json(http, emu.url + "/import", orjson.dumps([first, again]))
    assert status == 200
    status, _ = await post_json(http, emu.url + "/import", orjson.dumps([other_second, *no_id]))
    assert status == 200
    assert sorted(e["properties"]["n"] for e in emu.events()) == [2, 3, 4, 5]


# -- /engage --------------------------------------------------------------------------------------


async def engage(emu: Emulator, http: Any, updates: Any, query: str = "") -> tuple[int, Any]:
    status, text = await post_form(http, emu.url + "/engage" + query, data=js(updates), verbose=1)
    return status, orjson.loads(text)


def profile(emu: Emulator, did: str) -> dict[str, Any] | None:
    return next((p["$properties"] for p in emu.profiles() if p["$distinct_id"] == did), None)


async def test_engage_operators(emu: Emulator, http: Any) -> None:
    def u(**op: Any) -> dict[str, Any]:
        return {"$token": "t", "$distinct_id": "u1", "$ignore_time": True, **op}

    ok = {"status": 1, "error": None}
    assert await engage(emu, http, u(**{"$set": {"name": "Ann", "tags": ["a"]}})) == (200, ok)
    assert await engage(
        emu,
        http,
        [
            u(**{"$set_once": {"name": "Bob", "first": 1}}),
            u(**{"$add": {"visits": 2, "score": 1.5}}),
            u(**{"$add": {"visits": 3, "score": -0.5}}),
            u(**{"$append": {"tags": "b", "log": {"x": 1}}}),
            u(**{"$union": {"tags": ["b", "c", "c"], "fresh": [1, 1]}}),
            u(**{"$remove": {"tags": "a", "missing": 1}}),
            u(**{"$unset": ["first"]}),
        ],
    ) == (200, ok)
    assert profile(emu, "u1") == {
        "name": "Ann",
        "tags": ["b", "c"],
        "visits": 5,
        "score": 1.0,
        "log": [{"x": 1}],
        "fresh": [1],
    }
    assert await engage(emu, http, u(**{"$delete": ""})) == (200, ok)
    assert emu.profiles() == []


async def test_engage_last_seen_and_get(emu: Emulator, http: Any) -> None:
    update = {"$token": "t", "$distinct_id": 7, "$time": 1_700_000_000.5, "$set": {"a": 1}}
    assert await get(http, emu.url + "/engage", data=b64(update)) == (200, "1")
    assert profile(emu, "7") == {"a": 1, "$last_seen": "2023-11-14T22:13:20"}
    update = {"$token": "t", "$distinct_id": "8", "$set": {"a": 1}}
    assert await get(http, emu.url + "/engage/", data=js(update)) == (200, "1")
    assert (profile(emu, "8") or {})["$last_seen"].startswith(
        time.strftime("%Y-%m-%d", time.gmtime())
    )


async def test_engage_invalid_updates_never_half_apply(emu: Emulator, http: Any) -> None:
    base = {"$token": "t", "$distinct_id": "u", "$ignore_time": True}
    assert (await engage(emu, http, {**base, "$set": {"s": "text", "n": 1}}))[0] == 200
    status, body = await engage(emu, http, {**base, "$add": {"n": 1, "s": 1}})
    assert status == 400
    assert body["status"] == 0
    assert "$add.s" in body["error"]
    for bad in (
        {"$add": {"n": "1"}},
        {"$unset": "n"},
        {"$set": [1]},
        {"$union": {"s": 1}},  # onto a property that is not a list
        {},
        {"$append": {"s": 1}},
    ):
        status, body = await engage(emu, http, {**base, **bad})
        assert (status, body["status"]) == (400, 0), bad
    status, body = await engage(emu, http, {"$token": "t", "$set": {"a": 1}})
    assert (status, body["status"]) == (400, 0)
    assert profile(emu, "u") == {"s": "text", "n": 1}
    # A batch applies its valid updates; strict=1 still reports the others.
    status, body = await engage(
        emu, http, [{**base, "$add": {"n": 1}}, {**base, "$add": {"s": 1}}], "?strict=1"
    )
    assert status == 400
    assert body["failed_records"][0]["index"] == 1
    assert profile(emu, "u") == {"s": "text", "n": 2}


async def test_engage_routes_by_token_when_configured(configured: Emulator, http: Any) -> None:
    status, body = await engage(
        configured,
        http,
        [
            {"$token": "tok10", "$distinct_id": "a", "$set": {"p": 10}},
            {"$token": "tok20", "$distinct_id": "b", "$set": {"p": 20}},
        ],
    )
    assert (status, body) == (200, {"status": 1, "error": None})
    assert [p["$distinct_id"] for p in configured.profiles("10")] == ["a"]
    assert [p["$distinct_id"] for p in configured.profiles("20")] == ["b"]
    status, body = await engage(
        configured,
        http,
        [
            {"$token": "tok10", "$distinct_id": "c", "$set": {}},
            {"$token": "bad", "$distinct_id": "d", "$set": {}},
        ],
    )
    assert (status, body["status"]) == (401, "error")
    assert len(configured.profiles()) == 2


# -- /groups --------------------------------------------------------------------------------------


async def test_groups_operators(emu: Emulator, http: Any) -> None:
    def g(**op: Any) -> dict[str, Any]:
        return {"$token": "t", "$group_key": "company", "$group_id": "acme", **op}

    groups = emu.state.default.groups
    url = emu.url + "/groups"
    for update in (
        g(**{"$set": {"name": "Acme", "tags": ["x"]}}),
        g(**{"$set_once": {"name": "Other", "founded": 1999}}),
        g(**{"$union": {"tags": ["x", "y"]}}),
        g(**{"$remove": {"tags": "x"}}),
        g(**{"$unset": ["founded"]}),
    ):
        status, text = await post_form(http, url, data=js(update), verbose=1)
        assert (status, orjson.loads(text)) == (200, {"status": 1, "error": None})
    other = {"$token": "t", "$group_key": "company", "$group_id": 2, "$set": {"n": 2}}
    assert await get(http, url, data=b64(other)) == (200, "1")
    assert groups == {
        ("company", "acme"): {"name": "Acme", "tags": ["y"]},
        ("company", "2"): {"n": 2},
    }
    for bad in (
        g(**{"$add": {"n": 1}}),
        {"$token": "t", "$group_id": "x", "$set": {"a": 1}},
        g(**{"$set": "nope"}),
    ):
        status, text = await post_form(http, url, data=js(bad))
        assert (status, text) == (200, "0")
    status, text = await post_form(http, url, data=js(g(**{"$delete": ""})))
    assert (status, text) == (200, "1")
    assert groups == {("company", "2"): {"n": 2}}


# -- the pure functions ---------------------------------------------------------------------------


def test_normalize_event_rules() -> None:
    now = 1_800_000_000_000
    row = normalize_event(
        {
            "event": "e",
            "properties": {
                "time": 1_700_000_000.25,
                "distinct_id": 42,
                "token": "t",
                "$insert_id": "A-1",
            },
        },
        index=0,
        now_ms=now,
        mode="import",
    )
    assert row == (
        "e",
        "42",
        1_700_000_000_250,
        "A-1",
        '{"time":1700000000,"distinct_id":42,"$insert_id":"A-1"}',
    )
    assert (
        normalize_event(
            {"event": "e", "properties": {"time": 1_700_000_000_250}},
            index=0,
            now_ms=now,
            mode="import",
        )[2]
        == 1_700_000_000_250
    )
    with pytest.raises(RecordError) as info:
        normalize_event(
            {"event": "e", "properties": {"distinct_id": "u"}}, index=3, now_ms=now, mode="import"
        )
    assert (info.value.index, info.value.field) == (3, "properties.time")
    row = normalize_event({"event": "e"}, index=0, now_ms=now, mode="track")
    # Stored without the keys the other fields hold, which lead it here (see `event_text`).
    assert row == ("e", "", now, None, "{ }")
    assert full_properties(row[4], now, "", None) == {"time": 1_800_000_000, "distinct_id": ""}


async def test_configured_batch_with_a_malformed_record(configured: Emulator, http: Any) -> None:
    status, text = await post_form(
        http, configured.url + "/track", verbose=1, data=js([ev(did="ok"), "junk", 7])
    )
    assert (status, orjson.loads(text)) == (200, {"status": 1, "error": None})
    assert [e["properties"]["distinct_id"] for e in configured.events("10")] == ["ok"]
    assert configured.events("20") == []


async def test_engage_removal_never_creates_a_profile(emu: Emulator, http: Any) -> None:
    for op in ({"$unset": ["a"]}, {"$remove": {"a": 1}}, {"$delete": ""}):
        status, body = await engage(emu, http, {"$token": "t", "$distinct_id": "ghost", **op})
        assert (status, body["status"]) == (200, 1)
    assert emu.profiles() == []


def test_odd_times_are_record_errors_not_crashes() -> None:
    now = 1_800_000_000_000
    for t in (float("nan"), float("inf"), -float("inf"), 10**30, -1, [1], {"s": 1}):
        with pytest.raises(RecordError):
            normalize_event(
                {"event": "e", "properties": {"time": t}}, index=0, now_ms=now, mode="import"
            )
    with pytest.raises(RecordError) as info:
        normalize_event(
            {"event": "e", "properties": {"time": 1.7e9, "big": 10**30}},
            index=0,
            now_ms=now,
            mode="import",
        )
    assert info.value.field == "properties"


def test_paused_gc_restores_the_collector() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
