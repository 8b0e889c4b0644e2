"""A local Mixpanel: ingestion, export, engage, discovery and more, in memory.

    async with Emulator(port=0) as emu:
        async with AsyncWorkspace(base_url=emu.url) as ws:
            ...

From synchronous code (tests of sync clients), `with Emulator(port=0) as emu:` runs it on a
background thread.
"""

from typing import TYPE_CHECKING

from mixpanel_async._lazy import lazy_exports

if TYPE_CHECKING:
    from mixpanel_async.emulator.faults import Fault
    from mixpanel_async.emulator.rate_limits import RateLimits
    from mixpanel_async.emulator.server import DEFAULT_PORT, Emulator
    from mixpanel_async.emulator.server import projects_from_env as projects_from_env
    from mixpanel_async.emulator.store import ProjectSpec, State

__all__ = ["DEFAULT_PORT", "Emulator", "Fault", "ProjectSpec", "RateLimits", "State"]

if not TYPE_CHECKING:  # loaded on first use: `python -m mixpanel_async.emulator` binds first
    __getattr__, __dir__ = lazy_exports(__name__, __all__)
