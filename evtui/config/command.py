"""Running a `cmd:` secret's command: bounded in time and size, cancellable, its process group ended.

The command runs through the shell in a session of its own, so that it and
everything it starts form one process group. Its output is read while it runs
(a full pipe would stall it); once the command itself has exited, what it wrote
is drained and the whole group is killed. A background child that inherited
stdout (`sleep 30 &`) therefore neither keeps evtui waiting for an end of file
nor outlives the lookup, and a timeout or a cancel ends the group the same way.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import time
from collections.abc import Callable

#: A password store may wait for a passphrase prompt; a minute is plenty.
DEFAULT_TIMEOUT = 60.0
#: A secret is a line; more output than this is not a secret command at work.
MAX_OUTPUT = 64 * 1024
#: How often the wait looks at the command's exit and at a cancel.
_POLL = 0.05


class CommandFailed(Exception):
    """Why the command gave no output to use; the text never includes the output."""


def run_command(command: str, *, timeout: float = DEFAULT_TIMEOUT, cancelled: Callable[[], bool] | None = None) -> bytes:
    """What `command` printed on stdout, once it exited with status 0.

    `cancelled` is asked every few hundredths of a second; once it says yes the
    command is ended. A KeyboardInterrupt ends it too.
    """
    try:
        proc = subprocess.Popen(
            command,
            shell=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            # Never shown: a failing password store may print part of an entry.
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        raise CommandFailed(f"could not run ({type(exc).__name__})") from None
    assert proc.stdout is not None
    try:
        output = _read_until_exit(proc, proc.stdout.fileno(), time.monotonic() + timeout, timeout, cancelled)
    finally:
        _end_group(proc)
        proc.stdout.close()
    if proc.returncode < 0:
        raise CommandFailed(f"was ended by signal {-proc.returncode}")
    if proc.returncode != 0:
        raise CommandFailed(f"exited with status {proc.returncode}")
    return output


def _read_until_exit(
    proc: subprocess.Popen[bytes], fd: int, deadline: float, timeout: float, cancelled: Callable[[], bool] | None
) -> bytes:
    os.set_blocking(fd, False)
    chunks: list[bytes] = []
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        open_pipe = True
        while True:
            # Looked at before draining: what the command wrote before it exited is in the
            # pipe by then, and a background child still holding the pipe must not make us
            # wait for its end of file.
            exited = proc.poll() is not None
            if open_pipe and _drain(fd, chunks):
                open_pipe = False  # every writer closed stdout; the command may still be running
                selector.unregister(fd)
            if sum(map(len, chunks)) > MAX_OUTPUT:
                raise CommandFailed(f"printed more than {MAX_OUTPUT // 1024} KiB")
            if exited:
                return b"".join(chunks)
            if cancelled is not None and cancelled():
                raise CommandFailed("was cancelled")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise CommandFailed(f"did not finish within {timeout:g} s")
            wait = min(_POLL, remaining)
            if open_pipe:
                selector.select(wait)
            else:
                time.sleep(wait)


def _drain(fd: int, chunks: list[bytes]) -> bool:
    """Read what is in the pipe without blocking; True at end of file."""
    total = sum(map(len, chunks))
    while total <= MAX_OUTPUT:
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            return False
        if not chunk:
            return True
        chunks.append(chunk)
        total += len(chunk)
    return False


def _end_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill the command's process group (whatever it left behind too) and reap the command."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass  # the group is gone already
    except AttributeError:  # no process groups on this platform
        proc.kill()
    proc.wait()
