"""The custom-property formula language: parsing (types, referenced properties, refusals) and
values computed with Polars, checked against expectations written by hand per row."""

from __future__ import annotations

import json
from typing import Any

import polars as pl
import pytest

from mixpanel_async.emulator.engine import custom_property_lang as lang

ROWS: list[dict[str, Any]] = [
    {"src": "Facebook", "price": 3, "qty": 2, "email": "ann@x.com", "paid": True},
    {"src": "bing", "price": 2.5, "qty": "4", "paid": False},
    {"email": "bob@y.org"},
    {"src": "Twitter", "price": "x", "qty": 0},
]
VARIABLES = {
    name: {"resourceType": "event", "value": prop}
    for name, prop in {"A": "src", "P": "price", "Q": "qty", "E": "email", "B": "paid"}.items()
}


def values(formula: str) -> list[Any]:
    frame = pl.DataFrame({"properties": [json.dumps(r) for r in ROWS]})
    return lang.evaluate_frame(frame, lang.parse(formula, VARIABLES)).to_list()


@pytest.mark.parametrize(
    ("formula", "kind", "expected"),
    [
        ('if(A == "Facebook" or A == "Twitter", "Social", A)', "string",
         ["Social", "bing", None, "Social"]),
        ("P * Q", "number", [6.0, 10.0, None, None]),
        ("P / Q", "number", [1.5, 0.625, None, None]),  # x / 0 is undefined
        ('A + "-" + P', "string", ["Facebook-3", "bing-2.5", None, "Twitter-x"]),
        ("defined(A)", "boolean", [True, True, False, True]),
        ("not defined(E)", "boolean", [False, True, False, True]),
        ('ifs(P > 2.6, "high", P > 0, "low")', "string", ["high", "low", None, None]),
        ('split(E, "@", 2)', "string", ["x.com", None, "y.org", None]),
        ("upper(left(A, 3))", "string", ["FAC", "BIN", None, "TWI"]),
        ("lower(right(A, 2))", "string", ["ok", "ng", None, "er"]),
        ("mid(E, 2, 3)", "string", ["nn@", None, "ob@", None]),
        ('regex_extract(E, "@(.*)$", 1)', "string", ["x.com", None, "y.org", None]),
        ('regex_match(A, "^[A-Z]")', "boolean", [True, False, None, True]),
        ('regex_replace(A, "[aeiou]", "_")', "string", ["F_c_b__k", "b_ng", None, "Tw_tt_r"]),
        ("len(A)", "number", [8.0, 4.0, None, 7.0]),
        ('"ook" in A', "boolean", [True, False, None, False]),
        ("round(P / 3, 2)", "number", [1.0, 0.83, None, None]),
        ("floor(P) + ceil(P) - abs(-1)", "number", [5.0, 4.0, None, None]),
        ("max(P, Q)", "number", [3.0, 4.0, None, 0.0]),
        ("min(P, 2.6)", "number", [2.6, 2.5, 2.6, 2.6]),
        ('properties["src"] != "bing"', "boolean", [True, False, True, True]),
        ("B", "string", ["true", "false", None, None]),
        ('if(B, "yes", "no")', "string", ["yes", "no", "no", "no"]),
        ("number(Q) % 3", "number", [2.0, 1.0, None, 0.0]),
        ('string(P) + "!"', "string", ["3!", "2.5!", None, "x!"]),
        ("-P >= -2.5 and true", "boolean", [False, True, None, None]),
    ],
)  # fmt: skip
def test_values(formula: str, kind: str, expected: list[Any]) -> None:
    assert lang.parse(formula, VARIABLES).type == kind
    assert values(formula) == expected


def test_referenced_properties_in_order() -> None:
    parsed = lang.parse('if(defined(E), E, properties["other"] + A)', VARIABLES)
    assert parsed.properties == ("email", "other", "src")


def test_keywords_and_functions_are_case_insensitive() -> None:
    assert values('IF(A == "bing" OR NOT DEFINED(A), "x", "y")') == ["y", "x", "x", "y"]


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        ("", "empty"),
        ("if(A", "expected ')'"),
        ("Z + 1", "unknown variable 'Z'"),
        ("foo(A)", "unknown function foo()"),
        ("today()", "today() is not supported"),
        ("datedif(A, A, \"D\")", "datedif() is not supported"),
        ("if(A)", "if() takes 2 to 3 arguments, got 1"),
        ("ifs(A, 1, A)", "ifs() takes condition/value pairs"),
        ("len(A, 2)", "len() takes 1 argument, got 2"),
        ('"x', "unexpected character"),
        ("A ==", "unexpected end"),
        ("A B", "unexpected 'B'"),
        ("properties[A]", "quoted property name"),
        ("x" * 20_001, "longer than 20000"),
    ],
)  # fmt: skip
def test_refusals(formula: str, message: str) -> None:
    with pytest.raises(lang.FormulaError) as info:
        lang.parse(formula, VARIABLES)
    assert message in str(info.value)


def test_a_split_needs_a_literal_part() -> None:
    with pytest.raises(lang.FormulaError, match="literal part number"):
        values('split(E, "@", Q)')
