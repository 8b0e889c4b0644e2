"""`mixpanel-async emulator`: the command, and a start-up that answers `/health` at once.

The command binds its port before importing the emulator, answers `GET /health` from a small
accept loop while a worker thread imports and builds the emulator (its routes, engines and
Polars), then gives the listening socket, and every connection accepted meanwhile, to the
emulator's aiohttp server. Any other request that arrives early waits for the emulator rather
than being refused, so a client that polls `/health` and then calls the API sees no gap. With
TLS the early loop is skipped (a TLS handshake cannot be answered without the certificate).

The console script (`mixpanel_async.entry`) runs `mixpanel-async emulator ...` from this module
alone, without the client or the other commands.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from mixpanel_async.emulator import Emulator

DEFAULT_PORT = 4808
_HEALTH = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n"
    b"Access-Control-Allow-Origin: *\r\nConnection: close\r\n\r\n"
    b'{"status":"ok"}'
)
"""What the emulator's own `/health` answers, but closing the connection: the next request
then reaches the emulator's server on a new connection."""
_MAX_HEAD = 16384


class _Refused(Exception):
    """A setting the emulator refuses (`BadParameter`) or a `--data-dir` it cannot load."""

    def __init__(self, message: str, *, setting: bool) -> None:
        super().__init__(message)
        self.setting = setting


def emulator(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0 picks a free one).")] = DEFAULT_PORT,
    seed: Annotated[str, typer.Option(help="Initial data: demo or empty.")] = "empty",
    strict_auth: Annotated[
        bool, typer.Option("--strict-auth", help="Accept only the configured credentials.")
    ] = False,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            help="Keep state here: a write-ahead log of every acknowledged write plus Parquet "
            "snapshots (compacted periodically and on shutdown), read back on start."
        ),
    ] = None,
    project: Annotated[
        list[str] | None,
        typer.Option(help="Declare a project ID[:TOKEN[:SECRET]] (repeatable); none = open mode."),
    ] = None,
    admin_token: Annotated[
        str | None,
        typer.Option(
            envvar="MP_EMULATOR_ADMIN_TOKEN",
            help="With --strict-auth, the bearer token the /__emulator/ admin routes require.",
        ),
    ] = None,
    fsync: Annotated[
        str,
        typer.Option(
            help="With --data-dir: 'always' syncs the log to disk before answering a write "
            "(group commit), 'interval' answers once it is written (it survives the process "
            "being killed) and syncs every second, 'never' leaves syncing to the OS."
        ),
    ] = "interval",
    checkpoint_interval: Annotated[
        float,
        typer.Option(help="With --data-dir: seconds between compactions of the log into Parquet."),
    ] = 300.0,
    tls: Annotated[
        bool, typer.Option("--tls", help="Serve HTTPS with a certificate from a local CA.")
    ] = False,
    tls_cert: Annotated[
        Path | None, typer.Option(help="Serve HTTPS with this certificate (PEM; with --tls-key).")
    ] = None,
    tls_key: Annotated[Path | None, typer.Option(help="The private key of --tls-cert.")] = None,
    tls_dir: Annotated[
        Path | None,
        typer.Option(help="Where the local CA is kept (default: ~/.cache/mixpanel-async/tls)."),
    ] = None,
    rate_limits: Annotated[
        bool,
        typer.Option("--rate-limits", help="Enforce Mixpanel's rate limits (429 + Retry-After)."),
    ] = False,
) -> None:
    """Run the emulator until interrupted."""
    if seed not in ("demo", "empty"):
        raise typer.BadParameter("use demo or empty", param_hint="--seed")
    settings: dict[str, Any] = {
        "host": host,
        "port": port,
        "projects": list(project or []),
        "strict_auth": strict_auth,
        "seed": None if seed == "empty" else seed,
        "data_dir": data_dir,
        "admin_token": admin_token,
        "fsync": fsync,
        "checkpoint_interval": checkpoint_interval,
        "tls": tls,
        "tls_dir": tls_dir,
        "tls_cert": tls_cert,
        "tls_key": tls_key,
        "rate_limits": rate_limits,
    }
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from mixpanel_async.emulator import allocator  # here: importing this module loads nothing

    allocator.configure()  # this process is the emulator's: before Polars loads
    _listen(settings)


def _listen(settings: dict[str, Any]) -> None:
    """Serve until interrupted; a refused setting is a `BadParameter`, an address that cannot
    be bound or a `--data-dir` that cannot be loaded is one line and exit 1."""
    try:
        asyncio.run(_serve(settings))
    except _Refused as exc:
        if exc.setting:
            raise typer.BadParameter(str(exc)) from None
        typer.secho(f"error: cannot load --data-dir: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        typer.secho(
            f"error: cannot listen on {settings['host']}:{settings['port']}: {reason}; "
            "pick another --port (0 picks a free one)",
            fg=typer.colors.RED,
            err=True,
        )
        raise typer.Exit(1) from None


def _build(settings: dict[str, Any]) -> Emulator:
    """Import and construct the emulator (the slow part; run in a worker thread)."""
    import mixpanel_async.emulator.app
    import mixpanel_async.emulator.routes
    from mixpanel_async.emulator import Emulator, projects_from_env

    if settings["seed"] == "demo":
        import mixpanel_async.emulator.seeding  # noqa: F401
    specs = settings.pop("projects") or projects_from_env(os.environ)
    accounts = {}
    if os.environ.get("MP_USERNAME") and os.environ.get("MP_SECRET"):
        accounts[os.environ["MP_USERNAME"]] = os.environ["MP_SECRET"]
    try:
        return Emulator(projects=specs, service_accounts=accounts, **settings)
    except ValueError as exc:
        raise _Refused(str(exc), setting=True) from None


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket on `host:port`, as the emulator's own server would open it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host, port), family=family, backlog=128, reuse_port=False)
    sock.setblocking(False)
    return sock


