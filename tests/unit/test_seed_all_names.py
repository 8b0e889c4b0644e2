"""Every name of the seed's `__all__` imports from `mixpanel_async` and is the same kind of
thing (class, exception, enum, function, module, type alias); value sets allow the same values."""

from __future__ import annotations

import enum
import inspect
import types
import typing
from typing import Any

import pytest

import mixpanel_async

headless = pytest.importorskip("mixpanel_headless")


def _kind(obj: Any) -> str:
    if isinstance(obj, types.ModuleType):
        return "module"
    if inspect.isclass(obj):
        if issubclass(obj, BaseException):
            return "exception"
        return "enum" if issubclass(obj, enum.Enum) else "class"
    if typing.get_origin(obj) is typing.Literal:
        return "literal"
    if typing.get_origin(obj) is not None or isinstance(obj, types.UnionType):
        return "alias"
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        return "function"
    return type(obj).__name__


def _values(obj: Any) -> set[Any]:
    if inspect.isclass(obj) and issubclass(obj, enum.Enum):
        return {m.value for m in obj}
    return set(typing.get_args(obj))


# Value sets the seed makes a str Enum and we a Literal of the same strings (generated from the
# spec); strings of those values work in both libraries.
ENUM_AS_LITERAL = {"WebhookAuthType"}


@pytest.mark.parametrize("name", sorted(headless.__all__))
def test_name_imports_as_the_same_kind(name: str) -> None:
    theirs = getattr(headless, name)
    assert hasattr(mixpanel_async, name), f"{name} is missing from mixpanel_async"
    ours = getattr(mixpanel_async, name)
    if name in ENUM_AS_LITERAL:
        assert (_kind(ours), _kind(theirs)) == ("literal", "enum"), name
    else:
        assert _kind(ours) == _kind(theirs), name
    if _kind(ours) in ("literal", "enum"):
        assert _values(ours) == _values(theirs), name


def test_names_are_in_all() -> None:
    assert set(headless.__all__) <= set(mixpanel_async.__all__)


def test_seed_exception_tree() -> None:
    m = mixpanel_async
    assert m.MixpanelHeadlessError is m.MixpanelAsyncError
    assert issubclass(m.AccountExistsError, m.ConfigError)
    assert issubclass(m.AccountInUseError, m.ConfigError)
    assert issubclass(m.InvalidArgumentError, m.ConfigError)
    assert issubclass(m.ParamTypeError, TypeError)
    assert issubclass(m.RegionProbeNetworkError, m.RegionProbeError)
    assert issubclass(m.RegionProbeError, m.OAuthError)
    assert issubclass(m.HelpDomainError, m.HelpLookupError)
    probe = m.RegionProbeNetworkError("down", attempts=[("us", 0, "refused")])
    assert probe.code == "OAUTH_NETWORK_UNREACHABLE"
    assert probe.to_dict()["attempts"] == [["us", 0, "refused"]]
    used = m.AccountInUseError("prod", ["t1"])
    assert used.referenced_by == ["t1"]
    assert "'t1'" in str(used)
    with pytest.raises(ValueError, match="violation"):
        m.InvalidArgumentError("x", violation="nope")  # type: ignore[arg-type]


def test_small_types() -> None:
    m = mixpanel_async
    page = m.PaginatedResponse.from_json(
        {"status": "ok", "results": [1, 2], "pagination": {"page_size": 2, "next_cursor": "c"}}
    )
    assert page.results == [1, 2]
    assert page.pagination == m.CursorPagination(page_size=2, next_cursor="c")
    assert m.PaginatedResponse.from_json({"status": "ok", "results": []}).pagination is None
    assert m.FlagHistoryParams(page="p", page_size=5).to_query() == {"page": "p", "page_size": "5"}
    with pytest.raises(ValueError, match="page_size"):
        m.FlagHistoryParams(page_size=0)
    with pytest.raises(ValueError, match="error"):
        m.AccountTestResult(account_name="a", ok=False)
    with pytest.raises(ValueError, match="sql"):
        m.WarehouseMetric(source_id=1, sql=" ", metric_type="numeric")
    row = m.DashboardRow(contents=[m.DashboardRowContent(content_type="text")])
    assert row.contents is not None
    assert row.contents[0].content_type == "text"
    assert m.PropertyResourceType("user") is m.PropertyResourceType.USER
