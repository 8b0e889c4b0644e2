"""The base exception, argument and response validation, HTTP and transport errors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import attrs


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


MixpanelHeadlessError = MixpanelAsyncError
"""The seed's base-class name, kept so `except MixpanelHeadlessError` in migrated code works."""


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