async def _serve(settings: dict[str, Any]) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGTERM, signal.SIGINT)
    for sig in signals:  # both stop cleanly (and save a --data-dir)
        loop.add_signal_handler(sig, stop.set)
    sock = _bind(settings["host"], settings["port"])
    tls = settings["tls"] or settings["tls_cert"] is not None or settings["tls_key"] is not None
    boot = None if tls else _Boot(sock)
    try:
        emu = await asyncio.to_thread(_build, dict(settings))
        if boot is not None:
            await boot.stop_accepting()
        await _run(emu, sock, boot, stop)
    finally:
        if boot is not None:
            await boot.close()
        sock.close()
        for sig in signals:
            loop.remove_signal_handler(sig)


async def _run(emu: Emulator, sock: socket.socket, boot: _Boot | None, stop: asyncio.Event) -> None:
    """Start `emu` on the bound socket, hand it the early connections, serve until `stop`."""
    from mixpanel_async.emulator.wal import PersistenceError

    try:
        await emu.start(sock=sock)
    except PersistenceError as exc:  # one line naming the file
        raise _Refused(str(exc), setting=False) from None
    try:
        if boot is not None:
            boot.hand_over(emu.adopt)
        mode = "open" if emu.state.open else f"projects {', '.join(emu.state.projects)}"
        typer.echo(
            f"Mixpanel emulator on {emu.url} ({mode}); point clients at it with "
            f"MP_API_BASE_URL={emu.url}"
        )
        if emu.ca_path is not None:
            typer.echo(f"TLS: trust the CA in {emu.ca_path} (also at {emu.url}/__emulator/ca.pem):")
            for name, value in emu.tls_env().items():
                typer.echo(f"  export {name}={value}")
        with contextlib.suppress(asyncio.CancelledError):  # cancelled: stop as cleanly
            await stop.wait()
        typer.echo("stopping" + (f"; saving {emu.data_dir}" if emu.data_dir else ""))
    finally:
        await emu.stop()


class _Boot:
    """Accepts connections on the bound socket until the emulator takes it over: answers
    `GET /health` itself and holds every other connection for the emulator."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._ready = asyncio.Event()
        self._adopt: Callable[[socket.socket], Awaitable[None]] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._loop = asyncio.get_running_loop()
        self._accepting = True
        self._loop.add_reader(sock, self._accept)

    def _accept(self) -> None:
        """Take every connection waiting on the socket (called by the loop when it is readable).
        A callback, not a task awaiting `sock_accept`: cancelling such a task just after the
        accept and before it resumed would drop the accepted connection."""
        while True:
            try:
                conn, _ = self._sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:  # out of descriptors, ...: leave them to the emulator's server
                self._loop.remove_reader(self._sock)
                self._accepting = False
                return
            conn.setblocking(False)
            task = self._loop.create_task(self._early(conn))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _early(self, conn: socket.socket) -> None:
        try:
            head = await self._head(conn)
            if head == b"":  # closed by the client
                conn.close()
                return
            if head is not None and _is_health(head):
                conn.recv(len(head))  # the head was only peeked: take exactly it
                await asyncio.get_running_loop().sock_sendall(conn, _HEALTH)
                conn.close()
                return
            await self._ready.wait()
            assert self._adopt is not None
            await self._adopt(conn)
        except OSError:  # the client went away
            conn.close()
        except asyncio.CancelledError:
            conn.close()
            raise

    async def _head(self, conn: socket.socket) -> bytes | None:
        """The request head, peeked (left unread), as soon as it is whole or is not a `/health`
        request; b"" if the client closed; None when the emulator became ready first."""
        loop = asyncio.get_running_loop()
        while not self._ready.is_set():
            readable: asyncio.Future[Any] = loop.create_future()
            loop.add_reader(conn, _settle, readable)
            ready: asyncio.Future[Any] = asyncio.ensure_future(self._ready.wait())
            try:
                await asyncio.wait({readable, ready}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                loop.remove_reader(conn)
                ready.cancel()
            if self._ready.is_set():
                return None
            try:
                data = conn.recv(_MAX_HEAD, socket.MSG_PEEK)
            except BlockingIOError:
                continue
            end = data.find(b"\r\n\r\n")
            if not data or end >= 0:
                return data[: end + 4] if data else b""
            if len(data) >= _MAX_HEAD or not _could_be_health(data):
                return data
            await asyncio.sleep(0.002)  # the rest of a /health head is on its way
        return None

    async def stop_accepting(self) -> None:
        """Stop accepting (the emulator's server accepts from now on); connections not yet
        accepted stay in the socket's backlog for it."""
        if self._accepting:
            self._accepting = False
            self._loop.remove_reader(self._sock)

    def hand_over(self, adopt: Callable[[socket.socket], Awaitable[None]]) -> None:
        """Give every held connection, and those still being read, to `adopt`."""
        self._adopt = adopt
        self._ready.set()

    async def close(self) -> None:
        """Stop accepting and drop connections not handed over."""
        await self.stop_accepting()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


def _settle(future: asyncio.Future[Any]) -> None:
    if not future.done():
        future.set_result(None)


def _is_health(head: bytes) -> bool:
    line = head.split(b"\r\n", 1)[0]
    return line.startswith((b"GET /health ", b"GET /health?")) and line[-8:-1] == b"HTTP/1."


def _could_be_health(data: bytes) -> bool:
    prefix = b"GET /health"
    return data.startswith(prefix) or prefix.startswith(data)
