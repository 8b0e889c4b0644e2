"""Exceptions: one base class, the seed's names under it, transport errors that are also builtins.

Every exception carries a machine-readable `code`, a human `message` and `details`. HTTP errors
(`APIError` and below) also carry the status, Mixpanel's request id and error text, and what was
sent — never credentials: URLs and parameters are stored as sent, and auth lives only in headers,
which are not kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import attrs

__all__ = [
    "APIError",
    "AccountNotFoundError",
    "AuthenticationError",
    "BookmarkValidationError",
    "BusinessContextValidationError",
    "ConfigError",
    "DateRangeTooLargeError",
    "EventNotFoundError",
    "MixpanelAsyncError",
    "MixpanelConnectionError",
    "MixpanelTimeoutError",
    "OAuthError",
    "ParamValidationError",
    "PartitionError",
    "ProjectNotFoundError",
    "QueryError",
    "RateLimitError",
    "ReportLinkError",
    "ReportLinkNotFoundError",
    "ReportLinkParseError",
    "ReportLinkScopeMismatchError",
    "ResponseValidationError",
    "ServerError",
    "SessionReplayError",
    "ShortLinkResolutionError",
    "UnsupportedReportLinkError",
    "ValidationError",
    "WorkspaceClosedError",
    "WorkspaceLoopError",
    "WorkspaceScopeError",
]


class MixpanelAsyncError(Exception):
    """Base class of every error this library raises."""

    default_code = "UNKNOWN_ERROR"

    def __init__(
        self, message: str, *, code: str | None = None, details: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.details: dict[str, Any] = dict(details or {})

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly view: code, message, details."""
        return {"code": self.code, "message": self.message, "details": self.details}

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(message={self.message!r}, code={self.code!r})"


class ConfigError(MixpanelAsyncError):
    """Credentials or settings are missing or invalid (raised before any request)."""

    default_code = "CONFIG_ERROR"


class AccountNotFoundError(ConfigError):
    """A named account does not exist in the config file."""

    default_code = "ACCOUNT_NOT_FOUND"


class ProjectNotFoundError(ConfigError):
    """A project id is not visible to the account."""

    default_code = "PROJECT_NOT_FOUND"


class ParamValidationError(MixpanelAsyncError, ValueError):
    """An argument was rejected before any request was sent."""

    default_code = "INVALID_ARGUMENT"

    def __init__(self, message: str, *, param: str | None = None, code: str | None = None) -> None:
        super().__init__(message, code=code, details={"param": param} if param else None)
        self.param = param


class BusinessContextValidationError(ParamValidationError):
    """Business-context text is longer than Mixpanel stores (50,000 characters)."""

    default_code = "BUSINESS_CONTEXT_TOO_LONG"


class DateRangeTooLargeError(ParamValidationError):
    """A date range exceeds what the endpoint accepts."""

    default_code = "DATE_RANGE_TOO_LARGE"


class EventNotFoundError(MixpanelAsyncError):
    """An event name is unknown to the project."""

    default_code = "EVENT_NOT_FOUND"

    def __init__(self, event: str, similar: Sequence[str] = ()) -> None:
        hint = f" Did you mean: {', '.join(similar)}?" if similar else ""
        super().__init__(f"Event {event!r} not found.{hint}", details={"event": event})
        self.event_name = event
        self.similar_events = list(similar)


class WorkspaceScopeError(MixpanelAsyncError):
    """A workspace is needed and none is configured or could be resolved."""

    default_code = "WORKSPACE_SCOPE_ERROR"


class OAuthError(MixpanelAsyncError):
    """An OAuth token could not be obtained or refreshed."""

    default_code = "OAUTH_ERROR"


