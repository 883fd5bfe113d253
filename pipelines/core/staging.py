"""Extract landed reports in bounded batches on every core into Parquet, then load the batches.

Extraction cuts the pending reports into batches (at most `batch_size` reports, shared out over
the workers) and runs each batch in a worker process (`workers` of them; 1 runs in this process):
decode, extract, validate the rows against the raw suites, hold aside the rows that fail (and
quarantine whole the reports whose own row fails), and write one folder of Parquet files. A batch
depends only on its reports, so the result is the same whatever the number of workers. With
`RW_DASK_SCHEDULER` set, each batch is instead one task on the workers of that Dask cluster, which
read the landing store and write the batches on shared storage (`pipelines.core.storage`); the
scheduler re-runs the batch of a worker that dies. Loading
inserts every complete batch folder in one transaction, then deletes the folders. A run killed in
between leaves unloaded folders whose reports are still `received`: the next extraction clears
them and extracts those reports again, so the build database never holds half a load.
"""

from __future__ import annotations

import math
import multiprocessing
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from itertools import islice

import polars as pl

from pipelines.core import build_db, validation
from pipelines.core.landing import read_landed
from pipelines.core.storage import Location, is_remote, local_copies, refreshed, remove_tree
from pipelines.extraction import EXTRACTOR_VERSION, schema
from pipelines.extraction.decoding import ReportRejected, decode_report
from pipelines.extraction.report import extract_reports
from pipelines.settings import Settings

TEXTS_FILE = "report_texts.parquet"
# Written last into a batch folder: a folder without it was cut short (a killed worker) and is not loaded.
COMPLETE_MARKER = "_COMPLETE"
# Rows held aside by a blocking row-level expectation (`build_db.QUARANTINED_ROWS`), loaded into audit.
QUARANTINED_ROWS_FILE = "quarantined_rows.parquet"
# A claim is keyed by these within a batch; frames that carry them (metrics, entity mentions) hang off it.
CLAIM_KEY = ("report_id", "claim_seq")
# Reports that repay a worker process's start (~5 s of imports against ~150 reports/s per core).
MIN_REPORTS_PER_WORKER = 1500
# Batches a worker process extracts before it is replaced (bounds what libraries cache per process).
WORKER_BATCHES = 20


@dataclass(frozen=True)
class StageSummary:
    batches: int
    reports: int
    quarantined: int
    rows_quarantined: int = 0  # rows of loaded reports held aside in audit.quarantined_rows


@dataclass(frozen=True)
class BatchResult:
    """What one extracted batch reports back to the coordinating process."""

    number: int
    reports: int
    quarantined: dict[str, str]  # report_id -> reason
    rows_quarantined: int = 0
    # The raw suites on this batch (outcomes and GX's own result, for the run's Data Docs).
    validations: list[validation.SuiteValidation] = field(default_factory=list)

    @property
    def outcomes(self) -> list[validation.ExpectationOutcome]:
        return validation.outcomes_of(self.validations)


