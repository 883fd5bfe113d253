"""The job on a Dask cluster (2 worker processes) with landing and staging on S3 (a local moto server).

It publishes the marts of the in-process run, also when a worker is SIGKILLed in the middle of an
extraction batch: the scheduler runs that batch again on a live worker, nothing is lost or doubled.
"""

from __future__ import annotations

import os
import signal
import threading
import time

import duckdb
import pytest
import s3fs
from distributed import Client, LocalCluster

from pipelines.core.warehouse_compare import mart_differences
from tests.conftest import SAMPLES
from tests.integration.conftest import copy_reports, run_cli, run_pipeline
from tests.object_storage import local_s3

pytestmark = pytest.mark.integration

BUCKET = "rw-cluster-test"
REPORTS = 12  # of the samples
BATCH_SIZE = 3  # 4 batches over the 2 workers
MID_BATCH_SECONDS = 0.5  # a batch takes seconds (GX validates each batch)


def _executing_batches(dask_worker) -> list[str]:
    """Runs on a worker: the extraction batches its thread is executing now."""
    return [str(task.key) for task in dask_worker.state.executing if str(task.key).startswith("extract_batch-")]


class WorkerKiller(threading.Thread):
    """SIGKILLs, once, the worker process that has been executing an extraction batch for a moment."""

    def __init__(self, client: Client) -> None:
        super().__init__(daemon=True)
        self.client, self.done = client, threading.Event()
        self.killed_batch: str | None = None

    def _executing(self) -> dict[str, list[str]]:
        try:
            return self.client.run(_executing_batches, on_error="ignore")
        except (OSError, TimeoutError):  # a worker restarting
            return {}

    def run(self) -> None:
        while not self.done.is_set():
            for worker, batches in self._executing().items():
                if batches:
                    time.sleep(MID_BATCH_SECONDS)
                    if batches[0] in self._executing().get(worker, []):
                        pid = self.client.run(os.getpid, workers=[worker])[worker]
                        os.kill(pid, signal.SIGKILL)
                        self.killed_batch = batches[0]
                        return
            time.sleep(0.05)


def _raw_reports(build_db) -> tuple:
    with duckdb.connect(str(build_db), read_only=True) as con:
        return con.execute("""select count(*), count(distinct report_id), list(report_id order by report_id),
                                     (select count(*) from raw.metrics), (select count(*) from raw.claims)
                              from raw.reports""").fetchone()


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("cluster")
    inbox = copy_reports(sorted(SAMPLES.glob("*.txt"))[:REPORTS], root / "inbox")
    in_process = run_pipeline(inbox, root / "in-process")
    with (
        local_s3(BUCKET),
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster, set_as_default=False) as client,
    ):
        killer = WorkerKiller(client)
        killer.start()
        on_cluster = run_cli(
            "run",
            "--inbox",
            str(inbox),
            inbox=inbox,
            home=root / "on-cluster",
            RW_DASK_SCHEDULER=cluster.scheduler_address,
            RW_BATCH_SIZE=str(BATCH_SIZE),
            RW_LANDING_URL=f"s3://{BUCKET}/landing",
            RW_STAGING_URL=f"s3://{BUCKET}/staging",
        )
        killer.done.set()
        killer.join()
        live_workers = len(client.nthreads())
        bucket = s3fs.S3FileSystem()
        landed = {path.rsplit("/", 1)[1] for path in bucket.find(f"{BUCKET}/landing")}
        staged = bucket.find(f"{BUCKET}/staging")
    return in_process, on_cluster, killer.killed_batch, live_workers, landed, staged


def test_a_worker_was_killed_in_the_middle_of_a_batch(runs) -> None:
    _, on_cluster, killed_batch, live_workers, _, _ = runs
    assert killed_batch is not None, "no extraction batch was seen executing on a worker"
    assert live_workers == 2, "the nanny replaced the killed worker"
    assert on_cluster.exit_code == 0, on_cluster.output


def test_the_cluster_run_publishes_the_marts_of_the_in_process_run(runs) -> None:
    in_process, on_cluster, *_ = runs
    assert in_process.exit_code == 0, in_process.output
    assert mart_differences(in_process.warehouse, on_cluster.warehouse) == []


def test_no_report_is_lost_or_doubled(runs) -> None:
    in_process, on_cluster, *_ = runs
    count, distinct, report_ids, metrics, claims = _raw_reports(on_cluster.build_db)
    assert (count, distinct, report_ids, metrics, claims) == _raw_reports(in_process.build_db)
    assert count == distinct == REPORTS
    statuses = on_cluster.query("select status, count(*) from audit.files group by 1")
    assert statuses == [("loaded", REPORTS)]


def test_landing_and_staging_were_on_object_storage(runs) -> None:
    _, on_cluster, _, _, landed, staged = runs
    shas = {sha for (sha,) in on_cluster.query("select content_sha256 from audit.files")}
    assert landed == shas, "every received file is landed on S3 under its content hash"
    assert staged == [], "loaded batches are removed from the staging bucket"
    assert not (on_cluster.home / "landing").exists() and not (on_cluster.home / "staging").exists()
