"""One run at a time per warehouse home."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.core.lock import RunInProgress, exclusive_run


def test_second_holder_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    lock = tmp_path / "run.lock"
    with exclusive_run(lock):
        with pytest.raises(RunInProgress, match="another run is in progress"):
            with exclusive_run(lock):
                pass
    with exclusive_run(lock):  # released on exit
        pass


def test_lock_held_by_another_process_is_refused(tmp_path: Path) -> None:
    lock = tmp_path / "run.lock"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from pipelines.core.lock import exclusive_run\n"
        f"with exclusive_run(Path({str(lock)!r})):\n    print('held', flush=True); time.sleep(30)")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(RunInProgress, match=str(holder.pid)):
            with exclusive_run(lock):
                pass
    finally:
        holder.kill()
        holder.wait()
    with exclusive_run(lock):  # a killed holder releases the lock
        pass
