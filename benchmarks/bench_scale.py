"""Scale benchmark: throughput and peak memory of landing, extraction, GX row checks and loading as N grows.

usage: python benchmarks/bench_scale.py [--reports N [N ...]] [--batch-size B] [--gx-up-to N]
                                        [--cli N] [--keep-home DIR]

For each N, N distinct synthetic reports are generated from data/samples (benchmarks/corpus.py) into a
fresh temporary inbox. Each stage then runs in its own fresh Python process on a fresh RW_HOME, in
pipeline order, with one extraction worker (in the stage's process):

  receive      known_files + receive_inbox + record_received (what the ingest asset does)
  extract      extract_to_staging without row validation (decode + Polars extraction + Parquet)
  extract+gx   extract_to_staging again, with the GX row validation, as the extract asset runs it;
               "gx" = its seconds minus those of `extract` (GX's import and context, a one-off,
               printed apart)
  load         load_staged into the DuckDB raw tables
  rescan       receive again from the same inbox: nothing is new, so this is what every later run
               (and the inbox sensor's run) pays for a corpus of N files already received

Reports/s is wall-clock, so a busy shared machine lowers it. Peak RSS is the process's VmHWM after
the stage (imports and the GX context included); "base" is the RSS after imports, before the work.
With the batch size fixed, peak RSS should stay flat as N grows; time per report should too.
--cli N additionally times one full `research-warehouse run` (dbt, asset checks, publish) on N
reports, with a throwaway DAGSTER_HOME so that the seconds of every Dagster step can be read back;
its peak RSS is the largest of the CLI process and its children (dbt).

`make bench` (benchmarks/bench.py) measures the end-to-end runs against the scale targets.
Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from benchmarks.corpus import Template, load_templates, write_inbox  # noqa: E402

DEFAULT_REPORTS = (1000, 3000, 10000)  # about 5 minutes on 2 cores
# The validator itself is fast (~700 reports/s); extract+gx costs a second extraction, hence the cap.
DEFAULT_GX_UP_TO = 3000
STAGES = ("receive", "extract", "extract+gx", "load", "rescan")


# --- one stage, in a fresh process ------------------------------------------------------------------------


def _rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def run_stage(stage: str, inbox: Path, home: Path, batch_size: int) -> dict:
    """Run one stage on `home` and return its timing, counts and memory (called in a child process)."""
    import polars as pl

    from pipelines.core import build_db, staging, validation
    from pipelines.extraction import schema
    from pipelines.settings import Settings

    # One worker: the extraction runs in this process, so its RSS and CPU time are this process's.
    settings = Settings(inbox=inbox, home=home, settle_seconds=0, workers=1, batch_size=batch_size)
    settings.ensure_dirs()
    result: dict = {"stage": stage}
    if stage == "extract+gx":
        started = time.perf_counter()
        empty = {name: pl.DataFrame(schema=columns) for name, columns in schema.FRAMES.items()}
        validation.validate_extraction(empty, pl.DataFrame(schema=build_db.TEXTS))  # GX import and context
        result["gx_setup_s"] = time.perf_counter() - started

    result["base_rss_mb"] = _rss_kib("VmRSS") / 1024
    started, cpu_started = time.perf_counter(), time.process_time()
    if stage in ("receive", "rescan"):
        from pipelines.core.landing import receive_inbox

        build_db.initialize(settings.build_db)
        seen, first_by_content = build_db.known_files(settings.build_db)
        received = receive_inbox(
            settings.inbox,
            settings.landing_dir,
            known_files=seen,
            known_content=first_by_content,
            max_file_bytes=settings.max_file_bytes,
            settle_seconds=0,
            now=datetime.now(),
        )
        build_db.record_received(settings.build_db, received, "bench")
        # A rescan receives nothing new: its rate is files checked (all already known) per second.
        result.update(reports=len(seen) if stage == "rescan" else len(received), new_files=len(received))
    elif stage in ("extract", "extract+gx"):
        summary = staging.extract_to_staging(settings, validate_rows=stage == "extract+gx")
        result.update(reports=summary.reports, quarantined=summary.quarantined, batches=summary.batches)
    elif stage == "load":
        summary = staging.load_staged(settings, datetime.now())
        result.update(reports=summary.reports, quarantined=summary.quarantined, batches=summary.batches)
        with build_db.connect(settings.build_db, read_only=True) as con:
            result["raw_rows"] = sum(
                con.execute(f"select count(*) from raw.{name}").fetchone()[0] for name in build_db.RAW_TABLES
            )
        result["build_db_mb"] = settings.build_db.stat().st_size / 2**20
    result["seconds"] = time.perf_counter() - started
    result["cpu_s"] = time.process_time() - cpu_started
    result["peak_rss_mb"] = _rss_kib("VmHWM") / 1024
    return result


# --- the driver -------------------------------------------------------------------------------------------


def _child(arguments: list[str], log: Path, env: dict[str, str]) -> tuple[int, float, float]:
    """Run a command to completion: (exit status, wall seconds, peak RSS in MB of it and its children)."""
    started = time.perf_counter()
    with log.open("w") as out:
        process = subprocess.Popen(arguments, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        # wait4's maxrss covers the process and the descendants it waited for (dbt under the CLI).
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, time.perf_counter() - started, usage.ru_maxrss / 1024


def pipeline_environment(home: Path, inbox: Path) -> dict[str, str]:
    """The environment of a pipeline process on `home` and `inbox`: no settling, no telemetry."""
    env = {
        **os.environ,
        "RW_HOME": str(home),
        "RW_INBOX": str(inbox),
        "RW_SETTLE_SECONDS": "0",
        "DO_NOT_TRACK": "1",
        "GX_ANALYTICS_ENABLED": "false",
        "DAGSTER_DISABLE_TELEMETRY": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    env.pop("DAGSTER_HOME", None)  # an ephemeral Dagster instance: the benchmark leaves no run history
    return env


def _rate(reports: int, seconds: float) -> float:
    return reports / seconds if seconds else float("inf")


def measure(reports: int, work: Path, templates: list[Template], batch_size: int, with_gx: bool) -> dict[str, dict]:
    """Generate N reports and run every stage on them, each in a fresh process; results by stage."""
    inbox, home = work / "inbox", work / "home"
    started = time.perf_counter()
    size = write_inbox(inbox, reports, templates)
    print(
        f"N={reports}: generated {size / 2**20:.0f} MB of reports in {time.perf_counter() - started:.0f} s", flush=True
    )
    results = {}
    for stage in STAGES:
        if stage == "extract+gx" and not with_gx:
            continue
        log = work / f"{stage}.log"
        status, _, _ = _child(
            [
                sys.executable,
                __file__,
                "--stage",
                stage,
                "--inbox",
                str(inbox),
                "--home",
                str(home),
                "--batch-size",
                str(batch_size),
            ],
            log,
            pipeline_environment(home, inbox),
        )
        if status != 0:
            sys.exit(f"stage {stage} failed at N={reports}:\n{log.read_text()[-4000:]}")
        result = results[stage] = json.loads(log.read_text().strip().splitlines()[-1])
        if stage == "extract+gx":  # the same extraction as the stage before, plus the row validator
            result["gx_s"] = result["seconds"] - results["extract"]["seconds"]
        extra = ""
        if stage == "extract":
            extra = f"; {result['quarantined']} quarantined"
        elif stage == "extract+gx":
            extra = (
                f"; {result['quarantined']} quarantined; GX {result['gx_s']:.1f} s = "
                f"{_rate(result['reports'], result['gx_s']):.0f} reports/s "
                f"(+{result['gx_setup_s']:.1f} s import and context)"
            )
        elif stage == "load":
            extra = f"; {result['raw_rows']} raw rows, build db {result['build_db_mb']:.0f} MB"
        print(
            f"  {stage:10} {result['seconds']:7.1f} s (cpu {result['cpu_s']:6.1f} s) "
            f"{_rate(result['reports'], result['seconds']):6.0f} reports/s  peak RSS "
            f"{result['peak_rss_mb']:5.0f} MB (base {result['base_rss_mb']:.0f}){extra}",
            flush=True,
        )
    return results


def run_cli(reports: int, work: Path, templates: list[Template]) -> dict:
    """One full `research-warehouse run` on N fresh reports: wall time, peak RSS and seconds per Dagster step."""
    inbox, home, dagster_home = work / "inbox", work / "home", work / "dagster"
    write_inbox(inbox, reports, templates)
    dagster_home.mkdir(parents=True)
    shutil.copy(REPO_ROOT / "dagster.yaml", dagster_home)  # telemetry off, as `make setup` does
    env = {**pipeline_environment(home, inbox), "DAGSTER_HOME": str(dagster_home)}  # a throwaway instance: step timings
    log = work / "cli.log"
    status, seconds, peak = _child(
        [sys.executable, "-m", "pipelines.cli", "run", "--inbox", str(inbox), "--home", str(home)], log, env
    )
    steps: dict[str, float] = {}
    for step, seconds_in_step in step_seconds(dagster_home).items():
        if "_gx_" in step:  # e.g. raw__claims_gx_raw_claims: one check step per table
            step = f"gx checks on {step.split('__')[0]}.*"
        steps[step] = steps.get(step, 0.0) + seconds_in_step
    return {
        "n": reports,
        "status": status,
        "seconds": seconds,
        "peak_rss_mb": peak,
        "steps": steps,
        "output": log.read_text()[-1500:],
    }


def step_seconds(dagster_home: Path) -> dict[str, float]:
    """Seconds of each step that ran in the latest run of the Dagster instance in `dagster_home`, in order."""
    from dagster import DagsterInstance

    with DagsterInstance.from_config(str(dagster_home)) as instance:
        runs = instance.get_runs(limit=1)
        if not runs:
            return {}
        started = sorted(
            (step for step in instance.get_run_step_stats(runs[0].run_id) if step.start_time),
            key=lambda step: step.start_time,
        )
        return {step.step_key: (step.end_time or step.start_time) - step.start_time for step in started}


def print_table(results: dict[int, dict[str, dict]], cli: dict | None) -> None:
    """The compact summary: reports/s and peak RSS per stage and N, then a linear extrapolation to 100k."""
    columns = (*STAGES, "gx")
    print("\nreports/s (wall clock) | peak RSS MB, per stage; batch size fixed; gx = the row validator alone")
    header = f"{'N':>7} | " + " | ".join(f"{column:>13}" for column in columns)
    print(header + "\n" + "-" * len(header))
    for n, stages in sorted(results.items()):
        cells = [
            f"{_rate(r['reports'], r['seconds']):6.0f} | {r['peak_rss_mb']:4.0f}"
            if (r := stages.get(stage))
            else f"{'-':>13}"
            for stage in STAGES
        ]
        gx = stages.get("extract+gx")
        cells.append(f"{_rate(gx['reports'], gx['gx_s']):13.0f}" if gx else f"{'-':>13}")
        print(f"{n:>7} | " + " | ".join(cells))
    largest = max(results)
    seconds_per_report = {
        stage: r["seconds"] / r["reports"]
        for stage in ("receive", "extract", "load")
        if (r := results[largest].get(stage))
    }
    with_gx = [stages["extract+gx"] for stages in results.values() if "extract+gx" in stages]
    if with_gx:
        biggest = max(with_gx, key=lambda r: r["reports"])
        seconds_per_report["gx"] = biggest["gx_s"] / biggest["reports"]
    print(
        f"\n100,000 reports, extrapolated linearly from N={largest}"
        + (f" (gx from N={biggest['reports']}):" if with_gx else ":")
    )
    print(
        "  "
        + ", ".join(f"{stage} {per_report * 100_000 / 60:.1f} min" for stage, per_report in seconds_per_report.items())
        + f"; all {sum(seconds_per_report.values()) * 100_000 / 60:.1f} min before dbt and the asset checks"
    )
    if cli:
        outcome = "published" if cli["status"] == 0 else f"NOT published (exit status {cli['status']})"
        print(
            f"\nfull CLI run (receive → extract+gx → load → dbt → checks → publish) on {cli['n']} reports: "
            f"{cli['seconds']:.0f} s, {_rate(cli['n'], cli['seconds']):.1f} reports/s, "
            f"peak RSS {cli['peak_rss_mb']:.0f} MB, {outcome}"
        )
        print("  " + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in cli["steps"].items()))
        if cli["status"] != 0:
            print(cli["output"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, nargs="+", default=list(DEFAULT_REPORTS), metavar="N")
    parser.add_argument("--batch-size", type=int, help="reports per batch (default: staging.DEFAULT_BATCH_SIZE)")
    parser.add_argument(
        "--gx-up-to",
        type=int,
        default=DEFAULT_GX_UP_TO,
        metavar="N",
        help=f"run the GX row validator only for N up to this (default {DEFAULT_GX_UP_TO})",
    )
    parser.add_argument("--cli", type=int, default=0, metavar="N", help="also time one full CLI run on N reports")
    parser.add_argument(
        "--keep-home",
        type=Path,
        metavar="DIR",
        help="work in DIR and keep inboxes and homes (default: a temporary folder, removed)",
    )
    parser.add_argument("--stage", choices=STAGES, help=argparse.SUPPRESS)  # the child process
    parser.add_argument("--inbox", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--home", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.batch_size is None:
        from pipelines.settings import DEFAULT_BATCH_SIZE

        args.batch_size = DEFAULT_BATCH_SIZE
    if args.stage:
        print(json.dumps(run_stage(args.stage, args.inbox, args.home, args.batch_size)))
        return
    templates = load_templates()
    print(
        f"{len(templates)} sample templates, batch size {args.batch_size}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    results, cli = {}, None
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as scratch:
        root = args.keep_home or Path(scratch)
        for reports in args.reports:
            work = root / f"n{reports}"
            results[reports] = measure(reports, work, templates, args.batch_size, reports <= args.gx_up_to)
            if not args.keep_home:
                shutil.rmtree(work)  # 100k reports take about 1 GB of inbox, landing store and database
        if args.cli:
            cli = run_cli(args.cli, root / f"cli-n{args.cli}", templates)
    print_table(results, cli)


if __name__ == "__main__":
    main()
