"""Where ingestion validation used to live: it is `engine.ingest` (events) and
`engine.updates` (profile and group updates) now. This module only re-exports their names
for imports outside the emulator's own code (tests/peers); import from the engine instead."""

from mixpanel_async.emulator.engine.ingest import (
    MAX_RECORDS,
    ImportResult,
    RecordError,
    import_records,
    normalize_event,
    paused_gc,
)
from mixpanel_async.emulator.engine.updates import (
    apply_group_update,
    apply_profile_update,
    iso_seconds,
    update_groups,
    update_profiles,
)

__all__ = [
    "MAX_RECORDS",
    "ImportResult",
    "RecordError",
    "apply_group_update",
    "apply_profile_update",
    "import_records",
    "iso_seconds",
    "normalize_event",
    "paused_gc",
    "update_groups",
    "update_profiles",
]
