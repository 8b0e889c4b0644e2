"""Mixpanel's own JsonLogic operators for flag runtime rules: `semver_compare` and
`datetime_compare`, each `[actual, symbol, target]` with a symbol among `===`, `!==`, `<`,
`<=`, `>`, `>=`. Anything malformed compares false (a rule never matches by accident).

- `semver_compare`: Semantic Versioning 2.0.0 precedence; a leading `v` and surrounding blanks
  are ignored and a short core is padded with zeros (`1.2` is `1.2.0`); build metadata is
  ignored.
- `datetime_compare`: `actual` is RFC 3339 text, `target` milliseconds since the epoch; both are
  compared in whole seconds (fractions dropped).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any

SYMBOLS: dict[str, Callable[[int], bool]] = {
    "===": lambda order: order == 0,
    "!==": lambda order: order != 0,
    "<": lambda order: order < 0,
    "<=": lambda order: order <= 0,
    ">": lambda order: order > 0,
    ">=": lambda order: order >= 0,
}
MAX_VERSION_LENGTH = 256
MAX_EPOCH_MS = 1 << 63  # what a 64-bit signed integer holds
# The grammar of semver.org (2.0.0): core, optional pre-release, optional build metadata.
_IDENT = r"(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)"
_VERSION = re.compile(
    rf"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    rf"(?:-({_IDENT}(?:\.{_IDENT})*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?",
    re.ASCII,
)
_INSTANT = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})", re.ASCII
)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _sign(a: Any, b: Any) -> int:
    return int(a > b) - int(a < b)


def _parse_version(text: str) -> tuple[tuple[int, ...], list[str]] | None:
    """(core numbers, pre-release identifiers) of a version, or None when it is not one."""
    text = text.strip()
    if text[:1] in ("v", "V"):
        text = text[1:]
    cut = min((i for i in (text.find("-"), text.find("+")) if i >= 0), default=len(text))
    core = text[:cut].split(".")
    text = ".".join(core + ["0"] * (3 - len(core))) + text[cut:]
    found = _VERSION.fullmatch(text)
    if found is None:
        return None
    numbers = (int(found[1]), int(found[2]), int(found[3]))
    return numbers, found[4].split(".") if found[4] else []


def _prerelease_order(a: list[str], b: list[str]) -> int:
    if not a or not b:  # a release ranks above its pre-releases
        return _sign(not a, not b)
    for x, y in zip(a, b, strict=False):
        if x.isdigit() and y.isdigit():
            order = _sign(int(x), int(y))
        elif x.isdigit() or y.isdigit():  # numeric identifiers rank below alphanumeric ones
            order = -1 if x.isdigit() else 1
        else:
            order = _sign(x, y)
        if order:
            return order
    return _sign(len(a), len(b))


def semver_compare(*args: Any) -> bool:
    """Whether version `actual` stands in relation `symbol` to version `target`."""
    if len(args) != 3:
        return False
    actual, symbol, target = args
    if not (isinstance(actual, str) and isinstance(target, str) and symbol in SYMBOLS):
        return False
    if max(len(actual), len(target)) > MAX_VERSION_LENGTH:
        return False
    left, right = _parse_version(actual), _parse_version(target)
    if left is None or right is None:
        return False
    order = _sign(left[0], right[0]) or _prerelease_order(left[1], right[1])
    return SYMBOLS[symbol](order)


def _instant_seconds(value: Any) -> int | None:
    """Whole seconds since the epoch of an RFC 3339 timestamp, or None."""
    if not isinstance(value, str):
        return None
    found = _INSTANT.fullmatch(value.strip().upper())
    if found is None:
        return None
    offset = found[7]
    shift = 0
    if offset != "Z":
        hours, minutes = int(offset[1:3]), int(offset[4:6])
        if hours > 23 or minutes > 59:
            return None
        shift = (hours * 3600 + minutes * 60) * (-1 if offset[0] == "-" else 1)
    try:
        year, month, day, hour, minute, second = (int(found[i]) for i in range(1, 7))
        moment = dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)
    except ValueError:  # a day, hour, ... that does not exist
        return None
    return (moment - _EPOCH) // dt.timedelta(seconds=1) - shift


def _epoch_ms_seconds(value: Any) -> int | None:
    """Whole seconds (toward zero) of a millisecond timestamp, or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    ms = int(value)
    if abs(ms) >= MAX_EPOCH_MS:
        return None
    return abs(ms) // 1000 * (-1 if ms < 0 else 1)


def datetime_compare(*args: Any) -> bool:
    """Whether RFC 3339 `actual` stands in relation `symbol` to epoch-milliseconds `target`."""
    if len(args) != 3:
        return False
    actual, symbol, target = args
    if not isinstance(symbol, str) or symbol not in SYMBOLS:
        return False
    left, right = _instant_seconds(actual), _epoch_ms_seconds(target)
    if left is None or right is None:
        return False
    return SYMBOLS[symbol](_sign(left, right))
