"""Scale benchmark against the targets: floor, extraction throughput, fresh and nightly end-to-end runs.

usage: python benchmarks/bench.py [--fresh N [N ...]] [--full] [--nightly-bases M [M ...]]
                                  [--increment K] [--extract-reports R] [--timeout S]
                                  [--work DIR] [--keep] [--write-doc]

In one run, side by side:

  corpus      the synthetic reports (benchmarks/corpus.py), generated once into DIR/corpus/<fingerprint>
              and reused; the nightly increment is its own series (another copy offset), distinct from
              every base report
  floor       read + decode + SHA-256 of every corpus file in one process: no pipeline can be faster
  extraction  pipelines.core.staging.extract_to_staging (row checks included, as the extract asset runs
              it) on R received reports, with RW_WORKERS=1 and with the default (every core);
              reports/s in all, and per core = reports / CPU seconds of the process tree
  end to end  `research-warehouse run` as a subprocess, for every warehouse size (the --fresh sizes and
              the --nightly-bases): fresh N reports, then the same inbox again ("nothing new"), then
              K new reports added to it ("+K"); the ratio of +K on M to +K on the smallest M
  targets     one table, each target met or missed; --write-doc puts every table in docs/performance.md

Peak RSS is the largest sum, over samples of /proc every 0.2 s, of the RSS of a process and all its
descendants (extraction workers, dbt): pages shared between processes count once per process, and a
spike shorter than the interval can be missed. Each CLI run gets a throwaway DAGSTER_HOME, so the
seconds of each Dagster step are read back from its event log. A CLI run that fails (or passes
--timeout) is reported with its stderr tail and the benchmark goes on. Wall-clock times: a busy shared
machine lowers the rates. Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from benchmarks.bench_scale import pipeline_environment, run_stage, step_seconds  # noqa: E402
from benchmarks.corpus import cached_series, fingerprint, link_into, load_templates  # noqa: E402
from pipelines.extraction.decoding import decode_report  # noqa: E402

DEFAULT_FRESH = (10_000,)
FULL_SIZE = 100_000  # --full
DEFAULT_NIGHTLY_BASES = (2_000, 20_000)
DEFAULT_INCREMENT = 1_000
# At least a batch (RW_BATCH_SIZE, 5000 by default) per core, or the default cannot use every core.
DEFAULT_EXTRACT_REPORTS = 10_000
# Copy numbers of the increment series start here; the base series stays below it (checked).
INCREMENT_COPY_OFFSET = 100_000
CLI = Path(sys.executable).with_name("research-warehouse")
DOC = REPO_ROOT / "docs" / "performance.md"
RESULTS_START, RESULTS_END = "<!-- bench:results:start -->", "<!-- bench:results:end -->"
SAMPLE_SECONDS = 0.2
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
MB = 2**20
FRESH, NOTHING_NEW = "fresh", "nothing new"
# Dagster step -> pipeline stage; every GX asset check step (`<table>_gx_<suite>`) is "checks".
STAGE_OF_STEP = {
    "landing__received_files": "receive",
    "staging__extracted_batches": "extract",
    "raw_tables": "load",
    "warehouse_models": "dbt",
    "warehouse__research_duckdb": "publish",
}
STAGES = ("receive", "extract", "load", "dbt", "checks", "publish")


# --- peak RSS of a process tree ---------------------------------------------------------------------------


def _tree_rss_bytes(root: int) -> int:
    """The RSS of `root` and all its descendants, summed, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_bytes()
            except OSError:  # it exited meanwhile
                continue
            parent = int(stat[stat.rindex(b")") + 2 :].split()[1])  # after "(name) state"
            children.setdefault(parent, []).append(int(entry.name))
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        pending.extend(children.get(pid, ()))
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_BYTES
        except (OSError, IndexError):
            continue
    return total