@attrs.frozen
class ValidationError:
    """One problem found in report arguments or bookmark params (not an exception: a list of
    them is what `validate_bookmark` returns and what `BookmarkValidationError.errors` holds).

    Attributes:
        path: Where the problem is (`"sections.show[0].measurement.math"`, `"group_by[1]"`).
        message: What is wrong, in words.
        code: The problem's stable code (`"B9_INVALID_MATH"`, `"CP1_INVALID_ID"`, ...).
        severity: `"error"` refuses the report; `"warning"` only informs.
        suggestion: Close valid values, when there are some.
        fix: A JSON shape that would be accepted, when there is one.
    """

    path: str
    message: str
    code: str = "VALIDATION_ERROR"
    severity: Literal["error", "warning"] = "error"
    suggestion: tuple[str, ...] | None = None
    fix: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The problem as plain data, leaving out `suggestion` and `fix` when absent."""
        out: dict[str, Any] = {
            "path": self.path, "message": self.message, "code": self.code,
            "severity": self.severity,
        }  # fmt: skip
        if self.suggestion is not None:
            out["suggestion"] = list(self.suggestion)
        if self.fix is not None:
            out["fix"] = self.fix
        return out

    def __str__(self) -> str:
        """`[ERROR] path: message`, with the first suggestion when there is one."""
        text = f"[{self.severity.upper()}] {self.path}: {self.message}"
        if self.suggestion:
            text += f" Did you mean '{self.suggestion[0]}'?"
        return text


class BookmarkValidationError(MixpanelAsyncError, ValueError):
    """A report definition failed client-side validation."""

    default_code = "BOOKMARK_VALIDATION_ERROR"

    @property
    def errors(self) -> tuple[ValidationError, ...]:
        """Every problem found, as `ValidationError`s (from `details["errors"]`)."""
        found = []
        for item in self.details.get("errors", ()):
            if isinstance(item, ValidationError):
                found.append(item)
            elif isinstance(item, Mapping):
                fields = {k: item[k] for k in ("path", "message", "code", "severity") if k in item}
                found.append(ValidationError(**fields))
        return tuple(found)

    @property
    def error_count(self) -> int:
        """How many of `errors` are errors."""
        return sum(1 for e in self.errors if e.severity == "error")

    @property
    def warning_count(self) -> int:
        """How many of `errors` are warnings."""
        return sum(1 for e in self.errors if e.severity == "warning")


class ResponseValidationError(MixpanelAsyncError):
    """Mixpanel answered 2xx with a body that does not fit the spec."""

    default_code = "INVALID_RESPONSE"


class APIError(MixpanelAsyncError):
    """Mixpanel answered with an HTTP error status."""

    default_code = "API_ERROR"

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        response_body: str | dict[str, Any] | None = None,
        request_method: str | None = None,
        request_url: str | None = None,
        request_params: Mapping[str, Any] | None = None,
        request_id: str | None = None,
        code: str | None = None,
    ) -> None:
        details: dict[str, Any] = {"status_code": status_code}
        for key, value in (
            ("response_body", response_body),
            ("request_method", request_method),
            ("request_url", request_url),
            ("request_params", dict(request_params) if request_params else None),
            ("request_id", request_id),
        ):
            if value is not None:
                details[key] = value
        super().__init__(message, code=code, details=details)
        self.status_code = status_code
        self.response_body = response_body
        self.request_method = request_method
        self.request_url = request_url
        self.request_params = dict(request_params) if request_params else None
        self.request_id = request_id


class AuthenticationError(APIError):
    """401: the credentials were refused."""

    default_code = "AUTH_FAILED"


class QueryError(APIError):
    """4xx: Mixpanel rejected the request (bad parameters, permission, not found)."""

    default_code = "QUERY_FAILED"


class RateLimitError(APIError):
    """429 after the retries ran out."""

    default_code = "RATE_LIMITED"

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after
        if retry_after is not None:
            self.details["retry_after"] = retry_after


class ServerError(APIError):
    """5xx after the retries ran out."""

    default_code = "SERVER_ERROR"


class WorkspaceClosedError(MixpanelAsyncError, RuntimeError):
    """The workspace was closed (`close()`, or the end of its `async with`): open a new one."""

    default_code = "WORKSPACE_CLOSED"


class WorkspaceLoopError(MixpanelAsyncError, RuntimeError):
    """The workspace was used from another event loop than the one it first ran in.

    Its HTTP connections belong to that loop; create one workspace per event loop (per
    `asyncio.run`, per thread running a loop).
    """

    default_code = "WRONG_EVENT_LOOP"


class MixpanelTimeoutError(MixpanelAsyncError, TimeoutError):
    """A request did not complete in time (after retries)."""

    default_code = "TIMEOUT"


class MixpanelConnectionError(MixpanelAsyncError, ConnectionError):
    """The connection failed or broke mid-response (after retries)."""

    default_code = "CONNECTION_ERROR"


class PartitionError(MixpanelAsyncError):
    """One partition of a partitioned export failed after its retries.

    `partition` names it (`2024-01-01`, or `2024-01-01..2024-01-07`); the cause is chained.
    """

    default_code = "PARTITION_FAILED"

    def __init__(
        self,
        message: str,
        *,
        partition: str | None = None,
        code: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message, code=code, details=details)
        self.partition = partition


class ReportLinkError(MixpanelAsyncError):
    """A report link (a Mixpanel web URL that opens a report) could not be used; `details`
    carries the parts of the link that were read and a `hint`.

    Most of these failures are local (a link that does not parse, points elsewhere, or is of
    a kind that cannot be run), so this is not an `APIError`.
    """

    default_code = "REPORT_LINK_ERROR"


class ReportLinkParseError(ReportLinkError):
    """The text is not a Mixpanel report link this library recognises."""

    default_code = "REPORT_LINK_UNPARSEABLE"


class UnsupportedReportLinkError(ReportLinkError):
    """The link is recognised but cannot be resolved or run (a dashboard, a legacy hash)."""

    default_code = "UNSUPPORTED_REPORT_LINK"


class ReportLinkNotFoundError(ReportLinkError):
    """The slug, saved report or short link does not exist in this project."""

    default_code = "REPORT_LINK_NOT_FOUND"


class ReportLinkScopeMismatchError(ReportLinkError):
    """The link names another region, project or workspace than the session's."""

    default_code = "REPORT_LINK_SCOPE_MISMATCH"


