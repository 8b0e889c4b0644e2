"""Our specs against the facts of Mixpanel's official specs: every difference must be listed.

The facts (`openapi/official_facts.json`) come from `scripts/official_facts.py`; the listed,
deliberate differences from `openapi/differences/*.yaml` (format in that folder's README). A
difference found and not listed fails, and so does a listed one that is no longer found.
"""

from __future__ import annotations

import pytest

from tests.conformance.compare import (
    TABLE_BEGIN,
    as_yaml,
    differences,
    entry_key,
    listed,
    official_facts,
    readme_table,
)
from tests.conformance.spec_facts import DIFFERENCES, GROUPS, OFFICIAL_FILES, OPENAPI

_FIELDS = {"official", "ours", "difference", "reason", "evidence"}


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_every_difference_is_listed_and_every_listed_one_exists(group: str) -> None:
    """Found differences == listed differences, for one group of official files."""
    if not (DIFFERENCES / group).exists():
        pytest.skip(f"openapi/differences/{group} does not exist yet")
    found = set(differences(group))
    entries = listed(group)
    keys = [entry_key(e) for e in entries]
    unlisted = sorted(found - set(keys))
    stale = sorted(set(keys) - found)
    message = []
    if unlisted:
        message.append(
            f"{len(unlisted)} difference(s) from Mixpanel's official specs not listed in "
            f"openapi/differences/{group}: fix our spec, or add (with a reason):\n"
            + "".join(as_yaml(d) for d in unlisted)
        )
    if stale:
        message.append(
            f"{len(stale)} listed difference(s) no longer found (remove them from "
            f"openapi/differences/{group}):\n" + "".join(f"  {d}\n" for d in stale)
        )
    assert not message, "\n".join(message)


@pytest.mark.parametrize("path", sorted(DIFFERENCES.glob("*.yaml")), ids=lambda p: p.name)
def test_entries_are_complete_and_unique(path: object) -> None:
    """Each entry has the five fields, a non-empty reason and evidence, and appears once."""
    group = getattr(path, "name", "")
    assert group in GROUPS, f"{group}: not a known differences file ({sorted(GROUPS)})"
    entries = listed(group)
    for entry in entries:
        assert set(entry) == _FIELDS, f"{group}: {entry} must have exactly {sorted(_FIELDS)}"
        for field in ("reason", "evidence"):
            text = str(entry[field]).strip()
            assert text not in ("", "TODO"), f"{group}: {entry_key(entry)} needs a {field}"
    keys = [entry_key(e) for e in entries]
    twice = {k for k in keys if keys.count(k) > 1}
    assert not twice, f"{group}: listed more than once: {sorted(twice)}"


def test_the_facts_cover_every_official_file_in_scope() -> None:
    """The checked-in facts hold every official file the groups name, and came from a commit."""
    facts = official_facts()
    assert sorted(facts["operations"]) == sorted(OFFICIAL_FILES)
    assert facts["source"].startswith("mixpanel/docs")


def test_the_readme_table_is_up_to_date() -> None:
    """openapi/README.md carries the table generated from the differences files."""
    readme = (OPENAPI / "README.md").read_text()
    assert TABLE_BEGIN in readme, "openapi/README.md lacks the differences table's markers"
    assert readme_table() in readme, (
        "openapi/README.md's differences table is out of date: "
        "run `python scripts/official_facts.py --table`"
    )