class TreePeakRss:
    """While in use, samples the process tree under `pid` every SAMPLE_SECONDS and keeps the largest sum."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_bytes = pid, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while True:
            self.peak_bytes = max(self.peak_bytes, _tree_rss_bytes(self.pid))
            if self._stop.wait(SAMPLE_SECONDS):
                return

    def __enter__(self) -> TreePeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class Process:
    """A finished child process: exit status (None: killed after the timeout), wall seconds, peak tree RSS."""

    status: int | None
    seconds: float
    peak_rss_mb: float
    stdout: Path
    stderr: Path

    @property
    def succeeded(self) -> bool:
        return self.status == 0

    def _tail(self, log: Path, lines: int) -> list[str]:
        return [line for line in log.read_text(errors="replace").splitlines() if line.strip()][-lines:]

    def failure(self) -> str:
        """What went wrong: the tail of stderr, then of stdout (where the CLI says why it did not publish)."""
        what = "killed after the timeout" if self.status is None else f"exit status {self.status}"
        return "\n".join(
            [
                what,
                "--- stderr (tail) ---",
                *self._tail(self.stderr, 20),
                "--- stdout (tail) ---",
                *self._tail(self.stdout, 5),
            ]
        )

    def reason(self) -> str:
        """One line on why it failed: the CLI's `published: no (...)` line, else stderr's last line."""
        summary = [line for line in self._tail(self.stdout, 10) if line.startswith("published:")]
        last = summary or self._tail(self.stderr, 1) or ["no output"]
        return " ".join(last[-1].split())[:160]


def run_measured(arguments: list[str], env: dict[str, str], logs: Path, timeout: float | None) -> Process:
    """Run a command to completion in its own process group, sampling the RSS of its process tree."""
    logs.mkdir(parents=True, exist_ok=True)
    stdout, stderr = logs / "stdout.log", logs / "stderr.log"
    started = time.perf_counter()
    with stdout.open("w") as out, stderr.open("w") as err:
        process = subprocess.Popen(arguments, cwd=REPO_ROOT, env=env, stdout=out, stderr=err, start_new_session=True)
        with TreePeakRss(process.pid) as memory:
            try:
                status: int | None = process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)  # the group holds only this run's processes
                process.wait()
                status = None
    return Process(status, time.perf_counter() - started, memory.peak_bytes / MB, stdout, stderr)


# --- corpus and floor -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    base: list[Path]  # report i of the base series at index i
    increment: list[Path]
    megabytes: float
    seconds: float  # to generate what was missing and list it


def prepare_corpus(work: Path, base_reports: int, increment_reports: int) -> Corpus:
    templates = load_templates()
    if base_reports > INCREMENT_COPY_OFFSET * len(templates):
        sys.exit(f"at most {INCREMENT_COPY_OFFSET * len(templates)} base reports, or the increment would repeat them")
    started = time.perf_counter()
    root = work / "corpus" / fingerprint(templates)
    for stale in root.parent.glob("*"):  # generated by an older generator or other samples
        if stale != root:
            shutil.rmtree(stale)
    base = cached_series(root / "base", base_reports, templates, copy_offset=0)
    increment = cached_series(root / "increment", increment_reports, templates, copy_offset=INCREMENT_COPY_OFFSET)
    megabytes = sum(path.stat().st_size for path in base + increment) / MB
    return Corpus(base, increment, megabytes, time.perf_counter() - started)


@dataclass(frozen=True)
class Floor:
    reports: int
    megabytes: float
    seconds: float


def measure_floor(files: list[Path]) -> Floor:
    """Read, decode and hash every file in this one process: what receiving and decoding cost at least."""
    started, size = time.perf_counter(), 0
    for path in files:
        raw = path.read_bytes()
        decode_report(raw)
        hashlib.sha256(raw).digest()
        size += len(raw)
    return Floor(len(files), size / MB, time.perf_counter() - started)


# --- extraction throughput --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Extraction:
    workers_setting: str  # RW_WORKERS as set for the run ("default" when unset)
    workers: int
    batches: int
    reports: int
    seconds: float
    cpu_seconds: float  # user + system of the process and its reaped children (the worker processes)
    peak_rss_mb: float


def extract_child(inbox: Path, home: Path) -> dict:
    """Extract every received report of `home` (runs in a fresh process, RW_WORKERS from the environment)."""
    from pipelines.core import staging
    from pipelines.settings import settings_from_env

    settings = settings_from_env(inbox=inbox, home=home)
    before, started = os.times(), time.perf_counter()
    summary = staging.extract_to_staging(settings)
    seconds, after = time.perf_counter() - started, os.times()
    cpu = sum(after[:4]) - sum(before[:4])  # user, system, children's user, children's system
    return {
        "workers": settings.workers,
        "batches": summary.batches,
        "reports": summary.reports,
        "seconds": seconds,
        "cpu_seconds": cpu,
    }


def measure_extraction(work: Path, files: list[Path], timeout: float | None) -> list[Extraction]:
    """Receive `files` into a fresh home once, then extract them with one worker and with the default."""
    folder = work / "extraction"
    shutil.rmtree(folder, ignore_errors=True)
    inbox, home = folder / "inbox", folder / "home"
    link_into(inbox, files)
    run_stage("receive", inbox, home, batch_size=0)  # lands the reports; the batch size plays no part
    results = []
    for setting in ("1", "default"):
        env = pipeline_environment(home, inbox)
        env.pop("RW_WORKERS", None)
        if setting != "default":
            env["RW_WORKERS"] = setting
        print(f"extraction of {len(files)} reports, RW_WORKERS={setting} ...", flush=True)
        process = run_measured(
            [sys.executable, __file__, "--extract-child", "--inbox", str(inbox), "--home", str(home)],
            env,
            folder / f"workers-{setting}",
            timeout,
        )
        if not process.succeeded:
            print(f"  FAILED: {process.failure()}", flush=True)
            continue
        measured = json.loads(process.stdout.read_text().strip().splitlines()[-1])
        results.append(
            Extraction(
                setting,
                measured["workers"],
                measured["batches"],
                measured["reports"],
                measured["seconds"],
                measured["cpu_seconds"],
                process.peak_rss_mb,
            )
        )
        print(
            f"  {measured['reports']} reports in {measured['batches']} batch(es) in {measured['seconds']:.1f} s "
            f"on {measured['workers']} worker(s), {measured['cpu_seconds']:.1f} CPU s",
            flush=True,
        )
    shutil.rmtree(folder)
    return results


# --- end-to-end CLI runs ----------------------------------------------------------------------------------


@dataclass
class CliRun:
    warehouse: int  # N: the fresh run receives N reports, the later runs find them in the warehouse
    kind: str  # FRESH, NOTHING_NEW or "+K"
    new_reports: int
    process: Process
    stages: dict[str, float] = field(default_factory=dict)  # seconds per pipeline stage
    unchanged: bool = False  # the CLI said "published: unchanged" (nothing new, nothing built)

    @property
    def published(self) -> bool:
        return self.process.succeeded

    @property
    def outcome(self) -> str:
        if self.published:
            return "published, unchanged (nothing new)" if self.unchanged else "published"
        if self.process.status is None:
            return "killed after the timeout"
        return f"failed (exit {self.process.status}): {self.process.reason()}".replace("|", "\\|")


def _stage_seconds(dagster_home: Path) -> dict[str, float]:
    """Seconds per pipeline stage from the run's Dagster event log (empty if it cannot be read)."""
    try:
        steps = step_seconds(dagster_home)
    except Exception as error:
        print(f"  (no step timings: {error})", flush=True)
        return {}
    stages: dict[str, float] = {}
    for step, seconds in steps.items():
        stage = "checks" if "_gx_" in step else STAGE_OF_STEP.get(step, "other steps")
        stages[stage] = stages.get(stage, 0.0) + seconds
    return stages


