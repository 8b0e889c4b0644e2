"""The client reads an `/import` strict-mode 400 whichever key its failed records carry the
insert id under: `$insert_id` (Mixpanel's docs page, and the emulator) or `insert_id`
(Mixpanel's published spec)."""

from __future__ import annotations

from mixpanel_async.api.ingestion import _failures
from mixpanel_async.bulk.records import Batch


def test_failed_records_read_under_either_key() -> None:
    batch = Batch(10, [{}, {}, {}])
    body = {
        "code": 400,
        "error": "some data points in the request failed validation",
        "status": "Bad Request",
        "num_records_imported": 1,
        "failed_records": [
            {"index": 0, "$insert_id": "a1", "field": "properties.time", "message": "bad time"},
            {"index": 2, "insert_id": "c3", "field": "properties.time", "message": "bad time"},
            {"index": 1, "message": "no id at all"},
        ],
    }
    found = _failures(body, batch)
    assert found is not None
    imported, failures = found
    assert imported == 1
    assert [(f.index, f.insert_id) for f in failures] == [(10, "a1"), (12, "c3"), (11, None)]
    assert _failures({"code": 400, "error": "x"}, batch) is None
