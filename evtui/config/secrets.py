"""Secrets named in config: a literal, `env:NAME` or `cmd:COMMAND`.

A `Secret` holds the reference, not the value; the value is resolved when a
request needs it and kept in memory only. Its repr never shows a literal, so a
settings model can be printed or logged safely.

Every value is checked before it is used: it goes into an HTTP header or form,
so it must be non-empty printable ASCII with no control character. A refusal
names the profile, the field and where the value came from, never the value
nor a character or position of it. A `cmd:` secret is the first line the
command prints: `pass show` puts the password there and metadata after it.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from typing import Any

from evtui import redact
from evtui.config.command import DEFAULT_TIMEOUT, CommandFailed, run_command
from evtui.errors import ConfigError
from evtui.transport.headers import unsafe_reason

# One resolution at a time, for every secret: a second caller waits for the first's
# value instead of running the command again, and two passphrase prompts never race.
_resolving = threading.Lock()


def credential_problem(value: str) -> str | None:
    """What makes `value` unusable as a credential, in words that reveal nothing of it."""
    if not value:
        return "is empty"
    reason = unsafe_reason(value)
    if reason is not None:
        return f"cannot go in an HTTP header: {reason}"
    if value != value.strip(" "):
        return "begins or ends with a space"
    return None


def _cancel_requested() -> Callable[[], bool] | None:
    """For sync code running in an asyncio task: whether someone asked to cancel the task.

    The task cannot be cancelled while that code blocks the loop, but asyncio.run's
    Ctrl-C handler (and anything else calling `task.cancel()` from a signal handler
    or another thread) records the request, which the command's wait looks at.
    """
    try:
        task = asyncio.current_task()
    except RuntimeError:  # no event loop in this thread
        return None
    return None if task is None else lambda: task.cancelling() > 0


class Secret:
    __slots__ = ("_ref", "_value", "_where", "command_timeout")

    def __init__(self, ref: str) -> None:
        self._ref = ref
        #: Seconds a `cmd:` secret's command may take.
        self.command_timeout = DEFAULT_TIMEOUT
        self._value: str | None = None
        # (profile, field) for error messages; set by the config loader.
        self._where: tuple[str | None, str | None] = (None, None)

    @property
    def source(self) -> str:
        """How the secret is given, safe to show: `env:NAME`, `cmd`, or `literal`."""
        if self._ref.startswith("env:"):
            return self._ref
        if self._ref.startswith("cmd:"):
            return "cmd"
        return "literal"

    @property
    def is_literal(self) -> bool:
        return self.source == "literal"

    def located(self, profile: str | None, field: str | None) -> Secret:
        self._where = (profile, field)
        return self

    def reveal(self) -> str:
        """The secret's value; resolved once per process, never written anywhere.

        A `cmd:` secret blocks until its command ends (up to `command_timeout`):
        code on an event loop awaits `reveal_async` instead. Called from a task
        all the same, a cancel of that task (asyncio.run's Ctrl-C) ends the command.
        """
        return self._reveal(_cancel_requested())

    async def reveal_async(self) -> str:
        """`reveal` without blocking the event loop.

        A `cmd:` secret's command runs in a worker thread; cancelling the awaiting
        task (Escape, Ctrl-C) kills the command's process group at once.
        """
        if self._value is not None or not self._ref.startswith("cmd:"):
            return self.reveal()
        cancel = threading.Event()
        try:
            return await asyncio.to_thread(self._reveal, cancel.is_set)
        except asyncio.CancelledError:
            cancel.set()
            raise

    def _reveal(self, cancelled: Callable[[], bool] | None) -> str:
        if self._value is not None:
            return self._value
        if not self._ref.startswith("cmd:"):
            # Instant, and never behind a command that another profile is still running.
            return self._keep(self._resolve(cancelled))
        while not _resolving.acquire(timeout=0.05):
            if cancelled is not None and cancelled():
                raise self._error("secret command was cancelled")
        try:
            return self._value if self._value is not None else self._keep(self._resolve(cancelled))
        finally:
            _resolving.release()

    def _keep(self, value: str) -> str:
        redact.remember(value)
        self._check(value)
        self._value = value
        return value

    def _check(self, value: str) -> None:
        if (why := credential_problem(value)) is None:
            return
        if self._ref.startswith("cmd:"):
            what = "the first line the secret command printed"
        elif self._ref.startswith("env:"):
            what = f"the value of {self._ref[4:]}"
        else:
            what = "the secret"
        raise self._error(f"{what} {why}", hint="evtui shows no part of it: check it where it is kept")

    def _error(self, message: str, hint: str = "") -> ConfigError:
        profile, field = self._where
        return ConfigError(message, profile=profile, field=field, hint=hint)

    def _resolve(self, cancelled: Callable[[], bool] | None) -> str:
        if self._ref.startswith("env:"):
            name = self._ref[4:]
            value = os.environ.get(name)
            if not value:
                raise self._error(
                    f"environment variable {name} is not set or empty", hint=f"export {name}=... in the shell that runs evtui"
                )
            return value
        if self._ref.startswith("cmd:"):
            return self._run(self._ref[4:], cancelled)
        return self._ref

    def _run(self, command: str, cancelled: Callable[[], bool] | None) -> str:
        # The command's output is the secret: never quote it in an error.
        try:
            output = run_command(command, timeout=self.command_timeout, cancelled=cancelled)
        except CommandFailed as exc:
            hint = "run the command by hand to see what it needs (an unlocked password store?)"
            raise self._error(f"secret command {exc}", hint=hint if "status" in str(exc) else "") from None
        first_line = output.split(b"\n", 1)[0].removesuffix(b"\r")
        if not first_line:
            raise self._error("secret command printed nothing on its first line")
        return first_line.decode("utf-8", errors="replace")

    def __repr__(self) -> str:
        return f"Secret({self.source})"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._ref == self._ref

    def __hash__(self) -> int:
        return hash(self._ref)

    @classmethod
    def from_setting(cls, value: Any) -> Secret:
        """The Secret a settings table names (`evtui.config.model` calls it); ValueError if none."""
        if isinstance(value, Secret):
            return value
        if not isinstance(value, str) or not value:
            raise ValueError("must be a non-empty string: a literal, env:NAME or cmd:COMMAND")
        if value in ("env:", "cmd:"):
            raise ValueError("names no variable or command")
        secret = cls(value)
        if secret.is_literal and (why := credential_problem(value)):
            # Said when the file is read, not at the first request.
            raise ValueError(f"the literal secret {why}")
        return secret
