"""Expression nodes only report filters build (the parser has no spelling for them): suffix
tests and tests on the items of a list, evaluated and compiled alike."""

from __future__ import annotations

import polars as pl
import pytest

from mixpanel_async.emulator.engine.expressions import (
    Binary,
    Call,
    ExpressionError,
    ListItems,
    Literal,
    Property,
    evaluate,
    referenced_properties,
    to_polars,
)


def test_suffix_compiles_to_what_evaluate_gives() -> None:
    node = Call("has_suffix", (Property("e"), Literal("gmail.com")))
    values = ["a@gmail.com", "gmail.com.x", "", "GMAIL.COM", None]
    frame = pl.DataFrame({"e": values}, schema={"e": pl.String})
    compiled = frame.select(to_polars(node, pl.col, schema=frame.schema)).to_series().to_list()
    assert (
        compiled == [evaluate(node, {"e": v}) for v in values] == [True, False, False, False, None]
    )
    assert evaluate(node, {"e": 5}) is None


def test_list_items_read_each_item_and_never_compile() -> None:
    test = Binary(">", Property("Price"), Literal(50))
    any_item, every_item = (
        ListItems(Property("cart"), test),
        ListItems(Property("cart"), test, every=True),
    )
    cases = [
        ([{"Price": 60}, {"Price": 10}], True, False),
        ([{"Price": 60}, "x"], True, False),  # an item that is not an object has no keys
        ([], False, True),
        ({"Price": 60}, None, None),  # not a list: undefined
        (None, None, None),
    ]
    for cart, anyone, everyone in cases:
        assert evaluate(any_item, {"cart": cart}) is anyone
        assert evaluate(every_item, {"cart": cart}) is everyone
    assert referenced_properties(any_item) == {"cart"}
    with pytest.raises(ExpressionError):
        to_polars(any_item, pl.col, schema={"cart": pl.List(pl.String)})
