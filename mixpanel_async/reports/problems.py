"""Problems collected while checking a report's arguments, raised together as one
`BookmarkValidationError` (flows and user queries report every broken rule at once)."""

from __future__ import annotations

from mixpanel_async.exceptions import BookmarkValidationError


class Problems:
    """Collects every rule a set of arguments breaks, to report them all in one error."""

    def __init__(self) -> None:
        """No problem found yet."""
        self.found: list[dict[str, str]] = []

    def add(self, path: str, message: str, code: str) -> None:
        """Record one broken rule: where (`forward`, `steps[1].reverse`), what, its code."""
        self.found.append({"path": path, "message": message, "code": code})

    def raise_any(self) -> None:
        """Raise `error()` if a rule was broken."""
        if self.found:
            raise self.error()

    def error(self) -> BookmarkValidationError:
        """`BookmarkValidationError` listing every problem (in `details["errors"]`, the first
        one's path in `details["param"]`)."""
        text = "; ".join(f"{p['path']}: {p['message']}" for p in self.found)
        first = self.found[0]
        return BookmarkValidationError(
            f"invalid arguments: {text}",
            code=first["code"],
            details={"param": first["path"], "errors": list(self.found)},
        )
