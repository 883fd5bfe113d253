"""One run at a time per warehouse home."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from pipelines.core.lock import RunInProgress, exclusive_run


def test_another_thread_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    lock = tmp_path / "run.lock"
    refusals: list[str] = []

    def second_run() -> None:
        try:
            with exclusive_run(lock):
                refusals.append("not refused")
        except RunInProgress as refused:
            refusals.append(str(refused))

    with exclusive_run(lock):
        thread = threading.Thread(target=second_run)
        thread.start()
        thread.join()
    assert len(refusals) == 1 and "another run is in progress" in refusals[0] and "try again" in refusals[0]
    thread = threading.Thread(target=second_run)  # released on exit
    thread.start()
    thread.join()
    assert refusals[1] == "not refused"


def test_the_holding_thread_may_take_it_again_and_keeps_it_until_the_outer_exit(tmp_path: Path) -> None:
    """The command line holds the lock around a run whose Dagster resource takes it again."""
    lock = tmp_path / "run.lock"
    with exclusive_run(lock):
        with exclusive_run(tmp_path / "." / "run.lock"):  # the same file, however it is spelt
            pass
        outcome: list[BaseException] = []
        thread = threading.Thread(target=lambda: outcome.extend(_try(lock)))
        thread.start()
        thread.join()
        assert len(outcome) == 1 and isinstance(outcome[0], RunInProgress)


def _try(lock: Path) -> list[BaseException]:
    try:
        with exclusive_run(lock):
            return []
    except RunInProgress as refused:
        return [refused]


def test_lock_held_by_another_process_is_refused(tmp_path: Path) -> None:
    lock = tmp_path / "run.lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import sys, time; from pathlib import Path; from pipelines.core.lock import exclusive_run\n"
                f"with exclusive_run(Path({str(lock)!r})):\n    print('held', flush=True); time.sleep(30)"
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(RunInProgress, match=str(holder.pid)), exclusive_run(lock):
            pass
    finally:
        holder.kill()
        holder.wait()
    with exclusive_run(lock):  # a killed holder releases the lock
        pass