def _batched(items: Sequence, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _decode_batch(landing_dir: Location, pending: list[tuple[str, str]]) -> tuple[list, list]:
    """(report_id, encoding, text) of each decodable report of one batch, and the decoding failures."""
    texts, failures = [], []
    ids_by_sha = {sha: report_id for report_id, sha in pending}
    for sha, raw in read_landed(landing_dir, ids_by_sha):
        report_id = ids_by_sha[sha]
        try:
            decoded = decode_report(raw)
        except ReportRejected as rejected:
            failures.append((report_id, str(rejected)))
            continue
        texts.append((report_id, decoded.encoding, decoded.text))
    return texts, failures


def _quarantine(frames: dict[str, pl.DataFrame], reasons: dict[str, str]) -> dict[str, pl.DataFrame]:
    """Move reports to `failures`: drop their rows everywhere else."""
    if not reasons:
        return frames
    ids = pl.Series(list(reasons))
    kept = {
        name: frame.filter(~pl.col("report_id").is_in(ids.implode()))
        for name, frame in frames.items()
        if name != "failures"
    }
    new_failures = pl.DataFrame({"report_id": list(reasons), "reason": list(reasons.values())}, schema=schema.FAILURES)
    kept["failures"] = pl.concat([frames["failures"], new_failures])
    return kept


def _failed(outcomes: list[validation.ExpectationOutcome]) -> tuple[str, str]:
    """(expectation, reason) of a held row: the expectations it failed and why they exist."""
    return (
        "; ".join(f"{o.suite}: {o.expectation}" for o in outcomes),
        "; ".join(dict.fromkeys(o.why for o in outcomes)),
    )


def _hold_rows(
    frames: dict[str, pl.DataFrame], failing: dict[str, dict[int, list[validation.ExpectationOutcome]]]
) -> tuple[dict, pl.DataFrame]:
    """Move the failing rows (row numbers as validated) out of their frames into quarantined rows.

    A held claim takes the rows that hang off it (those with its `claim_seq`: metrics, entity
    mentions) with it, so no loaded row points at a claim the warehouse does not have.
    """
    row = validation.ROW_NUMBER
    held, kept = [], dict(frames)
    for frame_name in validation.RAW_SUITES:
        rows = failing.get(f"raw.{frame_name}")
        if not rows:
            continue
        failed = pl.DataFrame(
            [(number, *_failed(outcomes)) for number, outcomes in rows.items()],
            orient="row",
            schema={row: pl.UInt32, "expectation": pl.String, "reason": pl.String},
        )
        numbered = validation.number_rows(frames[frame_name])
        held.append((frame_name, numbered.join(failed, on=row, maintain_order="left").drop(row)))
        kept[frame_name] = numbered.filter(~pl.col(row).is_in(failed[row].implode())).drop(row)
    held_claims = dict(held).get("claims")
    if held_claims is not None:
        because = held_claims.select(
            *CLAIM_KEY, "expectation", ("its claim was held aside: " + pl.col("reason")).alias("reason")
        )
        because = because.unique(subset=list(CLAIM_KEY), keep="first", maintain_order=True)
        for frame_name in validation.RAW_SUITES:
            if frame_name != "claims" and "claim_seq" in schema.FRAMES[frame_name]:
                held.append((frame_name, kept[frame_name].join(because, on=list(CLAIM_KEY), maintain_order="left")))
                kept[frame_name] = kept[frame_name].join(because, on=list(CLAIM_KEY), how="anti", maintain_order="left")
    as_rows = [
        rows.select(
            validation.REPORT_ID,
            pl.lit(f"raw.{name}").alias("table_name"),
            pl.struct(pl.exclude("expectation", "reason")).struct.json_encode().alias("row_json"),
            "expectation",
            "reason",
        )
        for name, rows in held
    ]
    quarantined_rows = pl.concat(as_rows) if as_rows else pl.DataFrame(schema=build_db.QUARANTINED_ROWS)
    return kept, quarantined_rows.cast(build_db.QUARANTINED_ROWS)


def workers_for(pending: int, settings: Settings) -> int:
    """Worker processes for `pending` reports: each must have enough work to repay starting a process
    (importing Polars, the extractor and GX takes seconds), so a small run extracts in this process."""
    return max(1, min(settings.workers, pending // MIN_REPORTS_PER_WORKER))


def batch_size_for(pending: int, workers: int, settings: Settings) -> int:
    """Reports per batch: the pending reports shared out so each of `workers` has work, at most
    `settings.batch_size` (which bounds a worker's memory). GX validation has a fixed cost per batch,
    so batches are as large as that bound allows."""
    return max(1, min(settings.batch_size, math.ceil(pending / workers)))


def batch_dir(staging_dir: Location, number: int) -> Location:
    return staging_dir / f"batch-{number:06d}"


def extract_batch(
    landing_dir: Location,
    staging_dir: Location,
    number: int,
    pending: list[tuple[str, str]],
    validate_rows: bool = True,
) -> BatchResult:
    """Decode, extract, validate and stage one batch of reports (runs in a worker process).

    Row-level expectations run here, per batch and before loading, so one bad row never blocks the
    rest of its report, one bad report never blocks the batch, and the validation work is spread
    over the workers with the extraction.
    """
    texts, decode_failures = _decode_batch(landing_dir, pending)
    frames = _quarantine(extract_reports((report_id, text) for report_id, _, text in texts), dict(decode_failures))
    text_frame = pl.DataFrame(texts, schema=build_db.TEXTS, orient="row")
    validations = validation.validate_extraction(frames, text_frame) if validate_rows else []
    outcomes = validation.outcomes_of(validations)
    # Rows first: their numbers are those of the frames as validated.
    frames, quarantined_rows = _hold_rows(frames, validation.rows_failing_row_checks(outcomes))
    frames = _quarantine(frames, validation.reports_failing_row_checks(outcomes))
    loaded_ids = frames["reports"]["report_id"].implode()
    text_frame = text_frame.filter(pl.col("report_id").is_in(loaded_ids))
    # A report quarantined whole keeps no held rows: it is in audit.files with its reason instead.
    quarantined_rows = quarantined_rows.filter(pl.col("report_id").is_in(loaded_ids))
    _write_batch(
        batch_dir(staging_dir, number),
        {
            **{f"{name}.parquet": frame for name, frame in frames.items()},
            TEXTS_FILE: text_frame,
            QUARANTINED_ROWS_FILE: quarantined_rows,
        },
    )
    quarantined = dict(zip(frames["failures"]["report_id"], frames["failures"]["reason"], strict=False))
    return BatchResult(number, frames["reports"].height, quarantined, quarantined_rows.height, validations)


def _write_batch(folder: Location, files: dict[str, pl.DataFrame]) -> None:
    """Write a batch folder's Parquet files, then its marker. Object storage has no atomic rename, so
    the marker is what makes a folder complete, on a local disk as on S3; a batch re-run after its
    worker died overwrites the files the dead one left."""
    if not is_remote(folder):
        folder.mkdir(parents=True, exist_ok=True)
    for name, frame in files.items():
        with (folder / name).open("wb") as out:
            frame.write_parquet(out)
    (folder / COMPLETE_MARKER).write_bytes(b"")


def extract_to_staging(
    settings: Settings, *, validate_rows: bool = True, on_batch: Callable[[BatchResult], None] | None = None
) -> StageSummary:
    """Extract every pending report into Parquet batches under `staging/`, on `settings.workers` processes
    or on the Dask cluster at `settings.dask_scheduler`.

    `on_batch` sees each batch's result in this process as it completes (batches finish in any order).
    """
    remove_tree(settings.staging_dir)  # leftovers of a killed run
    pending = build_db.pending_extraction(settings.build_db, EXTRACTOR_VERSION)
    batches = reports = quarantined = rows_quarantined = 0
    with _batch_runner(settings, len(pending)) as (workers, run_batches):
        jobs = [
            (settings.landing_dir, settings.staging_dir, number, batch, validate_rows)
            for number, batch in enumerate(_batched(pending, batch_size_for(len(pending), workers, settings)))
        ]
        for result in run_batches(jobs):
            batches += 1
            reports += result.reports
            quarantined += len(result.quarantined)
            rows_quarantined += result.rows_quarantined
            if on_batch is not None:
                on_batch(result)
    return StageSummary(batches, reports, quarantined, rows_quarantined)


@contextmanager
def _batch_runner(
    settings: Settings, pending: int
) -> Iterator[tuple[int, Callable[[list[tuple]], Iterator[BatchResult]]]]:
    """(workers, run) where `run(jobs)` yields each job's `extract_batch` result: on this machine, or on
    the Dask cluster, whose workers are already running (so every one of their threads gets a batch)."""
    if settings.dask_scheduler is None:
        workers = workers_for(pending, settings)
        yield workers, partial(_run_batches, workers=workers)
        return
    from distributed import Client  # only a cluster run pays for importing Dask

    with Client(settings.dask_scheduler, set_as_default=False) as client:
        yield max(1, sum(client.nthreads().values())), partial(_run_batches_on_dask, client)


def _run_batches(jobs: list[tuple], workers: int) -> Iterator[BatchResult]:
    """`extract_batch` over every job: in this process for one worker, else in a process pool."""
    if workers <= 1:
        yield from (extract_batch(*job) for job in jobs)
        return
    # `spawn`: a forked child would inherit the coordinator's threads (Dagster's, DuckDB's) mid-flight.
    # One batch per task bounds each worker's memory; a worker is replaced after a few batches so that
    # memory a library keeps (GX caches) cannot grow with the corpus.
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("spawn"), max_tasks_per_child=WORKER_BATCHES
    ) as pool:
        futures: list[Future] = [pool.submit(extract_batch, *job) for job in jobs]
        try:
            for future in as_completed(futures):
                yield future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def _run_batches_on_dask(client, jobs: list[tuple]) -> Iterator[BatchResult]:
    """`extract_batch` over every job, one Dask task per batch. When a worker dies (killed, out of
    memory, machine lost), the scheduler runs its batch again on another worker; an error raised by
    the extraction itself is not retried: it fails the run, as it does on this machine."""
    from distributed import as_completed as as_finished

    run = uuid.uuid4().hex[:12]  # task keys are unique on a long-lived scheduler
    futures = [client.submit(extract_batch, *job, key=f"extract_batch-{run}-{job[2]:06d}") for job in jobs]
    try:
        for future in as_finished(futures, loop=client.loop):
            yield future.result()
    finally:
        client.cancel(futures)  # releases the results (and stops the rest when this run failed)


def staged_batches(staging_dir: Location) -> list[Location]:
    """Complete batch folders (their marker written), in batch order."""
    if not (is_remote(staging_dir) or staging_dir.exists()):
        return []
    folders = refreshed(staging_dir).glob("batch-??????")
    return sorted((folder for folder in folders if (folder / COMPLETE_MARKER).exists()), key=lambda f: f.name)


def load_staged(settings: Settings, loaded_at: datetime) -> StageSummary:
    """Load every complete staged batch into the build database in one transaction, then drop them.

    Batches on object storage are downloaded first, on this machine: DuckDB reads local Parquet files.
    """
    folders = staged_batches(settings.staging_dir)
    with local_copies(folders, settings.build_db.parent) as local_folders:
        reports, quarantined, rows_quarantined = build_db.load_batches(
            settings.build_db, local_folders, TEXTS_FILE, EXTRACTOR_VERSION, loaded_at, QUARANTINED_ROWS_FILE
        )
    for folder in folders:
        remove_tree(folder)
    return StageSummary(len(folders), reports, quarantined, rows_quarantined)
