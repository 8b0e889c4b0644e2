"""HTTPS for the emulator: a local certificate authority (made with trustme) or a given
certificate.

The CA lives in one directory (`default_tls_dir()`, or `tls_dir=`): `ca.pem` is the bundle
clients trust, `ca-key.pem` its private key (owner-only). It is made on first use and reused on
every later start, so a client told once to trust `ca.pem` keeps trusting the emulator. Each
start issues a fresh server certificate for the host names the emulator answers to.
"""

from __future__ import annotations

import os
import ssl
import tempfile
from pathlib import Path

import attrs
import trustme
from aiohttp import web

CA_FILE = "ca.pem"
CA_KEY_FILE = "ca-key.pem"
ENV_TLS_DIR = "MIXPANEL_EMULATOR_TLS_DIR"
CA_PEM: web.AppKey[bytes] = web.AppKey("ca_pem", bytes)
"""The app's CA certificate (PEM), served at `/__emulator/ca.pem` when the emulator has one."""


def default_tls_dir() -> Path:
    """Where the emulator keeps its CA: `$MIXPANEL_EMULATOR_TLS_DIR`, else
    `$XDG_CACHE_HOME/mixpanel-async/tls`, else `~/.cache/mixpanel-async/tls`."""
    explicit = os.environ.get(ENV_TLS_DIR)
    if explicit:
        return Path(explicit)
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "mixpanel-async" / "tls"


def _write_atomically(path: Path, data: bytes, mode: int) -> None:
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def local_ca(directory: Path) -> trustme.CA:
    """The CA kept in `directory`, made (and written there) when it has none yet."""
    cert_path, key_path = directory / CA_FILE, directory / CA_KEY_FILE
    if cert_path.is_file() and key_path.is_file():
        return trustme.CA.from_pem(cert_path.read_bytes(), key_path.read_bytes())
    directory.mkdir(parents=True, exist_ok=True)
    ca = trustme.CA(organization_name="mixpanel-async emulator")
    # The key first: a reader that sees ca.pem always finds the key that signed it.
    _write_atomically(key_path, ca.private_key_pem.bytes(), 0o600)
    _write_atomically(cert_path, ca.cert_pem.bytes(), 0o644)
    return ca


def server_names(host: str) -> list[str]:
    """The names a server certificate for `host` covers: the host itself and loopback."""
    names = ["localhost", "127.0.0.1", "::1"]
    if host and host not in ("0.0.0.0", "::") and host not in names:
        names.insert(0, host)
    return names


@attrs.define
class TLS:
    """What an HTTPS emulator serves with: its server context and the CA clients trust.

    `ca_path` is None when serving a given certificate (`cert_file`/`key_file`): its issuer is
    then the caller's to distribute.
    """

    context: ssl.SSLContext
    ca_path: Path | None

    @classmethod
    def create(
        cls,
        host: str,
        *,
        tls_dir: str | os.PathLike[str] | None = None,
        cert_file: str | os.PathLike[str] | None = None,
        key_file: str | os.PathLike[str] | None = None,
    ) -> TLS:
        """A server context for `host`: from the given certificate and key, or a certificate
        issued by the local CA in `tls_dir` (default `default_tls_dir()`)."""
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        if cert_file is not None or key_file is not None:
            if cert_file is None or key_file is None:
                raise ValueError("a TLS certificate needs both its certificate and key files")
            try:
                context.load_cert_chain(os.fspath(cert_file), os.fspath(key_file))
            except (OSError, ssl.SSLError) as exc:
                raise ValueError(f"cannot load the TLS certificate: {exc}") from None
            return cls(context, None)
        directory = Path(tls_dir) if tls_dir is not None else default_tls_dir()
        ca = local_ca(directory)
        ca.issue_cert(*server_names(host)).configure_cert(context)
        return cls(context, directory / CA_FILE)

    def ca_pem(self) -> bytes | None:
        """The CA certificate in PEM (None when serving a given certificate)."""
        return self.ca_path.read_bytes() if self.ca_path is not None else None


def client_context(ca_path: str | os.PathLike[str]) -> ssl.SSLContext:
    """An `ssl.SSLContext` for clients that trusts the emulator's CA (and the system's)."""
    context = ssl.create_default_context()
    context.load_verify_locations(cafile=os.fspath(ca_path))
    return context


def env_hints(ca_path: str | os.PathLike[str]) -> dict[str, str]:
    """Environment variables that make the usual clients trust the CA: Python's ssl and httpx
    (`SSL_CERT_FILE`), requests (`REQUESTS_CA_BUNDLE`), Node (`NODE_EXTRA_CA_CERTS`)."""
    path = os.fspath(ca_path)
    return {"SSL_CERT_FILE": path, "REQUESTS_CA_BUNDLE": path, "NODE_EXTRA_CA_CERTS": path}
