"""Scale benchmark: throughput and peak memory of landing, extraction, GX row checks and loading as N grows.

usage: python benchmarks/bench_scale.py [--reports N [N ...]] [--batch-size B] [--gx-up-to N]
                                        [--cli N] [--keep-home DIR]

For each N, N synthetic reports are generated from data/samples into a fresh temporary inbox: copy k
of a sample gets its source-line date moved k×37 minutes back and a decimal added to its first
whole-number percentage, so every copy has its own content hash while the layout (and its encoding, BOM, CRLF)
stays that of the sample. Each stage then runs in its own fresh Python process on a fresh RW_HOME,
in pipeline order:

  receive      known_files + receive_inbox + record_received (what the ingest asset does)
  extract      extract_to_staging without a row validator (decode + Polars extraction + Parquet)
  extract+gx   extract_to_staging again, with the real GX row validator (validate_extraction +
               reports_failing_row_checks), as the extract asset runs it; "gx" = the time spent
               inside the validator alone (GX's import and context, a one-off, printed apart)
  load         load_staged into the DuckDB raw tables
  rescan       receive again from the same inbox: nothing is new, so this is what every later run
               (and the inbox sensor's run) pays for a corpus of N files already received

Reports/s is wall-clock, so a busy shared machine lowers it. Peak RSS is the process's VmHWM after
the stage (imports and the GX context included); "base" is the RSS after imports, before the work.
With the batch size fixed, peak RSS should stay flat as N grows; time per report should too.
--cli N additionally times one full `research-warehouse run` (dbt, asset checks, publish) on N
reports, with a throwaway DAGSTER_HOME so that the seconds of every Dagster step can be read back;
its peak RSS is the largest of the CLI process and its children (dbt).

Measured on 2 shared cores (see the team notes for the table): extraction ~100 reports/s per core is
the bulk; 100k reports extrapolate to ~20 minutes before dbt and the asset checks.
Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from pipelines.extraction.decoding import decode_report  # noqa: E402

SAMPLES = REPO_ROOT / "data" / "samples"
DEFAULT_REPORTS = (1000, 3000, 10000)  # about 5 minutes on 2 cores
# The validator itself is fast (~700 reports/s); extract+gx costs a second extraction, hence the cap.
DEFAULT_GX_UP_TO = 3000
STAGES = ("receive", "extract", "extract+gx", "load", "rescan")
_SOURCE_DATE = re.compile(r"(\d{4})([-/])(\d{2})\2(\d{2}) (\d{2}):(\d{2})")
# A whole-number percentage; appending a decimal keeps it above a range's low end (15-18% -> 15-18.3%).
_WHOLE_PERCENT = re.compile(r"(?<![\d.])\d+(?=%)")
_MINUTES_PER_COPY = 37  # spreads the copies of one sample over weeks: dim_date grows like a real corpus


# --- synthetic corpus -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    name: str
    text: str
    encoding: str  # as decode_report found it, so a copy is written back the same way


def load_templates() -> list[Template]:
    """Every sample report that has a dated source line, decoded."""
    templates = []
    for path in sorted(SAMPLES.glob("*.txt")):
        decoded = decode_report(path.read_bytes())
        if _SOURCE_DATE.search(decoded.text):
            templates.append(Template(path.stem, decoded.text, decoded.encoding))
    return templates


def variant(template: Template, copy: int) -> bytes:
    """Copy number `copy` of a sample: its source date moved back, its first whole percentage varied."""
    text = template.text
    date = list(_SOURCE_DATE.finditer(text))[-1]  # the source line comes last
    year, separator, month, day, hour, minute = date.groups()
    moved = datetime(int(year), int(month), int(day), int(hour), int(minute)) - timedelta(
        minutes=_MINUTES_PER_COPY * copy)
    text = text[:date.start()] + moved.strftime(f"%Y{separator}%m{separator}%d %H:%M") + text[date.end():]
    percent = _WHOLE_PERCENT.search(text, 0, date.start())
    if percent and copy:
        text = text[:percent.end()] + f".{copy % 9 + 1}" + text[percent.end():]
    return text.encode(template.encoding)


def write_inbox(inbox: Path, reports: int, templates: list[Template]) -> int:
    """Write `reports` distinct synthetic reports into `inbox` (1000 per folder); returns the bytes written."""
    total = 0
    for number in range(reports):
        template = templates[number % len(templates)]
        folder = inbox / f"part-{number // 1000:04d}"
        if number % 1000 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        data = variant(template, number // len(templates))
        (folder / f"{number:07d}_{template.name}.txt").write_bytes(data)
        total += len(data)
    return total


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

    settings = Settings(inbox=inbox, home=home, settle_seconds=0)
    settings.ensure_dirs()
    result: dict = {"stage": stage}
    validator = None
    if stage == "extract+gx":
        started = time.perf_counter()
        empty = {name: pl.DataFrame(schema=columns) for name, columns in schema.FRAMES.items()}
        validation.validate_extraction(empty, pl.DataFrame(schema=build_db.TEXTS))  # GX import and context
        result["gx_setup_s"], result["gx_s"] = time.perf_counter() - started, 0.0

        def validator(frames: dict[str, pl.DataFrame], texts: pl.DataFrame) -> dict[str, str]:
            validating = time.perf_counter()
            failing = validation.reports_failing_row_checks(
                validation.outcomes_of(validation.validate_extraction(frames, texts)))
            result["gx_s"] += time.perf_counter() - validating
            return failing

    result["base_rss_mb"] = _rss_kib("VmRSS") / 1024
    started, cpu_started = time.perf_counter(), time.process_time()
    if stage in ("receive", "rescan"):
        from pipelines.core.landing import receive_inbox

        build_db.initialize(settings.build_db)
        seen, first_by_content = build_db.known_files(settings.build_db)
        received = receive_inbox(settings.inbox, settings.landing_dir, known_files=seen,
                                 known_content=first_by_content, max_file_bytes=settings.max_file_bytes,
                                 settle_seconds=0, now=datetime.now())
        build_db.record_received(settings.build_db, received, "bench")
        # A rescan receives nothing new: its rate is files checked (all already known) per second.
        result.update(reports=len(seen) if stage == "rescan" else len(received), new_files=len(received))
    elif stage in ("extract", "extract+gx"):
        summary = staging.extract_to_staging(settings, row_validator=validator, batch_size=batch_size)
        result.update(reports=summary.reports, quarantined=summary.quarantined, batches=summary.batches)
    elif stage == "load":
        summary = staging.load_staged(settings, datetime.now())
        result.update(reports=summary.reports, quarantined=summary.quarantined, batches=summary.batches)
        with build_db.connect(settings.build_db, read_only=True) as con:
            result["raw_rows"] = sum(con.execute(f"select count(*) from raw.{name}").fetchone()[0]
                                     for name in build_db.RAW_TABLES)
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


def _environment(home: Path, inbox: Path) -> dict[str, str]:
    env = {**os.environ, "RW_HOME": str(home), "RW_INBOX": str(inbox), "RW_SETTLE_SECONDS": "0",
           "RW_BUILD_DB": str(home / "build" / "research.duckdb"), "DO_NOT_TRACK": "1",
           "GX_ANALYTICS_ENABLED": "false", "DAGSTER_DISABLE_TELEMETRY": "1",
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    env.pop("DAGSTER_HOME", None)  # an ephemeral Dagster instance: the benchmark leaves no run history
    return env


def _rate(reports: int, seconds: float) -> float:
    return reports / seconds if seconds else float("inf")


def measure(reports: int, work: Path, templates: list[Template], batch_size: int, with_gx: bool) -> dict[str, dict]:
    """Generate N reports and run every stage on them, each in a fresh process; results by stage."""
    inbox, home = work / "inbox", work / "home"
    started = time.perf_counter()
    size = write_inbox(inbox, reports, templates)
    print(f"N={reports}: generated {size / 2**20:.0f} MB of reports in {time.perf_counter() - started:.0f} s",
          flush=True)
    results = {}
    for stage in STAGES:
        if stage == "extract+gx" and not with_gx:
            continue
        log = work / f"{stage}.log"
        status, _, _ = _child([sys.executable, __file__, "--stage", stage, "--inbox", str(inbox),
                               "--home", str(home), "--batch-size", str(batch_size)], log,
                              _environment(home, inbox))
        if status != 0:
            sys.exit(f"stage {stage} failed at N={reports}:\n{log.read_text()[-4000:]}")
        result = results[stage] = json.loads(log.read_text().strip().splitlines()[-1])
        extra = ""
        if stage == "extract":
            extra = f"; {result['quarantined']} quarantined"
        elif stage == "extract+gx":
            extra = (f"; {result['quarantined']} quarantined; GX {result['gx_s']:.1f} s = "
                     f"{_rate(result['reports'], result['gx_s']):.0f} reports/s "
                     f"(+{result['gx_setup_s']:.1f} s import and context)")
        elif stage == "load":
            extra = f"; {result['raw_rows']} raw rows, build db {result['build_db_mb']:.0f} MB"
        print(f"  {stage:10} {result['seconds']:7.1f} s (cpu {result['cpu_s']:6.1f} s) "
              f"{_rate(result['reports'], result['seconds']):6.0f} reports/s  peak RSS "
              f"{result['peak_rss_mb']:5.0f} MB (base {result['base_rss_mb']:.0f}){extra}", flush=True)
    return results


def run_cli(reports: int, work: Path, templates: list[Template]) -> dict:
    """One full `research-warehouse run` on N fresh reports: wall time, peak RSS and seconds per Dagster step."""
    inbox, home, dagster_home = work / "inbox", work / "home", work / "dagster"
    write_inbox(inbox, reports, templates)
    dagster_home.mkdir(parents=True)
    shutil.copy(REPO_ROOT / "dagster.yaml", dagster_home)  # telemetry off, as `make setup` does
    env = {**_environment(home, inbox), "DAGSTER_HOME": str(dagster_home)}  # a throwaway instance: step timings
    log = work / "cli.log"
    status, seconds, peak = _child([sys.executable, "-m", "pipelines.cli", "run", "--inbox", str(inbox),
                                    "--home", str(home)], log, env)
    steps = subprocess.run([sys.executable, __file__, "--step-seconds"], cwd=REPO_ROOT, env=env,
                           capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    return {"n": reports, "status": status, "seconds": seconds, "peak_rss_mb": peak,
            "steps": json.loads(steps), "output": log.read_text()[-1500:]}


def step_seconds() -> dict[str, float]:
    """Seconds per step of the latest run in $DAGSTER_HOME; the GX asset checks summed by target schema."""
    from dagster import DagsterInstance

    instance = DagsterInstance.get()
    run = instance.get_runs(limit=1)[0]
    seconds: dict[str, float] = {}
    for stats in sorted(instance.get_run_step_stats(run.run_id), key=lambda stats: stats.start_time or 0):
        key = stats.step_key
        if "_gx_" in key:  # e.g. raw__claims_gx_raw_claims: one check step per table
            key = f"gx checks on {key.split('__')[0]}.*"
        seconds[key] = seconds.get(key, 0.0) + (stats.end_time or 0) - (stats.start_time or 0)
    return seconds


def print_table(results: dict[int, dict[str, dict]], cli: dict | None) -> None:
    """The compact summary: reports/s and peak RSS per stage and N, then a linear extrapolation to 100k."""
    columns = (*STAGES, "gx")
    print("\nreports/s (wall clock) | peak RSS MB, per stage; batch size fixed; gx = the row validator alone")
    header = f"{'N':>7} | " + " | ".join(f"{column:>13}" for column in columns)
    print(header + "\n" + "-" * len(header))
    for n, stages in sorted(results.items()):
        cells = [f"{_rate(r['reports'], r['seconds']):6.0f} | {r['peak_rss_mb']:4.0f}" if (r := stages.get(stage))
                 else f"{'-':>13}" for stage in STAGES]
        gx = stages.get("extract+gx")
        cells.append(f"{_rate(gx['reports'], gx['gx_s']):13.0f}" if gx else f"{'-':>13}")
        print(f"{n:>7} | " + " | ".join(cells))
    largest = max(results)
    seconds_per_report = {stage: r["seconds"] / r["reports"] for stage in ("receive", "extract", "load")
                          if (r := results[largest].get(stage))}
    with_gx = [stages["extract+gx"] for stages in results.values() if "extract+gx" in stages]
    if with_gx:
        biggest = max(with_gx, key=lambda r: r["reports"])
        seconds_per_report["gx"] = biggest["gx_s"] / biggest["reports"]
    print(f"\n100,000 reports, extrapolated linearly from N={largest}"
          + (f" (gx from N={biggest['reports']}):" if with_gx else ":"))
    print("  " + ", ".join(f"{stage} {per_report * 100_000 / 60:.1f} min"
                          for stage, per_report in seconds_per_report.items())
          + f"; all {sum(seconds_per_report.values()) * 100_000 / 60:.1f} min before dbt and the asset checks")
    if cli:
        outcome = "published" if cli["status"] == 0 else f"NOT published (exit status {cli['status']})"
        print(f"\nfull CLI run (receive → extract+gx → load → dbt → checks → publish) on {cli['n']} reports: "
              f"{cli['seconds']:.0f} s, {_rate(cli['n'], cli['seconds']):.1f} reports/s, "
              f"peak RSS {cli['peak_rss_mb']:.0f} MB, {outcome}")
        print("  " + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in cli["steps"].items()))
        if cli["status"] != 0:
            print(cli["output"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, nargs="+", default=list(DEFAULT_REPORTS), metavar="N")
    parser.add_argument("--batch-size", type=int, help="reports per batch (default: staging.DEFAULT_BATCH_SIZE)")
    parser.add_argument("--gx-up-to", type=int, default=DEFAULT_GX_UP_TO, metavar="N",
                        help=f"run the GX row validator only for N up to this (default {DEFAULT_GX_UP_TO})")
    parser.add_argument("--cli", type=int, default=0, metavar="N", help="also time one full CLI run on N reports")
    parser.add_argument("--keep-home", type=Path, metavar="DIR",
                        help="work in DIR and keep inboxes and homes (default: a temporary folder, removed)")
    parser.add_argument("--stage", choices=STAGES, help=argparse.SUPPRESS)  # the child process
    parser.add_argument("--inbox", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--home", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--step-seconds", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.batch_size is None:
        from pipelines.core.staging import DEFAULT_BATCH_SIZE

        args.batch_size = DEFAULT_BATCH_SIZE
    if args.stage:
        print(json.dumps(run_stage(args.stage, args.inbox, args.home, args.batch_size)))
        return
    if args.step_seconds:
        print(json.dumps(step_seconds()))
        return
    templates = load_templates()
    print(f"{len(templates)} sample templates, batch size {args.batch_size}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
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
