"""`Filter`: one condition of a report, built with the seed's constructors.

Like every report block it is a frozen attrs class that checks itself when built
(`ParamValidationError` naming the field, with the peer's error code);
`reports.filter_json` turns it into bookmark JSON. The breakdowns live in
`reports.breakdowns`.
"""

from __future__ import annotations

from typing import Any, Literal

import attrs

from mixpanel_async.reports.arguments import (
    OPERATOR_NAMES,
    WIRE_OPERATORS,
    iso_day,
    ordered_days,
    positive_quantity,
    refuse,
    single_bool,
)
from mixpanel_async.reports.cohort_refs import InlineCohort, cohort_reference
from mixpanel_async.reports.custom import InlineCustomProperty, PropertySpec
from mixpanel_async.reports.literals import (
    FilterDateUnit,
    FilterOperator,
    FilterPropertyType,
    ResourceType,
)

FilterValue = str | int | float | list[str] | list[int | float] | list[dict[str, Any]] | None
"""What a filter compares against (a `filterValue` on the wire)."""


@attrs.frozen
class Filter:
    """One condition on an event or profile property. Build it with a constructor
    (`Filter.equals("country", "US")`, `Filter.greater_than("amount", 50)`,
    `Filter.in_cohort(123)`, `Filter.in_the_last("created", 7, "day")`, ...); the fields hold
    the wire form: the property, the operator as Mixpanel spells it, the value, the property's
    type, `events` or `people`, a date unit, and the inner conditions of `list_contains`."""

    _property: PropertySpec = attrs.field(alias="_property")
    _operator: str = attrs.field(alias="_operator")
    _value: FilterValue = attrs.field(alias="_value")
    _property_type: FilterPropertyType = attrs.field(default="string", alias="_property_type")
    _resource_type: ResourceType = attrs.field(default="events", alias="_resource_type")
    _date_unit: FilterDateUnit | None = attrs.field(default=None, alias="_date_unit")
    _list_item_filters: tuple[Filter, ...] | None = attrs.field(
        default=None, alias="_list_item_filters"
    )
    _list_item_quantifier: Literal["any", "all"] | None = attrs.field(
        default=None, alias="_list_item_quantifier"
    )

    def __attrs_post_init__(self) -> None:
        """Normalise the operator (constructor names are accepted) and check it fits."""
        given: object = self._operator
        wire = OPERATOR_NAMES.get(given, given) if isinstance(given, str) else given
        if not isinstance(wire, str) or wire not in WIRE_OPERATORS:
            raise refuse(
                f"unknown filter operator {given!r}; use one of {sorted(WIRE_OPERATORS)} or a "
                f"constructor name ({', '.join(sorted(OPERATOR_NAMES))})",
                "operator", "F1_UNKNOWN_OPERATOR",
            )  # fmt: skip
        prop = self._property
        kind = prop.property_type if isinstance(prop, InlineCustomProperty) else None
        if (kind or self._property_type) == "boolean":
            truth = single_bool(self._value) if wire in ("equals", "does not equal") else None
            if truth is not None:
                wire = "true" if truth == (wire == "equals") else "false"
                object.__setattr__(self, "_value", None)
            if wire not in ("true", "false"):
                raise refuse(
                    f"a boolean property ({self._property!r}) takes only 'true' or 'false', "
                    f"not {wire!r}: use Filter.is_true() / Filter.is_false()",
                    "operator", "F2_BOOLEAN_OPERATOR",
                )  # fmt: skip
        if wire in ("true", "false") and self._value is not None:
            raise refuse(
                f"operator {wire!r} compares against nothing, got value {self._value!r}",
                "value", "F3_BOOLEAN_VALUE",
            )  # fmt: skip
        object.__setattr__(self, "_operator", wire)
        if wire == "list_contains" and self._list_item_filters is None:
            raise refuse(
                "list_contains needs inner filters: use Filter.list_contains()",
                "list_item_filters",
                "LC1_MISSING_ITEM_FILTERS",
            )
        if wire == "list_contains" and self._list_item_quantifier is None:
            raise refuse(
                "list_contains needs a quantifier: use Filter.list_contains()",
                "quantifier",
                "LC2_MISSING_QUANTIFIER",
            )

    # --- strings ---------------------------------------------------------------------------

    @classmethod
    def _make(
        cls, prop: PropertySpec, operator: FilterOperator, value: FilterValue,
        kind: FilterPropertyType, resource_type: ResourceType,
        date_unit: FilterDateUnit | None = None,
    ) -> Filter:  # fmt: skip
        return cls(
            _property=prop, _operator=operator, _value=value, _property_type=kind,
            _resource_type=resource_type, _date_unit=date_unit,
        )  # fmt: skip

    @classmethod
    def equals(
        cls,
        property: PropertySpec,
        value: str | list[str],
        *,
        resource_type: ResourceType = "events",
    ) -> Filter:
        """The property equals `value` (or any of a list of values)."""
        return cls._make(
            property,
            "equals",
            [value] if isinstance(value, str) else value,
            "string",
            resource_type,
        )

    @classmethod
    def not_equals(
        cls,
        property: PropertySpec,
        value: str | list[str],
        *,
        resource_type: ResourceType = "events",
    ) -> Filter:
        """The property equals none of the values."""
        return cls._make(
            property,
            "does not equal",
            [value] if isinstance(value, str) else value,
            "string",
            resource_type,
        )

    @classmethod
    def contains(
        cls, property: PropertySpec, value: str, *, resource_type: ResourceType = "events"
    ) -> Filter:
        """The property contains the substring `value`."""
        return cls._make(property, "contains", value, "string", resource_type)

    @classmethod
    def not_contains(
        cls, property: PropertySpec, value: str, *, resource_type: ResourceType = "events"
    ) -> Filter:
        """The property does not contain the substring `value`."""
        return cls._make(property, "does not contain", value, "string", resource_type)

    @classmethod
    def starts_with(
        cls, property: PropertySpec, prefix: str, *, resource_type: ResourceType = "events"
    ) -> Filter:
        """The property starts with `prefix`."""
        return cls._make(property, "starts with", prefix, "string", resource_type)

    @classmethod
    def ends_with(
        cls, property: PropertySpec, suffix: str, *, resource_type: ResourceType = "events"
    ) -> Filter:
        """The property ends with `suffix`."""
        return cls._make(property, "ends with", suffix, "string", resource_type)

    @classmethod
    def is_set(cls, property: PropertySpec, *, resource_type: ResourceType = "events") -> Filter:
        """The property has a value."""
        return cls._make(property, "is set", None, "string", resource_type)

    @classmethod
    def is_not_set(
        cls, property: PropertySpec, *, resource_type: ResourceType = "events"
    ) -> Filter:
        """The property has no value."""
        return cls._make(property, "is not set", None, "string", resource_type)

    # --- numbers ---------------------------------------------------------------------------

    @classmethod
    def greater_than(
        cls, property: PropertySpec, value: int | float, *, resource_type: ResourceType = "events"
    ) -> Filter:
        """The numeric property is above `value`."""
        return cls._make(property, "is greater than", value, "number", resource_type)

    @classmethod
    def less_than(
        cls, property: PropertySpec, value: int | float, *, resource_type: ResourceType = "events"
    ) -> Filter:
        """The numeric property is below `value`."""
        return cls._make(property, "is less than", value, "number", resource_type)

    @classmethod
    def at_least(
        cls, property: PropertySpec, value: int | float, *, resource_type: ResourceType = "events"
    ) -> Filter:
        """The numeric property is `value` or more."""
        return cls._make(property, "is at least", value, "number", resource_type)

    @classmethod
    def at_most(
        cls, property: PropertySpec, value: int | float, *, resource_type: ResourceType = "events"
    ) -> Filter:
        """The numeric property is `value` or less."""
        return cls._make(property, "is at most", value, "number", resource_type)

    @classmethod
    def between(
        cls,
        property: PropertySpec,
        min_val: int | float,
        max_val: int | float,
        *,
        resource_type: ResourceType = "events",
    ) -> Filter:
        """The numeric property lies within `min_val`..`max_val`."""
        return cls._make(property, "is between", [min_val, max_val], "number", resource_type)

    @classmethod
    def not_between(
        cls,
        property: PropertySpec,
        min_val: int | float,
        max_val: int | float,
        *,
        resource_type: ResourceType = "events",
    ) -> Filter:
        """The numeric property lies outside `min_val`..`max_val`."""
        return cls._make(property, "not between", [min_val, max_val], "number", resource_type)

    # --- booleans --------------------------------------------------------------------------

    @classmethod
    def is_true(cls, property: PropertySpec, *, resource_type: ResourceType = "events") -> Filter:
        """The boolean property is true."""
        return cls._make(property, "true", None, "boolean", resource_type)

    @classmethod
    def is_false(cls, property: PropertySpec, *, resource_type: ResourceType = "events") -> Filter:
        """The boolean property is false."""
        return cls._make(property, "false", None, "boolean", resource_type)

    # --- cohorts ---------------------------------------------------------------------------

    @classmethod
    def in_cohort(cls, cohort: int | InlineCohort, name: str | None = None) -> Filter:
        """The user belongs to the saved cohort `cohort` (an id) or to an inline
        `CohortDefinition`."""
        return cls._cohort(cohort, name, negated=False)

    @classmethod
    def not_in_cohort(cls, cohort: int | InlineCohort, name: str | None = None) -> Filter:
        """The user does not belong to the saved cohort `cohort` (or inline definition)."""
        return cls._cohort(cohort, name, negated=True)

    @classmethod
    def _cohort(cls, cohort: int | InlineCohort, name: str | None, *, negated: bool) -> Filter:
        entry = {"cohort": cohort_reference(cohort, name, "CF", negated=negated)}
        operator: FilterOperator = "does not contain" if negated else "contains"
        return cls._make("$cohorts", operator, [entry], "list", "events")

    # --- dates -----------------------------------------------------------------------------

    @classmethod
    def on(
        cls, property: PropertySpec, date: str, *, resource_type: ResourceType = "events"
    ) -> Filter:
        """The datetime property falls on `date` (YYYY-MM-DD)."""
        iso_day(date, "date")
        return cls._make(property, "was on", date, "datetime", resource_type)

    @classmethod
    def not_on(
        cls, property: PropertySpec, date: str, *, resource_type: ResourceType = "events"
    ) -> Filter:
        """The datetime property does not fall on `date`."""
        iso_day(date, "date")
        return cls._make(property, "was not on", date, "datetime", resource_type)

    @classmethod
    def before(
        cls, property: PropertySpec, date: str, *, resource_type: ResourceType = "events"
    ) -> Filter:
        """The datetime property is before `date`."""
        iso_day(date, "date")
        return cls._make(property, "was before", date, "datetime", resource_type)

    @classmethod
    def since(
        cls, property: PropertySpec, date: str, *, resource_type: ResourceType = "events"
    ) -> Filter:
        """The datetime property is on or after `date`."""
        iso_day(date, "date")
        return cls._make(property, "was since", date, "datetime", resource_type)

    @classmethod
    def in_the_last(
        cls,
        property: PropertySpec,
        quantity: int,
        date_unit: FilterDateUnit,
        *,
        resource_type: ResourceType = "events",
    ) -> Filter:
        """The datetime property is within the last `quantity` `date_unit`s."""
        return cls._make(
            property,
            "was in the",
            positive_quantity(quantity),
            "datetime",
            resource_type,
            date_unit,
        )

    @classmethod
    def not_in_the_last(
        cls,
        property: PropertySpec,
        quantity: int,
        date_unit: FilterDateUnit,
        *,
        resource_type: ResourceType = "events",
    ) -> Filter:
        """The datetime property is not within the last `quantity` `date_unit`s."""
        return cls._make(
            property,
            "was not in the",
            positive_quantity(quantity),
            "datetime",
            resource_type,
            date_unit,
        )

    @classmethod
    def in_the_next(
        cls,
        property: PropertySpec,
        quantity: int,
        date_unit: FilterDateUnit,
        *,
        resource_type: ResourceType = "events",
    ) -> Filter:
        """The datetime property is within the next `quantity` `date_unit`s."""
        return cls._make(
            property,
            "was in the next",
            positive_quantity(quantity),
            "datetime",
            resource_type,
            date_unit,
        )

    @classmethod
    def date_between(
        cls,
        property: PropertySpec,
        from_date: str,
        to_date: str,
        *,
        resource_type: ResourceType = "events",
    ) -> Filter:
        """The datetime property is within `from_date`..`to_date` (inclusive days)."""
        return cls._make(
            property, "was between", ordered_days(from_date, to_date), "datetime", resource_type
        )

    @classmethod
    def date_not_between(
        cls,
        property: PropertySpec,
        from_date: str,
        to_date: str,
        *,
        resource_type: ResourceType = "events",
    ) -> Filter:
        """The datetime property is outside `from_date`..`to_date`."""
        return cls._make(
            property,
            "was not between",
            ordered_days(from_date, to_date),
            "datetime",
            resource_type,
        )

    # --- lists of objects ------------------------------------------------------------------

    @classmethod
    def list_contains(
        cls, property: str, *item_filters: Filter, quantifier: Literal["any", "all"] = "any",
        resource_type: ResourceType = "events", **equals: str | list[str],
    ) -> Filter:  # fmt: skip
        """A list-of-objects property has `quantifier` item(s) matching the inner conditions:
        `Filter` arguments, or `key=value` equality shorthand (not both)."""
        if item_filters and equals:
            raise refuse(
                "give inner Filters or key=value shorthand, not both",
                "item_filters",
                "LC3_MIXED_ARGS",
            )
        if quantifier not in ("any", "all"):
            raise refuse(
                f"quantifier must be 'any' or 'all', got {quantifier!r}",
                "quantifier",
                "LC4_INVALID_QUANTIFIER",
            )
        for key, value in equals.items():
            if not key.strip():
                raise refuse("shorthand keys must not be blank", "equals", "LC5_EMPTY_KWARG_KEY")
            if not isinstance(value, str | list):
                raise refuse(
                    f"shorthand {key!r} needs a str or list of str", key, "LC6_KWARG_VALUE_TYPE"
                )
        inner = item_filters or tuple(
            cls.equals(key, value, resource_type=resource_type) for key, value in equals.items()
        )
        if not inner:
            raise refuse(
                "list_contains needs at least one inner condition",
                "item_filters",
                "LC7_NO_CONDITIONS",
            )
        if any(f._operator == "list_contains" for f in inner):
            raise refuse(
                "list_contains conditions cannot nest", "item_filters", "LC8_NESTED_LIST_CONTAINS"
            )
        return cls(
            _property=property, _operator="list_contains", _value=None, _property_type="object",
            _resource_type=resource_type, _list_item_filters=tuple(inner),
            _list_item_quantifier=quantifier,
        )  # fmt: skip
