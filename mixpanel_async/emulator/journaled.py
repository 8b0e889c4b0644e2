"""A dict that reports each key it changes: a project's profiles or groups under `--data-dir`
(`emulator.persistence` logs each change to the write-ahead log)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


class JournaledDict(dict[Any, Any]):
    """A dict that reports each key it changes (a project's profiles or groups under
    `--data-dir`): `on_change(key)` after the key is set or removed, `on_clear()` after `clear`."""

    def __init__(
        self,
        data: Mapping[Any, Any],
        on_change: Callable[[Any], None],
        on_clear: Callable[[], None],
    ) -> None:
        super().__init__(data)
        self._on_change, self._on_clear = on_change, on_clear

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value)
        self._on_change(key)

    def __delitem__(self, key: Any) -> None:
        super().__delitem__(key)
        self._on_change(key)

    def pop(self, key: Any, *default: Any) -> Any:
        """Remove `key` and return its value (`default` when absent)."""
        value = super().pop(key, *default)
        self._on_change(key)
        return value

    def popitem(self) -> tuple[Any, Any]:
        """Remove and return the last item."""
        key, value = super().popitem()
        self._on_change(key)
        return key, value

    def setdefault(self, key: Any, default: Any = None) -> Any:
        """The value of `key`, set to `default` first when absent."""
        if key not in self:
            self[key] = default
        return self[key]

    def update(self, *args: Any, **kwargs: Any) -> None:
        """Set every item of a mapping (or pairs) and of `kwargs`."""
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def clear(self) -> None:
        """Remove every item."""
        super().clear()
        self._on_clear()

    def __ior__(self, other: Any) -> JournaledDict:  # type: ignore[misc]
        self.update(other)
        return self
