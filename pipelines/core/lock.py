"""One run at a time per RW_HOME: an exclusive lock file, released when the holder exits."""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path


class RunInProgress(RuntimeError):
    """Another run holds the warehouse lock."""


@contextmanager
def exclusive_run(lock_file: Path):
    """Hold the warehouse lock for the duration of a run, or raise RunInProgress at once."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    handle = open(lock_file, "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise RunInProgress(f"another run is in progress on {lock_file.parent} (pid {holder}); "
                                "try again when it has finished") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()  # closing releases the lock, also when the process is killed
