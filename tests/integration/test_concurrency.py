"""Concurrency: a reader querying the published warehouse every 100 ms during a full run never gets an
error and always sees one consistent published version; a second run started meanwhile, from the
command line or the way Dagster launches runs, is refused with a clear message and harms nothing."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance, asset, materialize

from pipelines.core.lock import RunInProgress, exclusive_run
from pipelines.defs.resources import WarehouseResource
from tests.conftest import SAMPLES
from tests.integration.reliability import copy_home, finish, fresh_bad_input_run, start_cli

pytestmark = pytest.mark.integration

NEW_REPORTS = [
    "a08_tianfeng_chuanmei_20241216.txt",
    "a09_zhongxin_tongxin_20250422.txt",
    "a10_huatai_qiche_20250325.txt",
]
# One published version, read in one connection: the runs it records, its reports, its claims.
VERSION_SQL = """
    select (select count(*) from audit.runs where published),
           (select count(*) from marts.dim_report),
           (select count(distinct report_id) from audit.files where status = 'loaded'),
           (select count(*) from marts.fct_claim)"""


class Reader(threading.Thread):
    """Opens the published warehouse read-only every `interval` seconds, like a BI tool refreshing."""

    def __init__(self, warehouse: Path, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.warehouse, self.interval = warehouse, interval
        self.stopping = threading.Event()
        self.versions: list[tuple] = []
        self.errors: list[str] = []

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                with duckdb.connect(str(self.warehouse), read_only=True) as con:
                    self.versions.append(con.execute(VERSION_SQL).fetchone())
            except Exception as error:
                self.errors.append(repr(error))
            self.stopping.wait(self.interval)


def _refused_in_another_thread(lock_file: Path) -> bool:
    refused: list[bool] = []

    def attempt() -> None:
        try:
            with exclusive_run(lock_file):
                refused.append(False)
        except RunInProgress:
            refused.append(True)

    thread = threading.Thread(target=attempt)
    thread.start()
    thread.join()
    return refused == [True]


def test_the_warehouse_resource_holds_the_lock_from_the_first_step_to_the_end_of_the_run(tmp_path) -> None:
    """Dagster sets the resource up once per run (in-process executor) and tears it down at the end."""
    home = tmp_path / "home"
    lock_file = home / "run.lock"
    held_during: list[bool] = []

    @asset
    def first_step(warehouse: WarehouseResource) -> int:
        held_during.append(_refused_in_another_thread(lock_file))
        return 1

    @asset
    def second_step(first_step: int, warehouse: WarehouseResource) -> None:
        held_during.append(_refused_in_another_thread(lock_file))

    resource = WarehouseResource(home=str(home), inbox=str(tmp_path / "inbox"))
    assert materialize([first_step, second_step], resources={"warehouse": resource}).success
    assert held_during == [True, True]
    assert not _refused_in_another_thread(lock_file), "the lock outlived the run"


def _wait_until_locked_by(lock_file: Path, pid: int, run) -> None:
    deadline = time.monotonic() + 120
    while not (lock_file.exists() and lock_file.read_text().strip() == str(pid)):
        assert run.poll() is None, f"the first run ended before taking the lock: {run.communicate()}"
        assert time.monotonic() < deadline, "the first run never took the lock"
        time.sleep(0.05)


def _dagster_launched_run(home: Path, inbox: Path, monkeypatch: pytest.MonkeyPatch):
    """The job executed the way the Dagster run worker executes it: in-process executor, resources from
    the environment, no command line around it."""
    from pipelines.definitions import defs

    monkeypatch.setenv("RW_HOME", str(home))
    monkeypatch.setenv("RW_INBOX", str(inbox))
    return defs.resolve_job_def("research_warehouse").execute_in_process(
        instance=DagsterInstance.ephemeral(), raise_on_error=False
    )


@pytest.fixture(scope="module")
def run_watched_by_a_reader(tmp_path_factory):
    """Version 1 is the fresh bad-input run; a second run adds three reports while a reader polls and
    two more runs try to start."""
    root = tmp_path_factory.mktemp("concurrency")
    home = copy_home(fresh_bad_input_run(tmp_path_factory).result.home, root / "home")
    inbox = root / "inbox"
    inbox.mkdir()
    for name in NEW_REPORTS:
        (inbox / name).write_bytes((SAMPLES / name).read_bytes())
    reader = Reader(home / "warehouse" / "research.duckdb")
    reader.start()
    run = start_cli("run", home=home, inbox=inbox, RW_SETTLE_SECONDS="0")
    _wait_until_locked_by(home / "run.lock", run.pid, run)
    started = time.monotonic()
    refused_cli = finish(start_cli("run", home=home, inbox=inbox, RW_SETTLE_SECONDS="0"), home)
    refused_after = time.monotonic() - started
    with pytest.MonkeyPatch.context() as monkeypatch:
        refused_dagster = _dagster_launched_run(home, inbox, monkeypatch)
    assert run.poll() is None, "the first run ended before the second ones were tried: the test proves nothing"
    result = finish(run, home)
    time.sleep(0.3)  # a few reads of the new version
    reader.stopping.set()
    reader.join()
    return result, reader, refused_cli, refused_after, refused_dagster


def test_the_reader_never_gets_an_error(run_watched_by_a_reader) -> None:
    result, reader, *_ = run_watched_by_a_reader
    assert result.exit_code == 0, result.output
    assert reader.errors == []
    assert len(reader.versions) >= 100, "the reader did not keep reading during the run"


def test_the_reader_sees_whole_versions_in_order(run_watched_by_a_reader) -> None:
    _, reader, *_ = run_watched_by_a_reader
    for _, reports, loaded_reports, _ in reader.versions:
        assert reports == loaded_reports, "marts and audit of different versions were seen together"
    by_version = {}
    for published_runs, *counts in reader.versions:
        assert by_version.setdefault(published_runs, counts) == counts, "one version changed under the reader"
    published_runs_seen = [version[0] for version in reader.versions]
    assert published_runs_seen == sorted(published_runs_seen), "an older version came back"
    assert sorted(by_version) == [1, 2]
    assert by_version[2][0] == by_version[1][0] + len(NEW_REPORTS)


def test_a_second_command_line_run_is_refused_at_once(run_watched_by_a_reader) -> None:
    _, _, refused, refused_after, _ = run_watched_by_a_reader
    assert refused.exit_code == 3
    assert "refused: another run is in progress" in refused.output and "try again" in refused.output
    assert refused_after < 30, "the refusal should come before the pipeline is even loaded"


def test_a_run_launched_by_dagster_is_refused_while_one_runs(run_watched_by_a_reader) -> None:
    *_, refused = run_watched_by_a_reader
    assert not refused.success
    messages = " ".join(str(event.event_specific_data) + (event.message or "") for event in refused.all_events)
    assert "another run is in progress" in messages
    assert not [event for event in refused.all_events if event.is_step_start], "a refused run must run no step"


def test_the_run_that_held_the_lock_published_everything(run_watched_by_a_reader) -> None:
    result, *_ = run_watched_by_a_reader
    with duckdb.connect(str(result.warehouse), read_only=True) as con:
        statuses = con.execute(
            "select status, count(*) from audit.files where source_file in ? group by 1", [NEW_REPORTS]
        ).fetchall()
        runs = con.execute("select count(*), count(*) filter (where published) from audit.runs").fetchone()
    assert statuses == [("loaded", len(NEW_REPORTS))]
    assert runs == (2, 2), "the refused runs must leave no trace in the warehouse"
