"""Errors of report links and session replays."""

from __future__ import annotations

from typing import Any

from mixpanel_async.exceptions._base import APIError, MixpanelAsyncError


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