def run_cli(run_dir: Path, inbox: Path, home: Path, timeout: float | None) -> tuple[Process, dict[str, float]]:
    """One `research-warehouse run` with a throwaway Dagster instance in `run_dir`."""
    dagster_home = run_dir / "dagster"
    dagster_home.mkdir(parents=True)
    shutil.copy(REPO_ROOT / "dagster.yaml", dagster_home)  # telemetry off, as `make setup` does
    env = {**pipeline_environment(home, inbox), "DAGSTER_HOME": str(dagster_home)}
    process = run_measured([str(CLI), "run", "--inbox", str(inbox), "--home", str(home)], env, run_dir, timeout)
    return process, _stage_seconds(dagster_home)


def measure_warehouse(size: int, corpus: Corpus, work: Path, timeout: float | None, keep: bool) -> list[CliRun]:
    """Fresh `size` reports, then nothing new, then the increment, on one warehouse."""
    folder = work / "runs" / f"n{size}"
    shutil.rmtree(folder, ignore_errors=True)
    inbox, home = folder / "inbox", folder / "home"
    link_into(inbox, corpus.base[:size])
    increment = f"+{len(corpus.increment)}"
    runs = []
    for kind, new_reports in ((FRESH, size), (NOTHING_NEW, 0), (increment, len(corpus.increment))):
        if kind == increment:  # the inbox keeps its files, as a real one does
            link_into(inbox / "nightly", corpus.increment)
        print(f"warehouse of {size}: {kind} ({new_reports} new reports) ...", flush=True)
        process, stages = run_cli(folder / kind.replace(" ", "-"), inbox, home, timeout)
        # Read now: the run's folder (and its stdout) is removed with the warehouse.
        unchanged = process.succeeded and "published:         unchanged" in process.stdout.read_text(errors="replace")
        run = CliRun(size, kind, new_reports, process, stages, unchanged)
        runs.append(run)
        print(
            f"  {run.outcome} in {process.seconds:.1f} s, peak RSS {process.peak_rss_mb:.0f} MB; "
            + ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in stages.items()),
            flush=True,
        )
        if not run.published:
            print(f"  {process.failure()}", flush=True)
    if not keep:
        shutil.rmtree(folder)  # 100k reports: GBs of landing store, build database and warehouse
    return runs


