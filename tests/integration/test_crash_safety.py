"""Crash safety: real runs killed with SIGKILL part-way (during extraction/load, then during the dbt
build), then run again, give marts identical to an uninterrupted run's; a publish killed at any
moment leaves the previous warehouse or the complete new one, never a partial file."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from pipelines.core.runs import INTERRUPTED
from tests.conftest import REPO_ROOT
from tests.integration.reliability import (
    build_bad_inbox,
    file_outcomes,
    finish,
    fresh_bad_input_run,
    sha256,
    start_cli,
    table_snapshot,
)

pytestmark = pytest.mark.integration

INTO_DBT_SECONDS = 4.0  # dbt has written tables by then, and is far from done (a build takes 15-30 s)


def _group_commands(process_group: int) -> list[list[str]]:
    """Command lines of the live processes of a process group (Linux /proc)."""
    commands = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()  # state ppid pgrp ...
            if int(fields[2]) == process_group and fields[0] != "Z":
                commands.append((entry / "cmdline").read_bytes().decode(errors="replace").split("\0"))
        except (OSError, ValueError):
            continue  # the process ended while being read
    return commands


def _dbt_is_building(run: subprocess.Popen) -> bool:
    return any(
        any(Path(arg).name == "dbt" for arg in command) and "build" in command for command in _group_commands(run.pid)
    )


def _holds_anything(folder: Path) -> bool:
    try:
        return any(folder.iterdir())
    except FileNotFoundError:  # extraction removes the folder before staging a new batch
        return False


def _dbt_building_for(run: subprocess.Popen, seconds: float) -> Callable[[], bool]:
    """A stage test: dbt has been building for `seconds` (it has written tables, and is far from done)."""
    first_seen: list[float] = []

    def reached() -> bool:
        if not _dbt_is_building(run):
            return False
        first_seen[:] = first_seen or [time.monotonic()]
        return time.monotonic() - first_seen[0] >= seconds

    return reached


def _kill_when(run: subprocess.Popen, stage_reached: Callable[[], bool], stage: str, poll: float) -> None:
    """SIGKILL the run and its children (dbt) as soon as `stage_reached()`; fail if it ends first."""
    deadline = time.monotonic() + 600
    while not stage_reached():
        if run.poll() is not None:
            pytest.fail(f"the run ended (exit {run.returncode}) before reaching {stage}: {run.communicate()}")
        if time.monotonic() > deadline:
            pytest.fail(f"the run never reached {stage}")
        time.sleep(poll)
    os.killpg(run.pid, signal.SIGKILL)
    run.communicate()
    assert run.returncode == -signal.SIGKILL
    deadline = time.monotonic() + 10
    while _group_commands(run.pid) and time.monotonic() < deadline:  # children die with the group
        time.sleep(poll)
    assert not _group_commands(run.pid), "a child of the killed run is still running"


@pytest.fixture(scope="module")
def killed_twice_then_rerun(tmp_path_factory):
    root = tmp_path_factory.mktemp("crash")
    inbox, home = root / "inbox", root / "home"
    build_bad_inbox(inbox, root / "outside")
    warehouse, staging = home / "warehouse" / "research.duckdb", home / "staging"
    published_between_kills = []

    run = start_cli("run", home=home, inbox=inbox)
    _kill_when(run, lambda: _holds_anything(staging), "the staged extraction batch", poll=0.02)
    published_between_kills.append(warehouse.exists())
    staged_after_first_kill = sorted(p.name for p in staging.iterdir())

    run = start_cli("run", home=home, inbox=inbox)
    _kill_when(run, _dbt_building_for(run, INTO_DBT_SECONDS), "the dbt build", poll=0.2)
    published_between_kills.append(warehouse.exists())

    rerun = finish(start_cli("run", home=home, inbox=inbox), home)
    return rerun, published_between_kills, staged_after_first_kill


def test_the_first_kill_landed_between_extraction_and_load(killed_twice_then_rerun) -> None:
    _, _, staged = killed_twice_then_rerun
    assert staged and all(name.startswith("batch-") for name in staged)


def test_nothing_is_published_by_a_killed_run(killed_twice_then_rerun) -> None:
    _, published_between_kills, _ = killed_twice_then_rerun
    assert published_between_kills == [False, False]


def test_the_rerun_gives_the_marts_of_an_uninterrupted_run(killed_twice_then_rerun, tmp_path_factory) -> None:
    rerun, _, _ = killed_twice_then_rerun
    assert rerun.exit_code == 0, rerun.output
    uninterrupted = fresh_bad_input_run(tmp_path_factory)
    assert table_snapshot(rerun.warehouse, "marts") == uninterrupted.marts
    assert file_outcomes(rerun.warehouse) == uninterrupted.files


def test_killed_runs_are_recorded_as_interrupted_and_leave_no_leftovers(killed_twice_then_rerun) -> None:
    rerun, _, _ = killed_twice_then_rerun
    with duckdb.connect(str(rerun.warehouse), read_only=True) as con:
        outcomes = [o for (o,) in con.execute("select outcome from audit.runs order by started_at").fetchall()]
    assert outcomes == [INTERRUPTED, INTERRUPTED, "published"]
    assert not any((rerun.home / "staging").iterdir())
    assert not list((rerun.home / "landing").glob(".incoming-*"))


PUBLISH = """
import sys
from pathlib import Path
from pipelines.core.publish import publish
print("ready", flush=True)
publish(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def _published_state(warehouse: Path, previous_sha: str, complete_counts: dict[str, int]) -> str:
    """'previous' or 'complete'; anything else (unreadable, partial) fails the test."""
    if sha256(warehouse) == previous_sha:
        return "previous"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        counts = {
            f"{s}.{t}": con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0]
            for s, t in con.execute("select table_schema, table_name from information_schema.tables").fetchall()
        }
    assert counts == complete_counts, "a partial warehouse was published"
    return "complete"


def test_a_publish_killed_at_any_moment_leaves_the_previous_or_the_complete_warehouse(
    tmp_path, tmp_path_factory
) -> None:
    fresh = fresh_bad_input_run(tmp_path_factory).result
    build = Path(shutil.copy(fresh.build_db, tmp_path / "build.duckdb"))
    warehouse = tmp_path / "warehouse" / "research.duckdb"
    warehouse.parent.mkdir()
    previous = tmp_path / "previous.duckdb"
    with duckdb.connect(str(previous)) as con:
        con.execute("create schema marts; create table marts.dim_report as select 'previous version' as title")
    with duckdb.connect(str(fresh.warehouse), read_only=True) as con:
        complete_counts = {
            f"{s}.{t}": con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0]
            for s, t in con.execute("select table_schema, table_name from information_schema.tables").fetchall()
        }
    outcomes = []
    for delay in [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.7, 30.0]:
        shutil.copy(previous, warehouse)
        publisher = subprocess.Popen(
            [sys.executable, "-c", PUBLISH, str(build), str(warehouse)],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert publisher.stdout.readline().strip() == "ready"
        try:
            publisher.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            publisher.kill()
        publisher.wait()
        outcomes.append((publisher.returncode == 0, _published_state(warehouse, sha256(previous), complete_counts)))
    assert (False, "previous") in outcomes, "no kill landed before the publish finished"
    assert outcomes[-1] == (True, "complete")
    assert all(state == "complete" for finished, state in outcomes if finished)
    assert not list(warehouse.parent.glob(".*.tmp")), "the last publish removes temp files of killed ones"
