"""Date partitions of an export, and a bounded, order-keeping fan-out over them.

A long export is split into partitions (a day by default) fetched concurrently and handed back
in time order. `ordered` runs at most `concurrency` jobs at once and holds at most that many
finished-but-not-yet-consumed results, so memory stays bounded whatever the number of jobs.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import TypeVar

import attrs

from mixpanel_async.exceptions import ParamValidationError

T = TypeVar("T")
R = TypeVar("R")

PartitionSpec = str | int | None
"""`"day"`, `"week"`, `"month"`, a number of days, or `None`/`"none"` for one request."""

_NAMED = ("day", "week", "month", "none")


@attrs.frozen(order=True)
class Partition:
    """An inclusive range of days fetched by one export request."""

    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        """`2024-01-01`, or `2024-01-01..2024-01-07` for a partition of several days."""
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def days(self) -> int:
        """How many days the partition spans."""
        return (self.end - self.start).days + 1


def check_spec(partition: PartitionSpec) -> PartitionSpec:
    """Validate a partition spec (before any request)."""
    if partition is None or (isinstance(partition, str) and partition in _NAMED):
        return partition
    if isinstance(partition, int) and not isinstance(partition, bool) and partition >= 1:
        return partition
    raise ParamValidationError(
        f"partition must be 'day', 'week', 'month', 'none' or a number of days >= 1, "
        f"got {partition!r}",
        param="partition",
    )


def split(start: dt.date, end: dt.date, partition: PartitionSpec = "day") -> list[Partition]:
    """Cut `start..end` (inclusive) into consecutive partitions, oldest first.

    Weeks start on Monday and months on the 1st, so the same day always lands in the same
    partition whatever the range (which is what lets a re-run find finished partitions).
    """
    check_spec(partition)
    if partition is None or partition == "none":
        return [Partition(start, end)]
    parts: list[Partition] = []
    day = start
    while day <= end:
        if partition == "day":
            last = day
        elif partition == "week":
            last = day + dt.timedelta(days=6 - day.weekday())
        elif partition == "month":
            following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            last = following - dt.timedelta(days=1)
        else:
            assert isinstance(partition, int)
            last = day + dt.timedelta(days=partition - 1)
        last = min(last, end)
        parts.append(Partition(day, last))
        day = last + dt.timedelta(days=1)
    return parts


async def ordered(
    items: Iterable[T], work: Callable[[T], Awaitable[R]], concurrency: int
) -> AsyncIterator[R]:
    """Run `work` over `items` with at most `concurrency` jobs alive; yield results in order.

    A job counts as alive from its start until its result is consumed, so at most
    `concurrency` results are ever held. The first failure cancels the other jobs and is
    raised. Tasks are managed by hand rather than with a `TaskGroup` spanning the `yield`s: a
    task group inside an async generator would deliver its cancellations to whatever the
    consumer happens to be awaiting (PEP 789).
    """
    if concurrency < 1:
        raise ParamValidationError(f"concurrency must be >= 1, got {concurrency}")
    source = iter(items)
    alive: deque[asyncio.Task[R]] = deque()

    def start_next() -> None:
        for item in source:
            alive.append(asyncio.ensure_future(work(item)))
            return

    try:
        for _ in range(concurrency):
            start_next()
        while alive:
            head = alive[0]
            while not head.done():
                # Wake on any completion so that a failing later job is raised at once.
                running = [task for task in alive if not task.done()]
                done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    error = None if task.cancelled() else task.exception()
                    if error is not None:
                        raise error
            alive.popleft()
            result = head.result()
            start_next()
            yield result
    finally:
        for task in alive:
            task.cancel()
        if alive:
            await asyncio.gather(*alive, return_exceptions=True)


DEFAULT_CONCURRENCY = 8
"""Partitions or pages in flight at once unless the caller says otherwise (also capped by the
family's concurrency limit): enough to overlap latency and parsing, few enough to keep memory
to a handful of partitions."""


def concurrency_for(family_limit: int | None, requested: int | None) -> int:
    """The fan-out to use: `requested` (validated) or the default, within the family's cap."""
    if requested is not None:
        if isinstance(requested, bool) or not isinstance(requested, int) or requested < 1:
            raise ParamValidationError(
                f"concurrency must be an integer >= 1, got {requested!r}", param="concurrency"
            )
        chosen = requested
    else:
        chosen = DEFAULT_CONCURRENCY
    return max(1, min(chosen, family_limit)) if family_limit else chosen
