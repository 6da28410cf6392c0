"""Opening the history file, and surviving every way it can fail.

SQLite because several evtui processes (tmux panes) write at once. Each
statement runs under a busy timeout; one that still finds the database locked
is retried with backoff within a bounded time (`busy_deadline`). The rollback
journal (DELETE mode, not WAL: WAL needs shared memory that network home
directories such as NFS and SMB do not provide) with `synchronous = FULL`
makes every commit atomic and durable: a process killed mid-write leaves a hot
journal that the next opener rolls back.

A file that cannot be read (garbage, truncated, a directory, not SQLite,
another program's schema) is moved aside under a timestamped name and a fresh
one started; when even that is impossible history is off for the run. Either
way the user is told once through `notice`. Nothing here raises into a lookup.

Files are created 0600 and directories 0700, missing parents included (SQLite
gives its journal the database file's mode).
"""

from __future__ import annotations

import errno
import os
import random
import sqlite3
import stat
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from evtui.files import private_dirs
from evtui.history.schema import fts5_available, rebuild, schema_state
from evtui.history.sql import SQLITE_READONLY_DBMOVED, error_kind, transaction

T = TypeVar("T")


class _Damaged(Exception):
    """The history file is unusable as it is: move it aside."""


class _Newer(Exception):
    """The history was written by a newer evtui: leave it alone."""


class _Refused(Exception):
    """The history path is not a file evtui may write (a symbolic link): history is off, nothing touched."""


#: The files SQLite opens beside the database (DELETE mode uses only the journal).
SIDECARS = ("-journal", "-wal", "-shm")



