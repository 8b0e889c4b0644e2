"""Replay activity labels: the seed's label shapes, with expectations written by hand."""

from __future__ import annotations

from typing import Any

import pytest

from mixpanel_async import UserAction, default_label_fn, selector_label_fn, url_normalizer


def _action(url: str | None, metadata: dict[str, Any] | None = None) -> UserAction:
    return UserAction(
        timestamp=1,
        action="click",
        target_node_id=42,
        target_desc='button "Sign in"',
        url=url,
        metadata=metadata or {},
    )


@pytest.mark.parametrize(
    ("url", "template"),
    [
        ("/users/12345/profile?ref=x", "/users/:id/profile"),
        ("https://app.example.com/orders/abc12345-de00", "https://app.example.com/orders/:id"),
        ("https://app.example.com", "https://app.example.com"),
        ("https://app.example.com/?q=1", "https://app.example.com/"),
        ("/a/deadbeef/b/1234567/c", "/a/:id/b/:id/c"),
        ("/items/550e8400-e29b-41d4-a716-446655440000", "/items/:id"),
        ("/settings/profile", "/settings/profile"),
        ("/v2/abc", "/v2/abc"),
        ("", ""),
        ("/users/", "/users/"),
    ],
)
def test_url_normalizer(url: str, template: str) -> None:
    assert url_normalizer(url) == template


def test_default_label() -> None:
    assert default_label_fn(_action("/users/12345/profile?ref=x")) == (
        'click:button "Sign in"@/users/:id/profile'
    )
    assert default_label_fn(_action(None)) == 'click:button "Sign in"@(no-url)'


def test_same_action_on_two_ids_is_one_label() -> None:
    assert default_label_fn(_action("/u/1")) == default_label_fn(_action("/u/99"))


def test_selector_label_prefers_the_attribute() -> None:
    by_testid = selector_label_fn()
    assert by_testid(_action("/u/7", {"data-testid": "signin"})) == "click:signin@/u/:id"
    assert by_testid(_action("/u/7", {"data-testid": ""})) == 'click:button "Sign in"@/u/:id'
    assert by_testid(_action("/u/7")) == 'click:button "Sign in"@/u/:id'
    by_qa = selector_label_fn("data-qa")
    assert by_qa(_action(None, {"data-qa": "go", "data-testid": "x"})) == "click:go@(no-url)"
