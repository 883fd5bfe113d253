"""One run at a time per RW_HOME: an exclusive lock file, released when the holder exits.

The lock is an `flock` on `$RW_HOME/run.lock`, so the kernel releases it when the holding process
dies, even by SIGKILL: a crashed run never leaves a stale lock behind. It is re-entrant for the
thread that holds it, because the command line takes it before starting a run (to refuse at once,
and to keep `reextract` and `quarantine retry` atomic with their run) and the run's resource takes
it again; every other thread or process is refused.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class RunInProgress(RuntimeError):
    """Another run holds the warehouse lock."""


_this_thread = threading.local()


def _held_here() -> set[Path]:
    """Lock files the current thread holds."""
    if not hasattr(_this_thread, "locks"):
        _this_thread.locks = set()
    return _this_thread.locks


@contextmanager
def exclusive_run(lock_file: Path) -> Iterator[None]:
    """Hold the warehouse lock for the duration of a run, or raise RunInProgress at once."""
    lock_file = lock_file.resolve()
    if lock_file in _held_here():
        yield
        return
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    handle = open(lock_file, "a+")  # noqa: SIM115 -- held open for the whole run: closing it releases the lock
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise RunInProgress(
                f"another run is in progress on {lock_file.parent} (pid {holder}); try again when it has finished"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        _held_here().add(lock_file)
        try:
            yield
        finally:
            _held_here().discard(lock_file)
    finally:
        handle.close()  # closing releases the lock, also when the process is killed
