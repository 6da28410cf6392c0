"""Writing a file whole or not at all, readable by its owner only, never through a link."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

# O_EXCL and O_NOFOLLOW: the temporary file is always a new file of ours, never what a
# symbolic link planted at its name points at.
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def write_private(path: Path, data: bytes, *, durable: bool = False) -> None:
    """Write through a new 0600 file in the same directory, then rename it over `path`.

    A reader never sees half a file, and a crash leaves the old one. A symbolic
    link at `path` is replaced, not followed: what it points at is never written
    nor chmod-ed. `durable` also fsyncs before the rename (state that must
    survive a power cut); an export does not need it. Raises OSError (a full
    disk: ENOSPC) with nothing left behind.
    """
    fd, tmp = _new_private_file(path)
    try:
        # The umask may have taken bits off 0600 (never added any): make it exactly 0600.
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _new_private_file(path: Path) -> tuple[int, str]:
    for _ in range(100):
        tmp = os.path.join(path.parent, f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, _FLAGS, 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")


def private_dirs(directory: Path) -> None:
    """Create `directory` and any missing parents 0700 (umask notwithstanding)."""
    missing = []
    d = directory
    while not d.exists():
        missing.append(d)
        if d.parent == d:
            break
        d = d.parent
    for d in reversed(missing):
        try:
            d.mkdir(mode=0o700)
        except FileExistsError:
            continue  # created meanwhile by another evtui
        os.chmod(d, 0o700)
