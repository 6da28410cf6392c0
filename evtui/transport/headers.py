"""Which values can go into an HTTP header, judged before anything is sent.

httpx refuses a header holding CR, LF or NUL, and its error text repeats the
whole value ("Illegal header value b'Bearer ...'"); a non-ASCII value fails in
an encoder whose error names the character and its position. Both would put a
secret on the screen. So every credential is checked here first, and the
error names the profile and the field, never the value or where in it the
fault is.
"""

from __future__ import annotations

from evtui.errors import ConfigError, MalformedResponse


def unsafe_reason(value: str) -> str | None:
    """Why `value` cannot be sent in a header (in words, without the value), or None."""
    for ch in value:
        if " " <= ch <= "~":
            continue
        if ch in "\r\n":
            return "it holds a line break"
        if ch == "\0":
            return "it holds a NUL character"
        if ch < " " or ch == "\x7f":
            return "it holds a control character"
        return "it holds a non-ASCII character"
    return None


def secret_for_header(value: str, *, profile: str, field: str) -> str:
    """A configured secret as it may be sent; a ConfigError naming profile and field otherwise."""
    reason = unsafe_reason(value)
    if reason is not None:
        raise ConfigError(
            f"the secret cannot be sent in an HTTP header: {reason}",
            profile=profile,
            field=field,
            hint="Secrets are sent as they are: fix the value (a cmd: secret's output, an env: variable, or the literal).",
        )
    return value


def token_for_header(value: str, *, profile: str, source: str) -> str:
    """A token a provider issued, as it may be sent; MalformedResponse otherwise."""
    reason = unsafe_reason(value)
    if reason is not None:
        raise MalformedResponse(
            f"{source} issued an access token for profile {profile!r} that cannot be sent in an HTTP header: {reason}.",
            hint="The identity server answered something that is not a usable token: report it to the provider.",
        )
    return value


def refuse_unsafe_headers(headers: dict[str, str] | None, *, profile: str) -> None:
    """The last guard before sending: no header value httpx would quote back in an error."""
    for name, value in (headers or {}).items():
        reason = unsafe_reason(value)
        if reason is not None:
            raise ConfigError(
                f"header {name} cannot be sent: {reason}",
                profile=profile,
                hint="A credential of this profile holds characters a header cannot carry.",
            )
