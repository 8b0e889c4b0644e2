"""`Workspace`: the seed's synchronous workspace, for code migrating from `mixpanel_headless`.

Same constructor as `AsyncWorkspace`; every method is called without `await`. The async
workspace lives on a private event loop in a background thread (one per `Workspace`): a method
call submits its coroutine there and waits for the answer, an async generator (`stream_events`,
...) becomes a plain iterator that fetches one item at a time, and properties and pure methods
(`build_params`, `session`, ...) are read directly.

Because the work runs on its own loop, a `Workspace` can also be used from code that is itself
inside a running event loop (a notebook cell, an async test): the call blocks that thread until
the answer arrives, as any synchronous client would. Async code should prefer `AsyncWorkspace`.

`close()` (or leaving `with Workspace() as ws:`) closes the HTTP session and stops the thread;
calls after that raise `WorkspaceClosedError`.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

from mixpanel_async.exceptions import WorkspaceClosedError
from mixpanel_async.workspace import AsyncWorkspace

if TYPE_CHECKING:  # every AsyncWorkspace member, typed as this class offers it
    from mixpanel_async._generated.sync_facade import SyncFacade
else:
    SyncFacade = object

T = TypeVar("T")

__all__ = ["Workspace"]

_DONE = object()


class _LoopThread:
    """An event loop running forever in a daemon thread, until `stop()`."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="mixpanel-async-workspace", daemon=True
        )
        self.thread.start()

    def run(self, make: Callable[[], Awaitable[T]]) -> T:
        """Run a coroutine made by `make` on the loop and wait for its result."""
        if not self.thread.is_alive():
            raise WorkspaceClosedError("this Workspace is closed: open a new one")
        if threading.current_thread() is self.thread:
            raise RuntimeError("a Workspace method was called from its own loop thread")

        async def call() -> T:
            return await make()

        return asyncio.run_coroutine_threadsafe(call(), self.loop).result()

    def stop(self) -> None:
        """Stop the loop, wait for the thread, close the loop."""
        if self.thread.is_alive():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join()
        if not self.loop.is_closed():
            self.loop.close()


class Workspace(SyncFacade):
    """A synchronous `AsyncWorkspace`: the seed's `Workspace`, with the same methods unawaited.

    Args:
        **kwargs: Exactly `AsyncWorkspace`'s keyword arguments (`account`, `project`,
            `workspace`, `target`, `session`, `base_url`, ...).
    """

    def __init__(self, **kwargs: Any) -> None:
        self._runner = _LoopThread()
        self._closed = False
        self._owner = True
        try:
            self._async: AsyncWorkspace = self._runner.run(lambda: _open(kwargs))
        except BaseException:
            self._runner.stop()
            raise

    @classmethod
    def _sharing(cls, runner: _LoopThread, inner: AsyncWorkspace) -> Workspace:
        view = cls.__new__(cls)
        view._runner, view._async, view._closed, view._owner = runner, inner, False, False
        return view

    @property
    def async_workspace(self) -> AsyncWorkspace:
        """The `AsyncWorkspace` underneath (use it only on this workspace's loop)."""
        return self._async

    @property
    def closed(self) -> bool:
        """True once `close()` was called."""
        return self._closed

    def close(self) -> None:
        """Close the HTTP session and stop the background thread (safe to call twice).

        A copy made by `scoped()` shares its parent's thread and connections: closing it only
        makes the copy unusable.
        """
        if self._closed:
            return
        self._closed = True
        if not self._owner:
            return
        try:
            if self._runner.thread.is_alive():
                self._runner.run(self._async.close)
        finally:
            self._runner.stop()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __del__(self) -> None:
        runner: _LoopThread | None = getattr(self, "_runner", None)
        if runner is None or not getattr(self, "_owner", False) or getattr(self, "_closed", True):
            return
        if runner.thread.is_alive():
            runner.loop.call_soon_threadsafe(runner.loop.stop)

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<Workspace ({state}) over {self._async!r}>"

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | {n for n in dir(AsyncWorkspace) if n[0] != "_"})

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        member = inspect.getattr_static(AsyncWorkspace, name, None)
        if member is None:
            raise AttributeError(f"'Workspace' object has no attribute {name!r}")
        value = getattr(self._async, name)
        if isinstance(member, property) or not callable(value):
            return value
        if inspect.isasyncgenfunction(value):
            return self._iterating(value)
        if inspect.iscoroutinefunction(value):
            return self._blocking(value)
        if name in ("scoped", "use"):
            return self._rescoping(value)
        return value

    def _check_open(self) -> None:
        if self._closed:
            raise WorkspaceClosedError("this Workspace is closed: open a new one")

    def _blocking(self, method: Callable[..., Awaitable[Any]]) -> Callable[..., Any]:
        @functools.wraps(method)
        def call(*args: Any, **kwargs: Any) -> Any:
            self._check_open()
            return self._runner.run(lambda: method(*args, **kwargs))

        return call

    def _iterating(self, method: Callable[..., AsyncIterator[Any]]) -> Callable[..., Any]:
        @functools.wraps(method)
        def call(*args: Any, **kwargs: Any) -> Iterator[Any]:
            self._check_open()
            return _drain(self._runner, method(*args, **kwargs))

        return call

    def _rescoping(self, method: Callable[..., AsyncWorkspace]) -> Callable[..., Workspace]:
        @functools.wraps(method)
        def call(*args: Any, **kwargs: Any) -> Workspace:
            self._check_open()
            inner = method(*args, **kwargs)
            return self if inner is self._async else Workspace._sharing(self._runner, inner)

        return call


async def _open(kwargs: dict[str, Any]) -> AsyncWorkspace:
    return AsyncWorkspace(**kwargs)


def _drain(runner: _LoopThread, stream: AsyncIterator[Any]) -> Iterator[Any]:
    """Items of an async iterator, fetched one at a time on the runner's loop; closes it when
    the consumer stops early."""

    async def step() -> Any:
        try:
            return await anext(stream)
        except StopAsyncIteration:
            return _DONE

    try:
        while (item := runner.run(step)) is not _DONE:
            yield item
    finally:
        aclose = getattr(stream, "aclose", None)
        if aclose is not None and runner.thread.is_alive():
            runner.run(aclose)
