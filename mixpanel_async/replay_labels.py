"""Activity labels for replay actions: the key that groups the same action across sessions.

`default_label_fn` gives `"{action}:{target}@{page}"`, where the page is `url_normalizer`'s
template of the action's URL (no query string; id-like path segments become `:id`), so that a
click on the same button of `/users/12345` and `/users/67890` is one activity.
`selector_label_fn(attr)` uses a stable attribute from the action's metadata (e.g. a
`data-testid`) as the target when the action has it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from mixpanel_async.results.engage import UserAction

__all__ = ["default_label_fn", "selector_label_fn", "url_normalizer"]

# An id-like path segment: all digits, or 8+ characters of hex digits and dashes (UUIDs,
# hashes, Mongo-style ids).
_ID_SEGMENT = re.compile(r"[0-9]+|[0-9a-fA-F-]{8,}")
_NO_URL = "(no-url)"
_NO_TARGET = "(unknown)"


def url_normalizer(url: str) -> str:
    """A URL as a page template: query dropped, id-like path segments replaced by `:id`.

    The scheme and host of an absolute URL are kept as they are; a URL with no path is returned
    unchanged.

    Args:
        url: An absolute URL or a path.

    Returns:
        The template, e.g. `/users/12345/profile?ref=x` → `/users/:id/profile`.
    """
    if not url:
        return url
    origin, path = "", url
    scheme, sep, rest = url.partition("://")
    if sep:
        host, slash, tail = rest.partition("/")
        if not slash:
            return url
        origin, path = f"{scheme}://{host}", "/" + tail
    path = path.partition("?")[0]
    segments = [
        ":id" if segment and _ID_SEGMENT.fullmatch(segment) else segment
        for segment in path.split("/")
    ]
    return origin + "/".join(segments)


def _page(action: UserAction) -> str:
    return url_normalizer(action.url) if action.url else _NO_URL


def default_label_fn(action: UserAction) -> str:
    """The label `"{action}:{target_desc}@{page template}"` of a replay action.

    Args:
        action: One action of a replay's analysed stream.

    Returns:
        e.g. `'click:button "Sign in"@/users/:id'`; `(unknown)` stands for a missing target
        and `(no-url)` for a missing URL.
    """
    return f"{action.action}:{action.target_desc or _NO_TARGET}@{_page(action)}"


def selector_label_fn(attr: str = "data-testid") -> Callable[[UserAction], str]:
    """A label function preferring the action's `metadata[attr]` as its target.

    Args:
        attr: The metadata key holding a stable selector.

    Returns:
        A function labelling `"{action}:{metadata[attr]}@{page}"` when that value is set (not
        empty), and as `default_label_fn` otherwise.
    """

    def label(action: UserAction) -> str:
        """Label by the selector attribute when the action has it."""
        selector = action.metadata.get(attr) if action.metadata else None
        if selector:
            return f"{action.action}:{selector}@{_page(action)}"
        return default_label_fn(action)

    return label
