"""A small tmux driver: a real terminal, keys as a person types them, the screen as text.

Every benchmark terminal lives on a private tmux server (its own socket), so
nothing here touches the user's tmux sessions, and `TmuxServer.close()` ends
exactly what it started.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

POLL = 0.003  # seconds between screen captures while waiting


class TmuxServer:
    def __init__(self, prefix: str = "evtui-bench-") -> None:
        #: Also starts each session's name, so concurrent runs (and people) tell theirs apart in `ps`.
        self.prefix = prefix
        self.socket = f"{prefix}{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.used = False

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        if not self.used:
            self.used = True
            # A session that lives as long as the server: tmux exits with its last session, and a
            # new-session racing that exit fails.
            subprocess.run(["tmux", "-L", self.socket, "new-session", "-d", "-s", f"{self.prefix}keeper", "sleep 86400"],
                           check=True, capture_output=True, text=True)
        return subprocess.run(["tmux", "-L", self.socket, *args], check=check, capture_output=True, text=True)

    def close(self) -> None:
        if self.used:
            subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, text=True)
            sock = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}" / self.socket
            sock.unlink(missing_ok=True)


class Term:
    """One program in a detached cols x rows terminal. `t0` is the moment it was launched."""

    def __init__(
        self,
        server: TmuxServer,
        cmd: list[str],
        *,
        cols: int = 120,
        rows: int = 34,
        env: Mapping[str, str] | None = None,
        cwd: str | None = None,
    ) -> None:
        self.server = server
        self.name = f"{server.prefix}t-{uuid.uuid4().hex[:10]}"
        envs: list[str] = []
        for k, v in {"TERM": "xterm-256color", "COLORTERM": "truecolor", **(env or {})}.items():
            envs += ["-e", f"{k}={v}"]
        if cwd:
            envs += ["-c", cwd]
        # exec: the pane's process is the program itself (for /proc/PID/{status,stat}).
        line = "exec " + " ".join(shlex.quote(c) for c in cmd)
        self.t0 = time.perf_counter()
        server.run("new-session", "-d", "-s", self.name, "-x", str(cols), "-y", str(rows), *envs, line)
        self._pid: int | None = None

    # -- screen ------------------------------------------------------------------------

    def screen(self) -> str:
        return self.server.run("capture-pane", "-p", "-t", self.name, check=False).stdout

    def wait(
        self,
        present: Iterable[str] = (),
        absent: Iterable[str] = (),
        *,
        timeout: float = 30.0,
        test: Callable[[str], bool] | None = None,
        what: str = "",
    ) -> tuple[float, str]:
        """Poll until every `present` text shows, no `absent` text does (and `test` holds).
        Returns (perf_counter time of the capture that satisfied it, that screen)."""
        present, absent = list(present), list(absent)
        end = time.perf_counter() + timeout
        screen = ""
        while True:
            screen = self.screen()
            now = time.perf_counter()
            if all(p in screen for p in present) and not any(a in screen for a in absent) and (test is None or test(screen)):
                return now, screen
            if now > end:
                raise TimeoutError(
                    f"{what or present} not on screen after {timeout:.0f}s (absent={absent}); screen:\n{screen}"
                )
            time.sleep(POLL)

    def settle(self, quiet: float = 0.05, timeout: float = 5.0) -> str:
        """Wait until the screen stays the same for `quiet` seconds (not a measurement: a precondition)."""
        end = time.perf_counter() + timeout
        last, since = self.screen(), time.perf_counter()
        while time.perf_counter() < end:
            time.sleep(POLL)
            now = self.screen()
            if now != last:
                last, since = now, time.perf_counter()
            elif time.perf_counter() - since >= quiet:
                break
        return last

    # -- keys --------------------------------------------------------------------------

    def keys(self, *keys: str) -> float:
        """tmux key names (Enter, F3, BTab, C-u, End...); returns the time just before sending."""
        t = time.perf_counter()
        self.server.run("send-keys", "-t", self.name, *keys)
        return t

    def type(self, text: str) -> float:
        t = time.perf_counter()
        self.server.run("send-keys", "-t", self.name, "-l", text)
        return t

    def paste(self, text: str) -> float:
        """As a terminal paste (bracketed, since Textual asks for it): text for the focused
        widget, never keys, so a paste that lands outside a text box does nothing."""
        self.server.run("set-buffer", "-b", self.name, text)
        t = time.perf_counter()
        self.server.run("paste-buffer", "-p", "-d", "-b", self.name, "-t", self.name)
        return t

    # -- process -----------------------------------------------------------------------

    @property
    def pid(self) -> int:
        if self._pid is None:
            out = self.server.run("list-panes", "-t", self.name, "-F", "#{pane_pid}").stdout.strip()
            self._pid = int(out.splitlines()[0])
        return self._pid

    def _pids(self) -> list[int]:
        kids = subprocess.run(["pgrep", "-P", str(self.pid)], capture_output=True, text=True).stdout.split()
        return [self.pid, *(int(k) for k in kids)]

    def rss_kib(self) -> int:
        """VmRSS of the pane's process and its children."""
        total = 0
        for p in self._pids():
            try:
                with open(f"/proc/{p}/status") as fh:
                    for line in fh:
                        if line.startswith("VmRSS:"):
                            total += int(line.split()[1])
            except OSError:
                pass
        return total

    def cpu_seconds(self) -> float:
        """utime + stime of the pane's process (all its threads), in seconds."""
        total = 0
        for p in self._pids():
            try:
                with open(f"/proc/{p}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
            except (OSError, IndexError, ValueError):
                pass
        return total / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        self.server.run("kill-session", "-t", self.name, check=False)
