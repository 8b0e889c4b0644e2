"""How a membership condition names a cohort: a saved cohort's id, or an inline definition
sent as `raw_cohort`.

`InlineCohort` is the base of `reports.cohorts.CohortDefinition`; it sits below `Filter` so
that `Filter.in_cohort` can take a definition although definitions are made of `Filter`s.
"""

from __future__ import annotations

import abc
from typing import Any

from mixpanel_async.reports.arguments import check_cohort


class InlineCohort(abc.ABC):
    """An inline cohort definition: anything that writes Mixpanel's cohort definition JSON
    (`CohortDefinition` is the one kind)."""

    __slots__ = ()

    @abc.abstractmethod
    def to_dict(self) -> dict[str, Any]:
        """`{"selector": <expression tree>, "behaviors": {...}}`."""


def raw_cohort(definition: InlineCohort) -> dict[str, Any]:
    """A definition as sent inline (`raw_cohort`): its JSON without the empty `selector` of
    a behavior that filters no events (Mixpanel cannot walk a null selector)."""
    found = definition.to_dict()
    for behavior in found["behaviors"].values():
        selector = behavior.get("count", {}).get("event_selector")
        if isinstance(selector, dict) and selector.get("selector") is None:
            del selector["selector"]
    return found


def cohort_reference(
    cohort: int | InlineCohort, name: str | None, family: str, *, negated: bool
) -> dict[str, Any]:
    """A cohort as a membership filter names it: `negated`, `name`, and the saved cohort's
    `id` or the definition's `raw_cohort` (checked: a positive id, a non-blank name)."""
    named: dict[str, Any] = {"negated": negated, "name": name or ""}
    if isinstance(cohort, InlineCohort):
        check_cohort(1, name, family)  # a definition has no id to check; its name is checked
        named["raw_cohort"] = raw_cohort(cohort)
    else:
        check_cohort(cohort, name, family)
        named["id"] = cohort
    return named
