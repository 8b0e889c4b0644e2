"""List and suffix filters in `query()`, `query_funnel()` and `query_retention()` over loopback:
`Filter.list_contains` (objects in a list property, `any` / `all` items), `contains` /
`not_contains` on a list of strings, and `ends_with`, each counted against a plain-Python reading
of the same rows written here (not the engine's code).

The rows are `tests.helpers.list_rows()`: `cart` missing, not a list, empty, or a list of
objects (some items not objects, sparse keys, `Price` sometimes text), `tags` a list of strings
or a string, `email` text or a number.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from mixpanel_async import AsyncWorkspace, Filter, FunnelStep, Metric, QueryError
from mixpanel_async.emulator import Emulator
from mixpanel_async.emulator.seeding import rows_of
from tests.helpers import list_rows

SEPT = {"from_date": "2026-09-01", "to_date": "2026-09-07"}
ROWS = list_rows()


@pytest.fixture
def seeded(mixpanel_emulator: Emulator) -> Emulator:
    mixpanel_emulator.state.default.events.append(rows_of(ROWS))
    return mixpanel_emulator


# --- the reading written here ---------------------------------------------------------------------


def _item_ok(item: Any, tests: list[Callable[[dict[str, Any]], bool]]) -> bool:
    keys = item if isinstance(item, dict) else {}
    return all(test(keys) for test in tests)


def cart_has(*tests: Callable[[dict[str, Any]], bool], every: bool = False) -> Callable[..., bool]:
    """Events whose `cart` is a list with any (every) item passing all `tests`."""

    def keep(props: dict[str, Any]) -> bool:
        cart = props.get("cart")
        if not isinstance(cart, list):
            return False
        verdicts = [_item_ok(item, list(tests)) for item in cart]
        return all(verdicts) if every else any(verdicts)

    return keep


def brand_is(*names: str) -> Callable[[dict[str, Any]], bool]:
    return lambda item: isinstance(item.get("Brand"), str) and item["Brand"] in names


def price_over(limit: float) -> Callable[[dict[str, Any]], bool]:
    def test(item: dict[str, Any]) -> bool:
        price = item.get("Price")
        return isinstance(price, int | float) and not isinstance(price, bool) and price > limit

    return test


def tagged(tag: str) -> Callable[[dict[str, Any]], bool]:
    def keep(props: dict[str, Any]) -> bool:
        tags = props.get("tags")
        return tag in tags if isinstance(tags, list) else isinstance(tags, str) and tag in tags

    return keep


def ends(suffix: str) -> Callable[[dict[str, Any]], bool]:
    return lambda props: isinstance(props.get("email"), str) and props["email"].endswith(suffix)


def total(event: str, keep: Callable[[dict[str, Any]], bool]) -> int:
    return sum(1 for r in ROWS if r["event"] == event and keep(r["properties"]))


CASES: dict[str, tuple[Callable[[], Filter], Callable[[dict[str, Any]], bool]]] = {
    "keyword-equals": (
        lambda: Filter.list_contains("cart", Brand="nike"),
        cart_has(brand_is("nike")),
    ),
    "two-keywords": (
        lambda: Filter.list_contains("cart", Brand=["nike", "puma"], Category="hats"),
        cart_has(brand_is("nike", "puma"), lambda i: i.get("Category") == "hats"),
    ),
    "all-items-over-50": (
        lambda: Filter.list_contains("cart", Filter.greater_than("Price", 50), quantifier="all"),
        cart_has(price_over(50), every=True),
    ),
    "any-item-set": (
        lambda: Filter.list_contains("cart", Filter.is_set("Category")),
        cart_has(lambda i: i.get("Category") is not None),
    ),
    "any-item-not-nike": (
        lambda: Filter.list_contains("cart", Filter.not_equals("Brand", "nike")),
        cart_has(lambda i: i.get("Brand") != "nike"),
    ),
    "list-of-strings-contains": (lambda: Filter.contains("tags", "sale"), tagged("sale")),
    "list-of-strings-not-contains": (
        lambda: Filter.not_contains("tags", "vip"),
        lambda p: not tagged("vip")(p),
    ),
    "ends-with": (lambda: Filter.ends_with("email", "gmail.com"), ends("gmail.com")),
}


@pytest.mark.parametrize("name", list(CASES))
async def test_query_total(seeded: Emulator, mixpanel_workspace: AsyncWorkspace, name: str) -> None:
    make, keep = CASES[name]
    result = await mixpanel_workspace.query("Purchase", where=make(), mode="total", **SEPT)
    expected = total("Purchase", keep)
    assert expected > 0
    assert result.series["Purchase"]["all"] == expected


async def test_list_filter_on_a_metric_and_a_funnel_step(
    seeded: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    flt = Filter.list_contains("cart", Brand="nike")
    result = await mixpanel_workspace.query(Metric("Purchase", filters=[flt]), mode="total", **SEPT)
    assert result.series["Purchase"]["all"] == total("Purchase", cart_has(brand_is("nike")))
    funnel = await mixpanel_workspace.query_funnel(
        ["Sign Up", FunnelStep("Purchase", filters=[Filter.ends_with("email", ".io")])],
        conversion_window=30,
        **SEPT,
    )
    expected = _converted("Sign Up", "Purchase", ends(".io"))
    assert funnel.steps_data[1]["count"] == expected > 0


def _converted(first: str, second: str, keep: Callable[[dict[str, Any]], bool]) -> int:
    """Users who did `first` and later (within the window, here the whole week) `second` with
    properties passing `keep`."""
    users = set()
    starts: dict[str, int] = {}
    for r in sorted(ROWS, key=lambda r: r["properties"]["time"]):
        props, user = r["properties"], r["properties"]["distinct_id"]
        if r["event"] == first:
            starts.setdefault(user, props["time"])
        elif r["event"] == second and user in starts and keep(props):
            users.add(user)
    return len(users)


async def test_refusals_name_what_is_wrong(
    seeded: Emulator, mixpanel_workspace: AsyncWorkspace
) -> None:
    params = mixpanel_workspace.build_params(
        "Purchase", where=Filter.list_contains("cart", Brand="nike"), **SEPT
    )
    entry = params["sections"]["filter"][0]
    for change, text in [
        ({"listQuantifier": "most"}, "listQuantifier must be 'any' or 'all'"),
        ({"listItemFilters": []}, "needs listItemFilters"),
        ({"filterOperator": "false"}, "the list filter operator 'false' is not supported"),
        ({"resourceType": "groups"}, "a list filter on groups properties is not supported"),
    ]:
        params["sections"]["filter"][0] = {**entry, **change}
        with pytest.raises(QueryError, match=text) as caught:
            await mixpanel_workspace.run_params(params)
        assert caught.value.status_code == 400
