"""The `Emulator` server object (re-exported by `mixpanel_async.emulator`, which imports it on
first use so that `python -m mixpanel_async.emulator` binds before loading it)."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import ssl
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from aiohttp import web

from mixpanel_async.emulator.faults import FAULTS, Fault
from mixpanel_async.emulator.rate_limits import RateLimits
from mixpanel_async.emulator.store import ProjectSpec, State
from mixpanel_async.emulator.tls import CA_PEM, TLS, client_context, env_hints

if TYPE_CHECKING:
    from mixpanel_async.emulator.persistence import Durability

__all__ = ["DEFAULT_PORT", "Emulator", "Fault", "ProjectSpec", "RateLimits", "State"]

DEFAULT_PORT = 4808
log = logging.getLogger("mixpanel_async.emulator")


def projects_from_env(env: Mapping[str, str]) -> list[ProjectSpec]:
    """The seed's `MIXPANEL_TOKEN` / `MIXPANEL_API_SECRET` (and `MP_PROJECT_ID`) declare one."""
    token = env.get("MIXPANEL_TOKEN")
    if not token:
        return []
    return [ProjectSpec(env.get("MP_PROJECT_ID") or "1", token, env.get("MIXPANEL_API_SECRET"))]


class Emulator:
    """An emulator server on `host:port` (port 0 picks a free one; see `url`).

    With `strict_auth`, only configured credentials pass, and the HTTP admin routes
    (`/__emulator/*`, `/__parlel/*`) need `Authorization: Bearer <admin_token>`; this object's
    own methods (`reset()`, `add_fault()`, ...) work in-process whatever the mode.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = DEFAULT_PORT,
        projects: Iterable[ProjectSpec | str] = (),
        strict_auth: bool = False,
        service_accounts: Mapping[str, str] | None = None,
        seed: str | None = None,
        data_dir: str | os.PathLike[str] | None = None,
        admin_token: str | None = None,
        fsync: str = "interval",
        checkpoint_interval: float = 300.0,
        tls: bool = False,
        tls_dir: str | os.PathLike[str] | None = None,
        tls_cert: str | os.PathLike[str] | None = None,
        tls_key: str | os.PathLike[str] | None = None,
        rate_limits: bool | RateLimits = False,
    ) -> None:
        specs = [p if isinstance(p, ProjectSpec) else ProjectSpec.parse(p) for p in projects]
        self.state = State(specs, strict_auth=strict_auth, service_accounts=service_accounts)
        self.host = host
        self.port = port
        self.seed = seed
        self.data_dir = Path(data_dir) if data_dir else None
        self.admin_token = admin_token
        self._durable: Durability | None = None
        if self.data_dir is not None:
            from mixpanel_async.emulator.persistence import Durability

            self._durable = Durability(
                self.state, self.data_dir, fsync=fsync, checkpoint_interval=checkpoint_interval
            )
        self.tls: TLS | None = None
        if tls or tls_cert is not None or tls_key is not None:
            self.tls = TLS.create(host, tls_dir=tls_dir, cert_file=tls_cert, key_file=tls_key)
        self.rate_limits = rate_limits
        """Mixpanel's rate limits enforced (`True`), custom ones, or none (`False`)."""
        self._runner: web.AppRunner | None = None
        self._app: web.Application | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    # -- async lifecycle ---------------------------------------------------------------------
    async def start(self, *, sock: socket.socket | None = None) -> Self:
        """Start serving (loading `data_dir` and the `seed` first); returns self.

        Args:
            sock: A listening socket already bound (the command line binds before it loads
                the emulator); `host` and `port` are not used then.
        """
        from mixpanel_async.emulator.app import PARSER_LIMITS, create_app

        if self.seed not in (None, "empty", "demo"):
            raise ValueError(f"unknown seed {self.seed!r}: use 'demo' or 'empty'")
        if self._durable is not None:
            self._durable.load()  # PersistenceError (one line naming the file) when damaged
        if self.seed == "demo":
            from mixpanel_async.emulator.seeding import load_demo

            load_demo(self.state)
        self._app = create_app(self.state, rate_limits=self.rate_limits)
        ca_pem = self.tls.ca_pem() if self.tls is not None else None
        if ca_pem is not None:
            self._app[CA_PEM] = ca_pem
        if self.admin_token:
            from mixpanel_async.emulator.admin import ADMIN_TOKEN

            self._app[ADMIN_TOKEN] = self.admin_token
        if self._durable is not None:
            from mixpanel_async.emulator.persistence import DURABLE

            self._durable.attach()
            self._app[DURABLE] = self._durable
            await self._durable.start()
        # auto_decompress=False: `Call.body_bytes` gunzips itself, bounded by the 10 MB limit.
        self._runner = web.AppRunner(
            self._app,
            access_log=None,
            handle_signals=False,
            auto_decompress=False,
            **PARSER_LIMITS,
        )
        try:
            await self._runner.setup()
            ssl_context = self.tls.context if self.tls is not None else None
            site: web.BaseSite
            if sock is not None:
                site = web.SockSite(self._runner, sock, ssl_context=ssl_context)
            else:
                site = web.TCPSite(
                    self._runner, self.host, self.port, reuse_address=True, ssl_context=ssl_context
                )
            await site.start()
        except BaseException:  # e.g. the port is taken: let the data directory go
            await self._runner.cleanup()
            self._runner = None
            if self._durable is not None:
                await self._durable.close()
            raise
        self.port = int(self._runner.addresses[0][1])
        return self

    async def adopt(self, conn: socket.socket) -> None:
        """Serve a connection accepted before `start` (by the command line's early loop)."""
        if self._runner is None or self._runner.server is None:
            raise RuntimeError("start the emulator before giving it connections")
        ssl_context = self.tls.context if self.tls is not None else None
        loop = asyncio.get_running_loop()
        await loop.connect_accepted_socket(self._runner.server, conn, ssl=ssl_context)

    async def stop(self) -> None:
        """Stop serving, saving the state to `data_dir` when one is set."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
            if self._durable is not None:
                await self._durable.close()

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- sync lifecycle (a background thread with its own loop) -------------------------------
    def __enter__(self) -> Self:
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self.start())
            except BaseException as exc:
                failure.append(exc)  # re-raised in the starting thread
                loop.close()
                self._loop = None
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self.stop())
            loop.close()

        self._thread = threading.Thread(target=run, name="mixpanel-emulator", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            self._thread.join()
            self._thread = None
            raise failure[0]
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=30)
            self._thread = None
            self._loop = None

    # -- use -----------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        """The base URL clients point at, e.g. `http://127.0.0.1:4808` (`https://` with TLS)."""
        scheme = "https" if self.tls is not None else "http"
        return f"{scheme}://{self.host}:{self.port}"

    @property
    def ca_path(self) -> Path | None:
        """The CA bundle clients must trust (with `tls=True`; None otherwise or when serving a
        given certificate). Also served at `/__emulator/ca.pem`."""
        return self.tls.ca_path if self.tls is not None else None

    def ssl_context(self) -> ssl.SSLContext | None:
        """A client `ssl.SSLContext` trusting this emulator's CA (None without one), e.g.
        `AsyncWorkspace(base_url=emu.url, ssl_context=emu.ssl_context())`."""
        return client_context(self.ca_path) if self.ca_path is not None else None

    def tls_env(self) -> dict[str, str]:
        """Environment variables that make the official SDKs trust this emulator's CA
        (`SSL_CERT_FILE`, `REQUESTS_CA_BUNDLE`, `NODE_EXTRA_CA_CERTS`); empty without one."""
        return env_hints(self.ca_path) if self.ca_path is not None else {}

    def reset(self) -> None:
        """Forget every event, profile, entity and fault (projects stay declared)."""
        self.state.reset()
        if self._app is not None:
            self._app[FAULTS].clear()

    def events(self, project_id: str | None = None) -> list[dict[str, Any]]:
        """Stored events as export returns them (deduplicated)."""
        from mixpanel_async.emulator.admin import events_of

        return events_of(self.state, project_id)

    def profiles(self, project_id: str | None = None) -> list[dict[str, Any]]:
        """Stored user profiles as `{$distinct_id, $properties}` dicts."""
        from mixpanel_async.emulator.admin import profiles_of

        return profiles_of(self.state, project_id)

    def add_fault(self, fault: Fault | None = None, /, **kwargs: Any) -> None:
        """Inject a fault: `emu.add_fault(operation="export_events", status=503, count=2)`."""
        if self._app is None:
            raise RuntimeError("start the emulator before adding faults")
        self._app[FAULTS].add(fault or Fault(**kwargs))

    def clear_faults(self) -> None:
        """Drop every injected fault."""
        if self._app is not None:
            self._app[FAULTS].clear()
