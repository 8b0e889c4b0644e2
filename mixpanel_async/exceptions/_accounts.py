"""Errors of credentials and the config file: accounts, targets, login arguments, OAuth and
region probes (all raised before any request to Mixpanel)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from mixpanel_async.exceptions._base import MixpanelAsyncError


class ConfigError(MixpanelAsyncError):
    """Credentials or settings are missing or invalid (raised before any request)."""

    default_code = "CONFIG_ERROR"


class AccountNotFoundError(ConfigError):
    """A named account does not exist in the config file."""

    default_code = "ACCOUNT_NOT_FOUND"


class ProjectNotFoundError(ConfigError):
    """A project id is not visible to the account."""

    default_code = "PROJECT_NOT_FOUND"


class OAuthError(MixpanelAsyncError):
    """An OAuth token could not be obtained or refreshed."""

    default_code = "OAUTH_ERROR"


class AccountExistsError(ConfigError):
    """An account is added under a name the config file already holds."""

    default_code = "ACCOUNT_EXISTS"

    def __init__(self, account_name: str) -> None:
        super().__init__(
            f"Account '{account_name}' already exists.", details={"account_name": account_name}
        )
        self.account_name = account_name


class AccountInUseError(ConfigError):
    """An account still named by targets is removed without `force=True`."""

    default_code = "ACCOUNT_IN_USE"

    def __init__(self, account_name: str, referenced_by: Sequence[str] | None = None) -> None:
        names = list(referenced_by or [])
        used = (
            "is referenced by target(s): " + ", ".join(f"'{t}'" for t in names)
            if names
            else "is in use"
        )
        super().__init__(
            f"Account '{account_name}' {used}. Pass `force=True` to remove it anyway.",
            details={"account_name": account_name, "referenced_by": names},
        )
        self.account_name = account_name
        self.referenced_by = names


InvalidArgumentViolation = Literal["mutually_exclusive", "no_browser_misuse", "secret_stdin_misuse"]


class InvalidArgumentError(ConfigError):
    """Arguments of a login call that cannot go together (`violation` says which rule)."""

    default_code = "INVALID_ARGUMENT"

    def __init__(
        self,
        message: str,
        *,
        violation: InvalidArgumentViolation,
        detected_auth_type: str | None = None,
    ) -> None:
        if violation not in ("mutually_exclusive", "no_browser_misuse", "secret_stdin_misuse"):
            raise ValueError(f"unknown violation {violation!r}")
        details: dict[str, Any] = {"violation": violation}
        if detected_auth_type is not None:
            details["detected_auth_type"] = detected_auth_type
        super().__init__(message, details=details)
        self.violation = violation
        self.detected_auth_type = detected_auth_type


class RegionProbeError(OAuthError):
    """No region accepted a credential; `attempts` holds `(region, status, error)` per region."""

    default_code = "OAUTH_REGION_PROBE_FAILED"

    def __init__(
        self,
        message: str,
        *,
        attempts: Sequence[tuple[str, int, str]] = (),
        code: str | None = None,
    ) -> None:
        self.attempts = [tuple(a) for a in attempts]
        super().__init__(message, code=code, details={"attempts": [list(a) for a in attempts]})

    def to_dict(self) -> dict[str, Any]:
        """Code, message, details, and the attempts at the top level."""
        return {**super().to_dict(), "attempts": [list(a) for a in self.attempts]}


class RegionProbeNetworkError(RegionProbeError):
    """Every region probe failed on the network (status 0), not on the credential."""

    default_code = "OAUTH_NETWORK_UNREACHABLE"
