"""Masking secrets: the values of `api_key`, `secret` and `token` never reach an error message,
an exception's details or a log line, on either side (the client's exceptions, the emulator's
error bodies and logs)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

SECRET_PARAMS = frozenset({"api_key", "secret", "token"})
"""Query/form parameters whose values are credentials."""
MASK = "***"

_IN_QUERY = re.compile(r"(?i)((?:^|[?&;\s\"'])(?:api_key|secret|token)=)[^&;\s\"'#]*")


def mask_query(text: str) -> str:
    """`text` (a URL, a query string, a message quoting one) with every secret parameter's
    value replaced by `***`."""
    return _IN_QUERY.sub(lambda m: m.group(1) + MASK, text)


def masked_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of request parameters with the secret ones' values replaced by `***`."""
    return {k: MASK if k.lower() in SECRET_PARAMS else v for k, v in params.items()}


def masked(value: Any) -> Any:
    """A decoded JSON value with `mask_query` applied to every string in it."""
    if isinstance(value, str):
        return mask_query(value)
    if isinstance(value, Mapping):
        return {k: masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [masked(v) for v in value]
    return value
