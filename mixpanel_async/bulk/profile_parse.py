"""Engage pages → profile frames, several pages in one read where that changes nothing.

Reading a page costs a fixed overhead besides its rows (a reader call, a table, a frame), so
`export_profiles`, which joins every page into one frame, reads pages a few at a time. Read
together, pyarrow infers one type per property for all of them, where page by page each page
gets its own and `tabular.concat` merges them afterwards. For flat properties of text, integers,
floats and booleans both give the same joined frame (an integer widens to a float either way,
any other disagreement makes pyarrow refuse the read); anything else (nested values, ids that
are not text, a `$last_seen` that is not text) is read page by page, as are pages that a
newline would cut. Each page's rows are still shaped on their own, so `$last_seen`'s datetime
format is inferred per page, as before. Frames of pages read together carry the shared types,
so only callers that join all the frames use this.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import orjson
import polars as pl
import pyarrow as pa

from mixpanel_async.bulk import tabular

PAGES_PER_READ = 8
"""Engage pages (about 1,000 profiles each) read together by `export_profiles`."""

_FLAT = (pa.string(), pa.int64(), pa.float64(), pa.bool_(), pa.null())
"""Property types whose per-page and shared inference join to the same column."""


_WARM_UP_PAGE = orjson.dumps(
    {
        tabular.RESULTS: [
            {
                tabular.PROFILE_ID: "warm-up",
                tabular.PROFILE_PROPERTIES: {tabular.LAST_SEEN: "2024-01-01T00:00:00", "n": 1},
            }
        ]
    }
)


def warm_up() -> None:
    """Read a one-profile page, so that the readers' one-time set-up in a process (pyarrow's
    JSON reader, Polars' thread pool and datetime parsing: tens of milliseconds, partly holding
    the GIL) happens while the first real page is still on its way (run it in a worker
    thread)."""
    tabular.parse_profiles(_WARM_UP_PAGE, tabular.Hints())


def parse_pages(bodies: Sequence[bytes], hints: tabular.Hints) -> list[pl.DataFrame]:
    """Engage page bodies → one profile frame per page, in order (run it in a worker thread).

    Frames of pages read together have the types of the group, so join them all (with
    `tabular.concat`) before looking at their schema.
    """
    if len(bodies) > 1:
        frames = _together(bodies, hints)
        if frames is not None:
            return frames
    return [tabular.parse_profiles(body, hints) for body in bodies]


def _together(bodies: Sequence[bytes], hints: tabular.Hints) -> list[pl.DataFrame] | None:
    """The pages read in one pass, or None where that could change the joined frame."""
    if any(b"\n" in body for body in bodies):
        return None
    table = tabular._read_arrow(b"\n".join(bodies), hints, threads=False)
    if table is None or table.num_rows != len(bodies) or tabular.RESULTS not in table.column_names:
        return None
    results = table.column(tabular.RESULTS).combine_chunks()
    if (
        results.null_count
        or not pa.types.is_list(results.type)
        or not _flat_records(results.type.value_type)
    ):
        return None
    records = pa.Table.from_struct_array(results.flatten())
    frame = tabular._as_frame(records)
    offsets = results.offsets.to_pylist()  # flatten() starts at the first list's values
    return [
        tabular.shape_profiles(frame.slice(start - offsets[0], end - start))
        if end > start
        else tabular.empty_profiles()
        for start, end in itertools.pairwise(offsets)
    ]


def _flat_records(record: pa.DataType) -> bool:
    """Whether engage records of this type join the same read together as page by page."""
    if not pa.types.is_struct(record):
        return False
    fields = {record.field(i).name: record.field(i).type for i in range(record.num_fields)}
    properties = fields.get(tabular.PROFILE_PROPERTIES)
    if fields.get(tabular.PROFILE_ID) != pa.string() or properties is None:
        return False
    if not pa.types.is_struct(properties):
        return False
    for i in range(properties.num_fields):
        field = properties.field(i)
        if field.type not in _FLAT:
            return False
        if field.name == tabular.LAST_SEEN and field.type not in (pa.string(), pa.null()):
            return False
    return True
