"""Writing a file whole or not at all, readable by its owner only."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_private(path: Path, data: bytes, *, durable: bool = False) -> None:
    """Write through a 0600 temp file in the same directory, then rename over `path`.

    A reader never sees half a file, and a crash leaves the old one. `durable` also
    fsyncs before the rename (state that must survive a power cut); an export does not need it.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp creates 0600 already; chmod anyway in case a platform differs.
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