# --- report -----------------------------------------------------------------------------------------------


def _rate(reports: int, seconds: float) -> str:
    return f"{reports / seconds:,.0f}" if seconds else "-"


def machine_facts(command: str) -> list[str]:
    """The machine and the code measured, as a markdown table (taken at the start: the load average)."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    memory_kib = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal:")
    )
    commit = (
        subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True
        ).stdout.strip()
        or "unknown"
    )
    # --no-optional-locks: a benchmark must not write the index of a tree others are working in.
    changed = subprocess.run(
        ["git", "--no-optional-locks", "status", "--porcelain", "--untracked-files=no"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return [
        "| machine | |",
        "|---|---|",
        f"| cores (nproc) | {len(os.sched_getaffinity(0))} |",
        f"| CPU | {cpu} |",
        f"| memory | {memory_kib / 2**20:.1f} GiB |",
        f"| date | {datetime.now(UTC):%Y-%m-%d %H:%M} UTC |",
        f"| git commit | {commit}{' with uncommitted changes' if changed else ''} |",
        f"| load average at start | {os.getloadavg()[0]:.2f} |",
        f"| RW_WORKERS | {os.environ.get('RW_WORKERS', 'unset (every core)')} |",
        f"| command | `{command}` |",
    ]


def _floor_table(corpus: Corpus, floor: Floor) -> list[str]:
    return [
        "| floor: read + decode + SHA-256, 1 process | reports | MB | seconds | reports/s | MB/s |",
        "|---|---:|---:|---:|---:|---:|",
        f"| every corpus file (page cache warm) | {floor.reports:,} | {floor.megabytes:,.0f} | "
        f"{floor.seconds:.1f} | {_rate(floor.reports, floor.seconds)} | {floor.megabytes / floor.seconds:,.0f} |",
        "",
        f"Corpus: {len(corpus.base):,} base + {len(corpus.increment):,} increment reports, "
        f"{corpus.megabytes:,.0f} MB, ready in {corpus.seconds:.0f} s (generated once, then cached).",
    ]


def _extraction_table(extractions: list[Extraction]) -> list[str]:
    lines = [
        "| extraction (extract_to_staging, row checks included) | workers | batches | reports | seconds | "
        "CPU s (tree) | cores busy | reports/s | reports/s per core | peak RSS MB (tree) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in extractions:
        lines.append(
            f"| RW_WORKERS={run.workers_setting} | {run.workers} | {run.batches} | {run.reports:,} | "
            f"{run.seconds:.1f} | {run.cpu_seconds:.1f} | {run.cpu_seconds / run.seconds:.2f} | "
            f"{_rate(run.reports, run.seconds)} | {_rate(run.reports, run.cpu_seconds)} | "
            f"{run.peak_rss_mb:,.0f} |"
        )
    return lines


def _runs_table(runs: list[CliRun]) -> list[str]:
    lines = [
        "| warehouse | run | new reports | wall s | reports/s | peak RSS MB (tree) | "
        + " | ".join(STAGES)
        + " | other | outcome |",
        "|---:|---|---:|---:|---:|---:|" + "---:|" * len(STAGES) + "---:|---|",
    ]
    for run in runs:
        seconds = run.process.seconds
        # Process start, imports, Dagster's own work and any step not listed.
        other = seconds - sum(run.stages.get(stage, 0.0) for stage in STAGES) if run.stages else None
        cells = [f"{run.stages[stage]:.1f}" if stage in run.stages else "-" for stage in STAGES]
        lines.append(
            f"| {run.warehouse:,} | {run.kind} | {run.new_reports:,} | {seconds:.1f} | "
            f"{_rate(run.new_reports, seconds) if run.new_reports else '-'} | "
            f"{run.process.peak_rss_mb:,.0f} | "
            + " | ".join(cells)
            + f" | {'-' if other is None else f'{other:.1f}'} | {run.outcome} |"
        )
    return lines


def _nightly_table(nightly: list[CliRun]) -> list[str]:
    reference = nightly[0]
    lines = [
        f"| nightly {reference.kind} on a warehouse of M | seconds | ratio to M={reference.warehouse:,} | "
        f"peak RSS MB (tree) | ratio to M={reference.warehouse:,} |",
        "|---:|---:|---:|---:|---:|",
    ]
    for run in nightly:
        lines.append(
            f"| {run.warehouse:,} | {run.process.seconds:.1f} | "
            f"{run.process.seconds / reference.process.seconds:.2f} | {run.process.peak_rss_mb:,.0f} | "
            f"{run.process.peak_rss_mb / reference.process.peak_rss_mb:.2f} |"
        )
    return lines


@dataclass(frozen=True)
class Verdict:
    target: str
    measured: str
    result: str  # "met", "missed" or "not run"


def _within(target: str, measured: float | None, limit: float, shown: str, failed: bool = False) -> Verdict:
    """Met when `measured` is at most `limit` and the runs it comes from published; `shown` formats it."""
    if measured is None:
        return Verdict(target, "-", "not run")
    return Verdict(
        target,
        shown.format(measured) + (" (run failed)" if failed else ""),
        "met" if measured <= limit and not failed else "missed",
    )


def verdicts(runs: list[CliRun], extractions: list[Extraction], increment: str) -> list[Verdict]:
    """Each scale target (for a 2-core machine), met or missed; targets at sizes that were not run: not run."""

    def run(warehouse: int, kind: str) -> CliRun | None:
        return next((r for r in runs if r.warehouse == warehouse and r.kind == kind), None)

    def seconds(warehouse: int, kind: str, target: str, limit: float) -> Verdict:
        found = run(warehouse, kind)
        return _within(target, found and found.process.seconds, limit, "{:.1f} s", bool(found and not found.published))

    def ratio(target: str, measure: Callable[[CliRun], float], limit: float) -> Verdict:
        large, small = run(FULL_SIZE, increment), run(DEFAULT_NIGHTLY_BASES[0], increment)
        measured = measure(large) / measure(small) if large and small else None
        failed = bool(large and small and not (large.published and small.published))
        return _within(target, measured, limit, "{:.2f}×", failed)

    at_full = [r.process.peak_rss_mb for r in runs if r.warehouse == FULL_SIZE]
    return [
        seconds(FULL_SIZE, FRESH, "100k new reports end to end ≤ 120 s", 120),
        seconds(20_000, FRESH, "20k new reports end to end ≤ 40 s", 40),
        seconds(FULL_SIZE, increment, f"nightly {increment} on a 100k warehouse ≤ 30 s", 30),
        ratio(f"nightly {increment} on 100k within 1.5× of {increment} on 2k", lambda r: r.process.seconds, 1.5),
        seconds(FULL_SIZE, NOTHING_NEW, "nothing new on a 100k warehouse ≤ 10 s", 10),
        _within(
            "peak RSS ≤ 2 GB at 100k (largest of its runs)", max(at_full) / 1024 if at_full else None, 2, "{:.2f} GB"
        ),
        # Our reading of "flat in M": the nightly run's peak at 100k within 25 % of that at 2k.
        ratio(f"peak RSS flat in M: {increment} on 100k within 1.25× of on 2k", lambda r: r.process.peak_rss_mb, 1.25),
        *(
            Verdict(
                f"extraction ≥ 500 reports/s per core (RW_WORKERS={e.workers_setting})",
                f"{e.reports / e.cpu_seconds:,.0f} reports/s per core",
                "met" if e.reports / e.cpu_seconds >= 500 else "missed",
            )
            for e in extractions
        ),
    ]


def report(
    machine: list[str], corpus: Corpus, floor: Floor, extractions: list[Extraction], runs: list[CliRun], increment: str
) -> str:
    """Every table, as markdown."""
    nightly = sorted((r for r in runs if r.kind == increment), key=lambda r: r.warehouse)
    sections = [
        machine,
        _floor_table(corpus, floor),
        _extraction_table(extractions),
        [
            *_runs_table(runs),
            "",
            "Stage columns: seconds of the Dagster steps (checks = every GX asset check); "
            "other = the rest of the wall time (start-up, imports, Dagster). Peak RSS: the "
            f"largest sum of RSS over the CLI's process tree, sampled every {SAMPLE_SECONDS} s.",
        ],
        _nightly_table(nightly) if nightly else ["No nightly runs."],
        ["| target (2 cores) | measured | result |", "|---|---:|---|"]
        + [f"| {v.target} | {v.measured} | {v.result} |" for v in verdicts(runs, extractions, increment)],
    ]
    return "\n\n".join("\n".join(section) for section in sections) + "\n"


DOC_TITLE = "# Performance\n"  # of a docs/performance.md written from scratch


def write_doc(results: str) -> None:
    """Replace the results section of docs/performance.md (creating the file), keeping the rest."""
    section = f"{RESULTS_START}\n## Latest results\n\n{results}{RESULTS_END}\n"
    text = DOC.read_text() if DOC.exists() else DOC_TITLE
    if RESULTS_START in text and RESULTS_END in text:
        before, rest = text.split(RESULTS_START, 1)
        after = rest.split(RESULTS_END, 1)[1].lstrip("\n")
        text = before + section + ("\n" + after if after else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--fresh",
        type=int,
        nargs="+",
        default=list(DEFAULT_FRESH),
        metavar="N",
        help=f"fresh warehouse sizes (default {DEFAULT_FRESH[0]})",
    )
    parser.add_argument("--full", action="store_true", help=f"add a warehouse of {FULL_SIZE}")
    parser.add_argument(
        "--nightly-bases",
        type=int,
        nargs="+",
        default=list(DEFAULT_NIGHTLY_BASES),
        metavar="M",
        help="more warehouse sizes for the nightly run; the smallest is the ratios' reference "
        f"(default {' '.join(map(str, DEFAULT_NIGHTLY_BASES))})",
    )
    parser.add_argument(
        "--increment",
        type=int,
        default=DEFAULT_INCREMENT,
        metavar="K",
        help=f"new reports of the nightly run (default {DEFAULT_INCREMENT})",
    )
    parser.add_argument(
        "--extract-reports",
        type=int,
        default=DEFAULT_EXTRACT_REPORTS,
        metavar="R",
        help=f"reports of the extraction throughput runs (default {DEFAULT_EXTRACT_REPORTS})",
    )
    parser.add_argument("--timeout", type=float, metavar="S", help="kill a run after S seconds (default: none)")
    parser.add_argument(
        "--work",
        type=Path,
        default=REPO_ROOT / "var" / "bench",
        metavar="DIR",
        help="corpus cache and run folders (default var/bench)",
    )
    parser.add_argument("--keep", action="store_true", help="keep each warehouse's inbox and home")
    parser.add_argument("--write-doc", action="store_true", help=f"rewrite the results section of {DOC}")
    parser.add_argument("--extract-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--inbox", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--home", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.extract_child:
        print(json.dumps(extract_child(args.inbox, args.home)))
        return

    machine = machine_facts("python benchmarks/bench.py " + " ".join(sys.argv[1:]))
    sizes = sorted(set(args.fresh + args.nightly_bases + ([FULL_SIZE] if args.full else [])))
    work = args.work.resolve()
    corpus = prepare_corpus(work, max([*sizes, args.extract_reports]), args.increment)
    print(f"corpus ready in {corpus.seconds:.0f} s: {len(corpus.base)} + {len(corpus.increment)} reports", flush=True)
    floor = measure_floor(corpus.base + corpus.increment)
    print(f"floor: {_rate(floor.reports, floor.seconds)} reports/s", flush=True)
    extractions = measure_extraction(work, corpus.base[: args.extract_reports], args.timeout)
    runs = [run for size in sizes for run in measure_warehouse(size, corpus, work, args.timeout, args.keep)]
    results = report(machine, corpus, floor, extractions, runs, f"+{args.increment}")
    print("\n" + results)
    if args.write_doc:
        write_doc(results)
        print(f"results written to {DOC}")


if __name__ == "__main__":
    main()