class HistoryConnection:
    """The connection to one history file, (re)opened and recovered as needed.

    `HistoryStore` builds on this; `_run(fn, default)` is how it touches the database.
    """

    #: Longest a write (or a read) waits for other processes, retries included, before giving up.
    busy_deadline: float = 3.0
    #: SQLite's own wait per statement (ms), inside busy_deadline.
    busy_timeout_ms: int = 1000

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        #: Said once to the user: where a damaged history went, or why history is off.
        self.notice: str | None = None
        self._conn: sqlite3.Connection | None = None
        self._ident: tuple[int, int] | None = None  # (st_dev, st_ino) of the open file
        self._off = False  # history is off for this run
        self._writes_off = False  # readable, but not writable
        self._full_check = False  # validate the schema in full at the next open
        self._fts = False  # the search index is there and this SQLite has FTS5
        #: Why the last write did not happen ("busy" or "full"), for the words of a later notice.
        self._unwritten_cause: str | None = None
        self._lock = threading.RLock()

    @property
    def enabled(self) -> bool:
        """False once history is off for this run (see `notice`)."""
        return not self._off

    # -- opening ------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        """The open connection, (re)opened when the file at `path` is not the one we hold.

        Another process may have moved a damaged file aside (or the user deleted
        it): writing on into the old inode would lose those entries.
        """
        if self._conn is not None:
            try:
                st = os.lstat(self.path)
                same = (st.st_dev, st.st_ino) == self._ident
            except OSError:
                same = False
            if same:
                return self._conn
            self._close_quietly()
        self._conn = self._open()
        return self._conn

    def _open(self) -> sqlite3.Connection:
        private_dirs(self.path.parent)
        self._prepare_file()
        # mode=rw: SQLite never creates the file itself (it would, with the umask's mode).
        uri = "file:" + urllib.parse.quote(os.path.abspath(self.path)) + "?mode=rw"
        conn = sqlite3.connect(
            uri, uri=True, timeout=self.busy_timeout_ms / 1000, isolation_level=None, check_same_thread=False
        )
        try:
            # SQLite opened the path after our look at it: make sure, before it reads or
            # writes a byte, that it found a file and not a symbolic link put there meanwhile.
            self._check_path()
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            # ON (the usual default): the search index is kept by triggers, and triggers may
            # only use a virtual table in a trusted schema. A file is used only once its
            # application_id and tables show it is an evtui history.
            conn.execute("PRAGMA trusted_schema = ON")
            conn.execute("PRAGMA synchronous = FULL")
            # Keeps the filter's index in memory between keystrokes; allocated only as pages are read.
            conn.execute("PRAGMA cache_size = -32768")
            self._fts = self._ensure_schema(conn)
            # After the schema check: a file that is not ours is moved aside unchanged.
            conn.execute("PRAGMA journal_mode = DELETE")
        except BaseException:
            conn.close()
            raise
        self._full_check = False
        return conn

    def _prepare_file(self) -> None:
        """The history file as a private regular file, created when missing; never through a link.

        SQLite follows symbolic links: a link at the history's path (or its journal's)
        would have it create, chmod and write the file the link points at.
        """
        for suffix in SIDECARS:
            _private_or_absent(Path(f"{self.path}{suffix}"))
        try:
            st = os.lstat(self.path)
        except FileNotFoundError:
            try:
                # Private before SQLite writes a byte into it; O_EXCL and O_NOFOLLOW: never a link's target.
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o600)
                os.close(fd)
            except FileExistsError:  # another evtui created it a moment ago (or a link appeared)
                pass
            st = os.lstat(self.path)
        self._ident = (st.st_dev, st.st_ino)
        if stat.S_ISLNK(st.st_mode):
            raise _Refused(f"{self.path} is a symbolic link")
        if not stat.S_ISREG(st.st_mode):
            # A directory, a FIFO (opening one would block), a device: not a history.
            raise _Damaged("it is not a regular file")
        if st.st_mode & 0o077:
            _make_private(self.path)

    def _check_path(self) -> None:
        try:
            st = os.lstat(self.path)
        except FileNotFoundError:
            # Moved aside by another evtui meanwhile: what SQLite itself reports as DBMOVED,
            # which _run answers by opening the path again.
            moved = sqlite3.OperationalError("the history file was moved while opening it")
            moved.sqlite_errorcode = SQLITE_READONLY_DBMOVED  # type: ignore[attr-defined]
            raise moved from None
        if stat.S_ISLNK(st.st_mode):
            raise _Refused(f"{self.path} is a symbolic link")
        # Another evtui may have moved a damaged file aside and started afresh meanwhile:
        # the connection holds the file now at the path.
        self._ident = (st.st_dev, st.st_ino)

    def _ensure_schema(self, conn: sqlite3.Connection) -> bool:
        """Create, upgrade or repair the schema as needed; True when the search index is there."""
        fts = fts5_available(conn)
        # The first read of the header: garbage raises NOTADB, a truncated file CORRUPT.
        # One read transaction, so that another evtui creating the schema meanwhile is
        # seen either not at all or whole, never as a half-made (foreign-looking) file.
        with transaction(conn, "BEGIN DEFERRED"):
            state = schema_state(conn, full=self._full_check, fts=fts)
        if state != "ok":
            self._check_usable(state)
            with transaction(conn):
                state = schema_state(conn, full=True, fts=fts)  # another evtui may have done it meanwhile
                self._check_usable(state)
                if state != "ok":
                    rebuild(conn, fts=fts)
        return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'lookups_fts'").fetchone() is not None and fts

    @staticmethod
    def _check_usable(state: str) -> None:
        if state == "newer":
            raise _Newer()
        if state == "foreign":
            raise _Damaged("it is not an evtui history")

    # -- running a statement, and what to do when it fails ------------------------------

    def _run(self, fn: Callable[[sqlite3.Connection], T], default: T, *, write: bool = False) -> T:
        """fn(conn), surviving every way the store can fail; `default` when it cannot run.

        Busy: retried with backoff until `busy_deadline`. Damaged: moved aside,
        then fn runs on a fresh store. Anything else: history is off.
        """
        with self._lock:
            deadline = time.monotonic() + self.busy_deadline
            backoff = 0.005
            recoveries = 0
            while True:
                if self._off or (write and self._writes_off):
                    return default
                try:
                    return fn(self._connection())
                except _Damaged as exc:
                    self._close_quietly()
                    if not self._recover(str(exc), recoveries):
                        return default
                    recoveries += 1
                except _Newer:
                    self._close_quietly()
                    self._turn_off(f"History is off for this run: {self.path} was written by a newer evtui.")
                    return default
                except _Refused as exc:
                    self._close_quietly()
                    self._turn_off(
                        f"History is off for this run: {exc}; evtui keeps history only in a regular file"
                        " of its own, and leaves the link and what it points at alone."
                    )
                    return default
                except sqlite3.Error as exc:
                    kind = error_kind(exc)
                    if kind == "busy":
                        if self._conn is not None and self._conn.in_transaction:
                            self._close_quietly()
                        if time.monotonic() + backoff > deadline:
                            self._unwritten_cause = "busy" if write else self._unwritten_cause
                            return default
                        time.sleep(backoff * random.uniform(0.5, 1.5))
                        backoff = min(backoff * 2, 0.2)
                        continue
                    self._close_quietly()
                    if kind != "corrupt" and _disk_full(self.path):
                        kind = "full"  # SQLite says I/O error or cannot open; the cause is the disk
                    if kind == "corrupt":
                        if not self._recover(_describe(exc), recoveries):
                            return default
                        recoveries += 1
                    elif kind in ("stale", "ioerr") and recoveries < 2:
                        # The file was replaced under us, or its schema changed: look again.
                        self._full_check = True
                        recoveries += 1
                    elif kind == "cantopen" and recoveries < 2 and not os.path.lexists(self.path):
                        recoveries += 1  # moved away between our look and SQLite's: create it again
                    elif kind in ("readonly", "cantopen") and write:
                        self._writes_off = True
                        self._say(f"History is read-only for this run: {self.path} cannot be written ({_describe(exc)}).")
                        return default
                    elif kind == "full":
                        self._disk_is_full(write)
                        return default
                    else:
                        self._disable(exc)
                        return default
                except OSError as exc:
                    self._close_quietly()
                    if exc.errno in _FULL_ERRNOS or _disk_full(self.path):
                        self._disk_is_full(write)
                    else:
                        self._disable(exc)
                    return default
                except Exception as exc:  # a bug here must not fail a lookup either
                    self._close_quietly()
                    self._disable(exc)
                    return default

    def _disk_is_full(self, write: bool) -> None:
        """Say so, and keep history on: once space is freed the next write goes through."""
        if write:
            self._unwritten_cause = "full"
        self._say(f"History was not updated: the disk holding {self.path} is full.")

    def _recover(self, reason: str, recoveries: int) -> bool:
        """Move a damaged store aside to start afresh; False (and history off) when that is impossible."""
        if recoveries < 2 and self._move_aside(reason):
            return True
        self._turn_off(f"History is off for this run: {self.path} could not be read ({reason}) nor moved aside.")
        return False

    def _move_aside(self, reason: str) -> bool:
        """Rename the damaged file (and its journal) to a timestamped name; False when that fails."""
        try:
            st = os.lstat(self.path)
        except FileNotFoundError:
            return True  # gone already (another evtui moved it): start fresh
        except OSError:
            return False
        if self._ident is not None and (st.st_dev, st.st_ino) != self._ident:
            return True  # another evtui has replaced it already: never move its fresh store
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 1
        while os.path.lexists(aside):
            n += 1
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
        try:
            os.rename(self.path, aside)
        except FileNotFoundError:
            return True
        except OSError:
            return False
        # A hot journal belongs to the damaged file: left here it would be played into the new one.
        for suffix in SIDECARS:
            try:
                os.rename(f"{self.path}{suffix}", f"{aside}{suffix}")
            except OSError:
                pass
        # The copies keep the entries: as private as the history was meant to be.
        for moved in (aside, *(Path(f"{aside}{suffix}") for suffix in SIDECARS)):
            try:
                _private_or_absent(Path(moved))
            except (OSError, _Refused):
                pass
        self._ident = None
        self._say(f"History could not be read ({reason}); it was moved to {aside} and a new one started.")
        return True

    def _disable(self, exc: BaseException) -> None:
        self._turn_off(f"History is off for this run: {self.path} cannot be used ({_describe(exc)}).")

    def _turn_off(self, message: str) -> None:
        self._off = True
        self._close_quietly()
        self._say(message)

    def _say(self, message: str) -> None:
        if self.notice is None:
            self.notice = message
        elif message not in self.notice:
            self.notice = f"{self.notice} {message}"

    def _close_quietly(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except sqlite3.Error:
                pass


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_EUID = getattr(os, "geteuid", lambda: -1)()
_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def _private_or_absent(path: Path) -> None:
    """A file beside the history made 0600 when it is ours; a symbolic link refused, never followed."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        raise _Refused(f"{path} is a symbolic link")
    if st.st_mode & 0o077:
        _make_private(path)


def _make_private(path: Path) -> None:
    """chmod 0600 a regular file of ours, through a descriptor: a link swapped in meanwhile is not followed."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | _NOFOLLOW | _CLOEXEC)
    except FileNotFoundError:
        return  # a journal another evtui just finished with
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _Refused(f"{path} is a symbolic link") from None
        raise
    try:
        st = os.fstat(fd)
        if stat.S_ISREG(st.st_mode) and st.st_uid == _EUID:
            os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def _disk_full(path: Path) -> bool:
    """Whether the file system holding `path` has no space left for us (the real cause of many I/O errors)."""
    try:
        fs = os.statvfs(path.parent)
    except (OSError, AttributeError):
        return False
    return fs.f_blocks > 0 and fs.f_bavail == 0


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return f"{type(exc).__name__}: {exc.strerror or exc}"
    if isinstance(exc, (_Damaged, _Newer, _Refused)):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"
