"""Optional progress bars for long exports and imports (rich, imported only when asked for)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from mixpanel_async.exceptions import ConfigError


class Reporter:
    """Progress of one job; the base class reports nothing."""

    def advance(self, steps: int = 1, rows: int = 0) -> None:
        """Count `steps` finished units (partitions, pages, batches) holding `rows` rows."""

    def grow(self, steps: int) -> None:
        """Raise the total number of units once it becomes known."""


class _Rich(Reporter):
    def __init__(self, progress: Any, task: Any) -> None:
        self._progress = progress
        self._task = task
        self._rows = 0

    def advance(self, steps: int = 1, rows: int = 0) -> None:
        self._rows += rows
        self._progress.update(self._task, advance=steps, rows=self._rows)

    def grow(self, steps: int) -> None:
        total = self._progress.tasks[self._task].total or 0
        self._progress.update(self._task, total=total + steps)


@contextlib.contextmanager
def report(enabled: bool, description: str, total: int | None, unit: str) -> Iterator[Reporter]:
    """A progress bar on stderr while the block runs (nothing when not `enabled`).

    Raises:
        ConfigError: `enabled` without rich installed (the `progress` extra).
    """
    if not enabled:
        yield Reporter()
        return
    try:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )
    except ImportError:
        raise ConfigError(
            "progress=True needs rich: pip install 'mixpanel-async[progress]'"
        ) from None
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(unit),
        TextColumn("{task.fields[rows]:,} rows"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=False) as progress:
        task = progress.add_task(description, total=total, rows=0)
        yield _Rich(progress, task)
