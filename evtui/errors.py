"""What can go wrong, as one exception hierarchy.

Every error carries a message (what happened) and a hint (what to try), and
the exit code `evtui get` uses for it. The TUI and the CLI show the same words.
Messages never contain a secret: they are built from the profile name, the
field name and the host, never from header or credential values, and every
message and hint passes through `evtui.redact` when the error is made, so a
value that slips in (a library's error text, a provider body) is masked.
"""

from __future__ import annotations

from evtui.redact import redact


class EvtuiError(Exception):
    """Base of every error evtui shows to a person."""

    exit_code = 5
    kind = "error"
    title = "Error"

    def __init__(self, message: str, *, hint: str = "") -> None:
        message, hint = redact(message), redact(hint)
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:  # one line, for stderr
        return self.message


# -- before anything is sent (exit 2) -------------------------------------


class UsageError(EvtuiError):
    exit_code = 2
    kind = "usage"
    title = "Usage"


class ConfigError(EvtuiError):
    """The config file (or a profile in it) cannot be used."""

    exit_code = 2
    kind = "config"
    title = "Configuration problem"

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        profile: str | None = None,
        field: str | None = None,
        hint: str = "",
    ) -> None:
        where = []
        if file:
            where.append(str(file))
        if profile:
            where.append(f"profile {profile!r}")
        if field:
            where.append(f"field {field!r}")
        full = f"{': '.join([', '.join(where), message]) if where else message}"
        super().__init__(full, hint=hint)
        self.file = file
        self.profile = profile
        self.field = field


class InvalidId(EvtuiError):
    """The id cannot be one of this provider's ids; nothing was sent."""

    exit_code = 2
    kind = "invalid_id"
    title = "Invalid id"


# -- the lookup itself ------------------------------------------------------


class FetchError(EvtuiError):
    """A lookup was attempted and did not produce a record."""

    exit_code = 5
    kind = "fetch_error"
    title = "Lookup failed"

    def __init__(self, message: str, *, hint: str = "", status: int | None = None) -> None:
        super().__init__(message, hint=hint)
        self.status = status


class NotFound(FetchError):
    exit_code = 3
    kind = "not_found"
    title = "Not found"


class CredentialsRejected(FetchError):
    """401, or the token endpoint refused the client credentials."""

    exit_code = 4
    kind = "credentials_rejected"
    title = "Credentials rejected"


class Forbidden(FetchError):
    exit_code = 4
    kind = "forbidden"
    title = "Forbidden"


class RateLimited(FetchError):
    kind = "rate_limited"
    title = "Rate limited"

    def __init__(self, message: str, *, hint: str = "", status: int | None = 429, retry_after: float | None = None) -> None:
        super().__init__(message, hint=hint, status=status)
        self.retry_after = retry_after


class ProviderError(FetchError):
    """The provider answered with a server error (5xx) or an error it explains."""

    kind = "provider_error"
    title = "Provider error"


class Timeout(FetchError):
    kind = "timeout"
    title = "Timed out"


class CannotConnect(FetchError):
    kind = "cannot_connect"
    title = "Cannot connect"


class OriginRefused(FetchError):
    """A request would have taken the profile's credentials to another origin; nothing was sent to it."""

    kind = "origin_refused"
    title = "Other origin refused"


class Redirected(FetchError):
    """A 3xx: reported with its Location, never followed with credentials, never taken as the record."""

    kind = "redirected"
    title = "Redirected"


class MalformedResponse(FetchError):
    """The answer is not the JSON document it should be."""

    kind = "malformed_response"
    title = "Malformed response"


class ResponseTooLarge(MalformedResponse):
    kind = "response_too_large"
    title = "Response too large"


class AdapterFailed(EvtuiError):
    """An adapter raised something it should not have: a bug, reported without a traceback."""

    exit_code = 1
    kind = "adapter_failed"
    title = "Adapter failed"


def exit_code_for(errors: list[BaseException]) -> int:
    """The highest exit code among several failures (0 when there are none)."""
    codes = [e.exit_code if isinstance(e, EvtuiError) else 5 for e in errors]
    return max(codes, default=0)