class ShortLinkResolutionError(ReportLinkError):
    """A `/s/{code}` short link could not be expanded to a report URL."""

    default_code = "SHORT_LINK_RESOLUTION_ERROR"


class SessionReplayError(APIError):
    """Base of the session-replay errors (`except SessionReplayError` catches them all)."""

    default_code = "SESSION_REPLAY_ERROR"


class ReplayNotFoundError(SessionReplayError):
    """A replay has no recording files (never recorded, deleted, or past its retention)."""

    default_code = "REPLAY_NOT_FOUND"


class SignedURLExpiredError(SessionReplayError):
    """A replay's signed CDN URL was refused even after signing it again."""

    default_code = "SIGNED_URL_EXPIRED"


class UnsupportedReplayFormatError(SessionReplayError):
    """A replay's recording is not rrweb events (its first event lacks type, data, timestamp).

    Its files were fetched (`status_code` 200); what they hold cannot be read.
    """

    default_code = "UNSUPPORTED_REPLAY_FORMAT"

    def __init__(self, message: str, *, status_code: int = 200, **kwargs: Any) -> None:
        super().__init__(message, status_code=status_code, **kwargs)


class SessionReplayAccessError(SessionReplayError):
    """403 on signing: the project hides replays with sensitive data from this account
    (`SESSION_RECORDING_SENSITIVE_DATA`)."""

    default_code = "SESSION_REPLAY_ACCESS_DENIED"


# The seed's remaining exception names (accounts, help, argument guards, region probes).

MixpanelHeadlessError = MixpanelAsyncError
"""The seed's base-class name, kept so `except MixpanelHeadlessError` in migrated code works."""


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


class ParamTypeError(MixpanelAsyncError, TypeError):
    """An argument of the wrong type (also a `TypeError`)."""

    default_code = "VALIDATION_ERROR"

    def __init__(
        self,
        message: str,
        code: str = "VALIDATION_ERROR",
        details: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message, code=code, details=details)


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
