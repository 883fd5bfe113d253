"""Run the warehouse job through a local Dask cluster with S3 landing and staging, then stop it all.

Starts, on 127.0.0.1 and free ports: an S3-compatible server (moto) with an empty bucket, a Dask
scheduler and `--workers` Dask worker processes (one thread each). Then runs the real
`research-warehouse run` with `RW_LANDING_URL`/`RW_STAGING_URL` on that bucket and
`RW_DASK_SCHEDULER` on that scheduler, so every extraction batch is a task on the workers, and
stops everything it started, also when the run fails or this script is interrupted. With
`--compare-to`, the published marts must equal those of that warehouse row for row.

The S3 server keeps its objects in memory, so the run starts from an empty `--home` every time.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import s3fs
from distributed import Client
from moto.server import ThreadedMotoServer

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from pipelines.core.warehouse_compare import mart_differences  # noqa: E402

BIN = Path(sys.executable).parent
BUCKET = "research-warehouse"
START_TIMEOUT = 120  # seconds for the scheduler and the workers to come up


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """A service in its own process group (a Dask worker has a nanny and a worker process), logs to `log`."""
    with log.open("ab") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM the process group (Dask closes gracefully), SIGKILL what is left after 15 s."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _wait_for(condition, what: str, services: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not condition():
        if any(p.poll() is not None for p in services):
            raise RuntimeError(f"a service exited while waiting for {what}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.2)


def _print_step_times(run_id: str | None) -> None:
    """Wall time of each step of the run, from the Dagster instance (only a persistent one keeps them)."""
    if run_id is None or not os.environ.get("DAGSTER_HOME"):
        return
    from dagster import DagsterInstance

    with DagsterInstance.get() as instance:
        for step in instance.get_run_step_stats(run_id):
            if step.start_time and step.end_time:
                print(f"  {step.step_key:45} {step.end_time - step.start_time:7.1f} s")


def run_on_cluster(inbox: Path, home: Path, workers: int, env: dict[str, str]) -> int:
    """The job on `inbox` into `home` through a local cluster of `workers` Dask workers; its exit status."""
    shutil.rmtree(home, ignore_errors=True)
    logs = home / "cluster-logs"
    logs.mkdir(parents=True)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per S3 request
    s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    s3.start()
    services: list[subprocess.Popen] = []
    try:
        host, port = s3.get_host_and_port()
        env = {
            **env,
            "AWS_ENDPOINT_URL": f"http://{host}:{port}",
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
        os.environ.update(env)  # this process creates the bucket
        s3fs.S3FileSystem().mkdir(BUCKET)
        scheduler_file = logs / "scheduler.json"
        services.append(
            _start(
                [
                    str(BIN / "dask"),
                    "scheduler",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    "0",
                    "--no-dashboard",
                    "--scheduler-file",
                    str(scheduler_file),
                ],
                env,
                logs / "scheduler.log",
            )
        )
        _wait_for(scheduler_file.exists, "the Dask scheduler", services)
        address = json.loads(scheduler_file.read_text())["address"]
        for number in range(workers):
            services.append(
                _start(
                    [
                        str(BIN / "dask"),
                        "worker",
                        address,
                        "--nthreads",
                        "1",
                        "--no-dashboard",
                        "--local-directory",
                        str(logs / "dask-scratch"),
                        "--name",
                        f"worker-{number}",
                    ],
                    env,
                    logs / f"worker-{number}.log",
                )
            )
        with Client(address, set_as_default=False) as client:
            _wait_for(lambda: len(client.nthreads()) >= workers, f"{workers} Dask workers", services)
        print(
            f"S3 {env['AWS_ENDPOINT_URL']}/{BUCKET}, Dask scheduler {address}, {workers} worker process(es)", flush=True
        )
        job_env = {
            **env,
            "RW_LANDING_URL": f"s3://{BUCKET}/landing",
            "RW_STAGING_URL": f"s3://{BUCKET}/staging",
            "RW_DASK_SCHEDULER": address,
        }
        started = time.monotonic()
        job = subprocess.Popen(
            [str(BIN / "research-warehouse"), "run", "--inbox", str(inbox), "--home", str(home)],
            env=job_env,
            stdout=subprocess.PIPE,
            text=True,
        )
        run_id = None
        for line in job.stdout:
            print(line, end="", flush=True)
            run_id = line.split()[1] if line.startswith("run ") else run_id
        code = job.wait()
        print(f"cluster run: exit status {code} in {time.monotonic() - started:.1f} s", flush=True)
        _print_step_times(run_id)
        return code
    finally:
        for service in reversed(services):
            _stop(service)
        s3.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inbox", type=Path, required=True, help="folder of reports to run the job on")
    parser.add_argument("--home", type=Path, required=True, help="RW_HOME of the cluster run (emptied first)")
    parser.add_argument("--workers", type=int, default=2, help="Dask worker processes (default 2)")
    parser.add_argument("--compare-to", type=Path, help="a published warehouse whose marts must be equal")
    args = parser.parse_args()
    # SIGTERM (e.g. from make or CI) unwinds like Ctrl-C, so the services are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    code = run_on_cluster(args.inbox.resolve(), args.home.resolve(), args.workers, dict(os.environ))
    if code != 0 or args.compare_to is None:
        return code
    differences = mart_differences(args.compare_to, args.home.resolve() / "warehouse" / "research.duckdb")
    for difference in differences:
        print(f"differs: {difference}")
    if differences:
        print(f"the marts differ from those of {args.compare_to}")
        return 1
    print(f"marts equal to those of {args.compare_to}, row for row")
    return 0


if __name__ == "__main__":
    sys.exit(main())
