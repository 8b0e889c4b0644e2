"""Tests for the segmentation-expression parser, evaluator and polars compiler."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import polars as pl
import pytest

from mixpanel_async.emulator.engine.expressions import (
    Binary,
    Call,
    ExpressionError,
    ListLiteral,
    Literal,
    Node,
    Property,
    Unary,
    evaluate,
    matches,
    parse,
    referenced_properties,
    to_polars,
)

NOW = datetime(2024, 3, 1, tzinfo=UTC)


def ev(text: str, props: dict[str, Any] | None = None) -> Any:
    return evaluate(parse(text), props or {}, now=NOW)


# --- parsing -----------------------------------------------------------------------------------


def test_parse_property_access_both_quote_styles() -> None:
    assert parse('properties["$os"]') == Property("$os")
    assert parse("properties['$os']") == Property("$os")
    assert parse('user["$email"]') == Property("$email", "user")


def test_parse_precedence_of_arithmetic() -> None:
    tree = parse("1 + 2 * 3")
    assert tree == Binary("+", Literal(1), Binary("*", Literal(2), Literal(3)))
    assert ev("1 + 2 * 3") == 7
    assert ev("(1 + 2) * 3") == 9
    assert ev("10 - 4 - 3") == 3  # left associative


def test_parse_precedence_of_logic() -> None:
    # and binds tighter than or; not binds looser than comparisons
    tree = parse("true or false and false")
    assert tree == Binary("or", Literal(True), Binary("and", Literal(False), Literal(False)))
    tree = parse('not "x" in properties["p"]')
    assert tree == Unary("not", Binary("in", Literal("x"), Property("p")))
    assert ev("not 1 == 2") is True


def test_parse_keywords_are_case_insensitive() -> None:
    assert parse("TRUE AND NOT false OR 1 IN [1]") == parse("true and not false or 1 in [1]")
    assert ev("true AND false") is False
    assert ev("false OR true") is True


def test_parse_negative_literals_fold_into_lists() -> None:
    assert parse("[-1, 2]") == ListLiteral((Literal(-1), Literal(2)))
    assert parse('-properties["a"]') == Unary("-", Property("a"))


def test_parse_function_call_and_list() -> None:
    assert parse('defined(properties["x"])') == Call("defined", (Property("x"),))
    assert parse("[]") == ListLiteral(())


def test_parse_string_escapes() -> None:
    assert ev(r'"a\"b"') == 'a"b'
    assert ev(r"'it\'s'") == "it's"
    assert ev(r'"tab\tnew\nline\\ \u00e9 \/"') == "tab\tnew\nline\\ é /"
    assert parse(r'properties["we\"ird"]') == Property('we"ird')


def test_parse_numbers() -> None:
    assert ev("42") == 42
    assert isinstance(ev("42"), int)
    assert ev("1.5") == 1.5
    assert ev(".5") == 0.5
    assert ev("1e3") == 1000.0


def test_parse_is_cached() -> None:
    text = 'properties["cached"] == 1'
    assert parse(text) is parse(text)


def test_parse_positions_are_ignored_by_equality() -> None:
    assert parse('properties["a"]==1') == parse('  properties["a"]  ==  1')


def test_referenced_properties() -> None:
    text = 'defined(properties["a"]) and user["b"] in ["x"] or event["$time"] > NOW'
    assert referenced_properties(parse(text)) == {"a", "b", "time"}
    assert referenced_properties(parse("1 + 2")) == set()


# --- syntax errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "position", "fragment"),
    [
        ("", 0, "Empty expression"),
        ("   ", 0, "Empty expression"),
        ("(1 + 2", 6, "Expected ')'"),
        ("((1)", 4, "to close '(' at position 0"),
        ("1 + 2)", 5, "after the expression"),
        ('properties["a"] == 1 2', 21, "after the expression"),
        ("foo(1)", 0, "Unknown function 'foo'"),
        ('1 + bogus(properties["a"])', 4, "Unknown function 'bogus'"),
        ('"bad \\q escape"', 5, "Invalid escape"),
        ('"\\u12"', 1, "Invalid escape"),
        ('"unterminated', 0, "Unterminated string"),
        ("country == 1", 0, "Unknown name 'country'"),
        ('properties["a"] = 1', 16, "use '=='"),
        ("true && false", 5, "use 'and'"),
        ("properties[1]", 11, "quoted property name"),
        ("properties", 10, "Expected '['"),
        ("defined()", 0, "takes 1 argument"),
        ("has_prefix(1)", 0, "takes 2 argument"),
        ("1 +", 3, "end of expression"),
        ("[1, 2", 5, "to close '['"),
        ("and", 0, "Unexpected 'and'"),
        ("1 # 2", 2, "Unexpected character '#'"),
    ],
)
def test_syntax_errors_report_positions(text: str, position: int, fragment: str) -> None:
    with pytest.raises(ExpressionError) as info:
        parse(text)
    err = info.value
    assert err.position == position
    assert fragment in err.message
    assert f"at position {position}" in str(err)
    assert isinstance(err, ValueError)


def test_deep_nesting_is_an_expression_error() -> None:
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse("(" * 5000 + "1" + ")" * 5000)


# --- evaluation --------------------------------------------------------------------------------

PROPS = {"n": 10, "f": 2.5, "s": "hello", "b": True, "l": ["a", 1], "z": 0, "t": "2024-01-05"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # arithmetic
        ('properties["n"] + 5', 15),
        ('properties["n"] - properties["f"]', 7.5),
        ('properties["n"] * 3', 30),
        ('properties["n"] / 4', 2.5),
        ('properties["n"] % 3', 1),
        ("-7 % 3", -1),  # the remainder takes the dividend's sign
        ("7 % -3", 1),
        ("-7.5 % 2", -1.5),
        ('properties["n"] / properties["z"]', None),  # division by zero is undefined
        ('properties["n"] % 0', None),
        ('properties["s"] + " world"', "hello world"),
        ('properties["s"] + 1', None),
        ('properties["s"] * 2', None),
        ('-properties["n"]', -10),
        ('-properties["s"]', None),
        ('properties["missing"] + 1', None),
        # comparisons
        ('properties["n"] == 10', True),
        ('properties["n"] == 10.0', True),
        ('properties["n"] == "10"', False),  # mixed types: false, never an error
        ('properties["n"] != "10"', True),
        ('properties["n"] > 9', True),
        ('properties["n"] >= 10', True),
        ('properties["n"] < 10', False),
        ('properties["n"] <= 9.5', False),
        ('properties["n"] > "9"', None),  # mismatched types: undefined
        ('properties["s"] > "a"', True),
        ('properties["b"] == true', True),
        ('properties["b"] == 1', False),
        ('properties["b"] > false', None),
        # undefined
        ('properties["missing"] == 1', False),
        ('properties["missing"] != 1', True),
        ('properties["missing"] > 1', None),
        ('properties["missing"] == properties["other"]', False),
        ('defined(properties["missing"])', False),
        ('defined(properties["z"])', True),
        ('not defined(properties["missing"])', True),
        # in
        ('properties["n"] in [1, 10, 100]', True),
        ('properties["n"] in ["10"]', False),
        ('"a" in properties["l"]', True),
        ('1 in properties["l"]', True),
        ('"b" in properties["l"]', False),
        ('"ell" in properties["s"]', True),
        ('"ELL" in properties["s"]', False),
        ('1 in properties["s"]', None),
        ('"x" in properties["missing"]', None),
        ('properties["missing"] in [1, 2]', None),
        ('not "a" in properties["l"]', False),
        # not
        ('not properties["b"]', False),
        ('not properties["missing"]', True),
        ('not properties["s"]', None),
        # and / or
        ('properties["b"] and properties["n"] > 5', True),
        ('properties["missing"] or properties["n"] > 50', False),
        ('properties["missing"] and properties["s"]', False),  # short-circuits
        # functions
        ('boolean(properties["s"])', True),
        ('boolean("false")', False),
        ('boolean("")', False),
        ("boolean(0)", False),
        ('boolean(properties["missing"])', False),
        ('number("12.5")', 12.5),
        ('number("12abc")', None),
        ("number(true)", 1.0),
        ('number(properties["missing"])', None),
        ('string(properties["n"])', "10"),
        ("string(false)", "false"),
        ('string(properties["missing"])', None),
        ('string(properties["missing"], "undefined")', "undefined"),
        ("floor(2.7)", 2.0),
        ("ceil(2.1)", 3.0),
        ("round(2.5)", 3.0),
        ("round(-2.5)", -3.0),
        ('round("2.5")', None),
        ('has_prefix(properties["s"], "he")', True),
        ('has_prefix(properties["s"], 1)', None),
        ('list(properties["l"])', ["a", 1]),
        ('list(properties["s"])', None),
    ],
)
def test_evaluate(text: str, expected: Any) -> None:
    result = ev(text, PROPS)
    assert result == expected
    assert type(result) is type(expected) or isinstance(expected, float)


def test_and_or_reject_non_boolean_operands() -> None:
    with pytest.raises(ExpressionError, match="'and' needs boolean operands") as info:
        ev('properties["s"] and true', PROPS)
    assert info.value.position == 16
    with pytest.raises(ExpressionError, match="'or'"):
        ev('false or properties["n"]', PROPS)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-01-05T10:00:00", datetime(2024, 1, 5, 10, tzinfo=UTC)),
        ("2024-01-05", datetime(2024, 1, 5, tzinfo=UTC)),
        ("2014-09-9", datetime(2014, 9, 9, tzinfo=UTC)),  # as in Mixpanel's own examples
        ("2024-01-05 10:00:00.250Z", datetime(2024, 1, 5, 10, 0, 0, 250000, tzinfo=UTC)),
        (1704067200, datetime(2024, 1, 1, tzinfo=UTC)),  # Unix seconds
        (1704067200500, datetime(2024, 1, 1, 0, 0, 0, 500000, tzinfo=UTC)),  # milliseconds
        (datetime(2024, 1, 1, 5), datetime(2024, 1, 1, 5, tzinfo=UTC)),  # naive means UTC
        (0, None),
        ("2024-02-30", None),
        ("yesterday", None),
        (True, None),
    ],
)
def test_datetime_cast(value: Any, expected: datetime | None) -> None:
    assert evaluate(parse('datetime(properties["v"])'), {"v": value}) == expected


@pytest.mark.parametrize(
    ("value", "passes"),
    [
        ("2024-01-02T00:00:00", True),
        ("2023-12-31", False),
        (1704153600, True),  # 2024-01-02 in Unix seconds
        (1703980800000, False),  # 2023-12-31 in milliseconds
        (datetime(2024, 6, 1, tzinfo=UTC), True),
        ("not a date", False),
        (None, False),
    ],
)
def test_datetime_comparisons_accept_strings_numbers_and_datetimes(
    value: Any, passes: bool
) -> None:
    where = 'properties["$last_seen"] > datetime("2024-01-01T00:00:00")'
    assert matches(where, {"$last_seen": value}) is passes


def test_datetime_equality_and_now_macro() -> None:
    assert ev('properties["t"] == datetime("2024-01-05T00:00:00")', PROPS) is True
    assert ev("NOW") == int(NOW.timestamp())
    recent = 'datetime(properties["t"]) >= datetime(NOW - 86400 * 60)'
    assert ev(recent, PROPS) is True  # 2024-01-05 is within 60 days of 2024-03-01
    assert ev(recent.replace("60", "30"), PROPS) is False


def test_event_accessor_and_event_name() -> None:
    record = {"time": 1704067200, "plan": "pro"}
    assert matches('event["$time"] >= datetime("2024-01-01")', record)
    node = parse('properties["$event_name"] == "Signed Up"')
    assert evaluate(node, record, event="Signed Up") is True
    assert evaluate(node, record, event="Other") is False


def test_matches_needs_exactly_true() -> None:
    assert matches('properties["n"] > 1', PROPS) is True
    assert matches('properties["n"] > "1"', PROPS) is False  # undefined does not pass
    assert matches('properties["s"]', PROPS) is False  # a string is not true
    assert matches(parse("true"), {}) is True


def test_null_values_count_as_undefined() -> None:
    assert matches('defined(properties["x"])', {"x": None}) is False
    assert matches('properties["x"] != 1', {"x": None}) is True


# --- polars compilation ------------------------------------------------------------------------

RECORDS: list[dict[str, Any]] = [
    {"country": "US", "age": 30, "score": 1.5, "tags": ["a", "b"], "active": True,
     "signup": "2024-01-05T10:00:00", "ts": 1704067200, "email": "ann@gmail.com", "plan": "pro",
     "ratio": 7.5, "seen": datetime(2024, 1, 3, 12), "zip": "02139"},
    {"country": "CA", "age": 17, "score": -2.5, "tags": [], "active": False,
     "signup": "2023-12-31", "ts": 1706745600000, "email": "bob@yahoo.com", "plan": "free",
     "ratio": -7.5, "seen": datetime(2024, 1, 4), "zip": "n/a"},
    {"country": "US", "age": 45, "tags": ["b"], "signup": "not a date", "ts": 0, "ratio": 0.5},
    {"age": 0, "score": 0.0, "active": True, "email": "", "zip": "1e3"},
    {"country": "UK", "score": 100.0, "tags": ["c", "a"], "signup": "2024-02-30", "plan": "pro",
     "ts": 1704153600, "seen": datetime(2023, 6, 1), "email": "carol@example.com"},
    {},
    {"country": "us", "age": 18, "score": 2.5, "active": False, "signup": "2024-1-9",
     "email": "bobby@gmail.com", "ratio": 2.0, "zip": "-0.5"},
]  # fmt: skip

EXPRESSIONS = [
    'properties["country"] == "US"',
    'properties["country"] != "US"',
    'properties["age"] > 18',
    'properties["age"] >= 18 and properties["age"] < 45',
    'properties["age"] == "30"',
    'properties["age"] > "18"',
    'properties["country"] in ["US", "CA"]',
    'properties["age"] in [17, 45.0, "30"]',
    '"a" in properties["tags"]',
    'not "a" in properties["tags"]',
    '"gmail" in properties["email"]',
    '"US" in properties["country"]',
    'defined(properties["score"])',
    'not defined(properties["plan"])',
    'properties["active"] == true',
    'not properties["active"]',
    'properties["score"] * 2 > 2',
    'properties["age"] / 0 == 1',
    'properties["age"] % 7 == 3',
    'properties["ratio"] % 2 == -1.5 or properties["ratio"] % 2 == 1.5',
    'properties["score"] + 1 >= 1',
    'properties["country"] + "-x" == "US-x"',
    'properties["signup"] > datetime("2024-01-01")',
    'datetime(properties["ts"]) >= datetime("2024-01-01T00:00:00")',
    'properties["ts"] < datetime(1704100000)',
    'properties["seen"] <= datetime("2024-01-03T12:00:00")',
    'datetime(properties["signup"]) > datetime(NOW - 86400 * 90)',
    'number(properties["zip"]) > 100',
    'string(properties["age"]) == "30"',
    'boolean(properties["email"])',
    'has_prefix(properties["email"], "bob")',
    'floor(properties["score"]) == -3 or round(properties["score"]) == 3',
    'ceil(properties["ratio"]) == 8',
    'properties["age"] > 18 or properties["country"] == "UK" and not defined(properties["age"])',
    'properties["missing"] == properties["missing"]',
    'properties["missing"] != "x"',
    '-properties["score"] < 0',
    'string(properties["plan"], "none") == "none"',
    'properties["seen"] == datetime("2024-01-04")',
    'properties["tags"] == properties["tags"]',
]

VALUE_EXPRESSIONS = [
    'properties["score"] * 2',
    'properties["age"] / 4',
    'properties["age"] % 7',
    'properties["ratio"] % 2',
    'properties["country"] + "!"',
    'string(properties["score"])',
    'string(properties["active"])',
    'string(properties["seen"])',
    'number(properties["zip"])',
    'number(properties["active"])',
    'datetime(properties["signup"])',
    'datetime(properties["ts"])',
    'properties["age"] > "18"',
    'round(properties["ratio"])',
    "NOW - 60",
]


def _frame() -> pl.DataFrame:
    return pl.DataFrame(RECORDS).with_row_index("row")


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, int | float) and not isinstance(b, bool):
        return a == b
    return (type(a) is type(b) and a == b) or (a is None and b is None)


@pytest.mark.parametrize("text", EXPRESSIONS)
def test_to_polars_filters_like_evaluate(text: str) -> None:
    node = parse(text)
    expected = [i for i, record in enumerate(RECORDS) if matches(node, record, now=NOW)]
    frame = _frame()

    def column(name: str) -> pl.Expr:  # the caller decides what a missing property reads as
        return pl.col(name) if name in frame.columns else pl.lit(None)

    # Without a schema the expression is compiled per batch from the real dtypes.
    compiled = to_polars(node, column, now=NOW)
    assert frame.filter(compiled)["row"].to_list() == expected
    assert frame.lazy().filter(compiled).collect()["row"].to_list() == expected
    # With a schema it is a plain polars expression.
    typed = to_polars(node, pl.col, schema=frame.schema, now=NOW)
    assert frame.filter(typed)["row"].to_list() == expected


@pytest.mark.parametrize("text", EXPRESSIONS + VALUE_EXPRESSIONS)
def test_to_polars_values_match_evaluate(text: str) -> None:
    node = parse(text)
    frame = _frame()
    compiled = to_polars(node, pl.col, schema=frame.schema, now=NOW)
    got = frame.with_columns(compiled.alias("result"))["result"].to_list()
    want = [evaluate(node, record, now=NOW) for record in RECORDS]
    assert all(_same(g, w) for g, w in zip(got, want, strict=True)), (got, want)


def test_to_polars_uses_the_column_callback() -> None:
    frame = pl.DataFrame({"props": [{"plan": "pro"}, {"plan": "free"}]})

    def column(name: str) -> pl.Expr:
        return pl.col("props").struct.field(name)

    node = parse('properties["plan"] == "pro"')
    assert frame.filter(to_polars(node, column)).height == 1
    schema = {"plan": pl.String}
    assert frame.filter(to_polars(node, column, schema=schema)).height == 1


def test_to_polars_missing_schema_column_is_undefined() -> None:
    frame = pl.DataFrame({"a": [1, 2]})
    expr = to_polars(parse('not defined(properties["b"])'), pl.col, schema=frame.schema)
    assert frame.filter(expr).height == 2


def test_to_polars_constant_expression() -> None:
    frame = pl.DataFrame({"a": [1, 2]})
    assert frame.filter(to_polars(parse("1 < 2"), pl.col)).height == 2
    assert frame.filter(to_polars(parse("1 > 2"), pl.col)).height == 0


@pytest.mark.parametrize(
    "text",
    [
        'properties["tags"] == ["a"]',  # list literal outside `in`
        'properties["country"]',  # result type depends on the dtype and no schema was given
        'properties["age"] + 1',
    ],
)
def test_to_polars_refuses_what_it_cannot_compile(text: str) -> None:
    with pytest.raises(ExpressionError):
        to_polars(parse(text), pl.col)


def test_to_polars_rejects_non_boolean_logic_like_evaluate() -> None:
    frame = _frame()
    node = parse('properties["country"] and true')
    with pytest.raises(ExpressionError, match="'and' needs boolean operands"):
        to_polars(node, pl.col, schema=frame.schema)
    with pytest.raises(ExpressionError):
        evaluate(node, RECORDS[0])


def test_schemaless_errors_surface_as_expression_errors_at_collect_time() -> None:
    frame = pl.DataFrame({"country": ["US", None]})
    expr = to_polars(parse('properties["country"] and true'), pl.col)  # dtypes unknown yet
    with pytest.raises(ExpressionError, match="'and' needs boolean operands"):
        frame.filter(expr)


def test_schemaless_value_expressions_have_a_declared_dtype() -> None:
    frame = pl.DataFrame({"a": [3, None], "s": ["2024-01-02", "x"]})
    out = frame.lazy().select(
        to_polars(parse('properties["a"] * 2'), pl.col).alias("double"),
        to_polars(parse('datetime(properties["s"])'), pl.col).alias("when"),
        to_polars(parse('string(properties["a"])'), pl.col).alias("text"),
    )
    assert out.collect_schema() == {"double": pl.Float64, "when": pl.Datetime("us", "UTC"),
                                     "text": pl.String}  # fmt: skip
    assert out.collect().to_dicts() == [
        {"double": 6.0, "when": datetime(2024, 1, 2, tzinfo=UTC), "text": "3"},
        {"double": None, "when": None, "text": None},
    ]


@pytest.mark.parametrize(
    "text",
    [
        'datetime(1709251200) == datetime(1704067200 * number(properties["s"]))',
        '5 < number(properties["s"]) * 2',
        '"x" == string(properties["s"], "x")',
    ],
)
def test_to_polars_broadcasts_literals_against_all_undefined_columns(text: str) -> None:
    # Regression: polars returned one row for `literal == when(...)` on all-false conditions,
    # and does not broadcast is_in/when/coalesce over literals.
    frame = pl.DataFrame({"s": ["a", "b", None]})
    expr = to_polars(parse(text), pl.col, schema=frame.schema, now=NOW)
    got = frame.with_columns(expr.alias("r"))["r"].to_list()
    assert got == [evaluate(parse(text), row, now=NOW) for row in frame.to_dicts()]


def test_nodes_are_hashable_and_typed() -> None:
    node: Node = parse('properties["a"] in [1, 2]')
    assert hash(node) == hash(parse('properties["a"]  in  [1,2]'))
