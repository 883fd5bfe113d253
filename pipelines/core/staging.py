"""Extract landed reports in bounded batches on every core into Parquet, then load the batches.

Extraction cuts the pending reports into batches (at most `batch_size` reports, shared out over
the workers) and runs each batch in a worker process (`workers` of them; 1 runs in this process):
decode, extract, validate the rows against the raw suites, hold aside the rows that fail (and
quarantine whole the reports whose own row fails), and write one folder of Parquet files. A batch
depends only on its reports, so the result is the same whatever the number of workers. Loading
inserts every complete batch folder in one transaction, then deletes the folders. A run killed in
between leaves unloaded folders whose reports are still `received`: the next extraction clears
them and extracts those reports again, so the build database never holds half a load.
"""

from __future__ import annotations

import math
import multiprocessing
import shutil
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from pathlib import Path

import polars as pl

from pipelines.core import build_db, validation
from pipelines.core.landing import read_landed
from pipelines.extraction import EXTRACTOR_VERSION, schema
from pipelines.extraction.decoding import ReportRejected, decode_report
from pipelines.extraction.report import extract_reports
from pipelines.settings import Settings

TEXTS_FILE = "report_texts.parquet"
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


def _decode_batch(landing_dir: Path, pending: list[tuple[str, str]]) -> tuple[list, list]:
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
    kept = {name: frame.filter(~pl.col("report_id").is_in(ids.implode()))
            for name, frame in frames.items() if name != "failures"}
    new_failures = pl.DataFrame({"report_id": list(reasons), "reason": list(reasons.values())},
                                schema=schema.FAILURES)
    kept["failures"] = pl.concat([frames["failures"], new_failures])
    return kept


def _failed(outcomes: list[validation.ExpectationOutcome]) -> tuple[str, str]:
    """(expectation, reason) of a held row: the expectations it failed and why they exist."""
    return ("; ".join(f"{o.suite}: {o.expectation}" for o in outcomes),
            "; ".join(dict.fromkeys(o.why for o in outcomes)))


def _hold_rows(frames: dict[str, pl.DataFrame],
               failing: dict[str, dict[int, list[validation.ExpectationOutcome]]]) -> tuple[dict, pl.DataFrame]:
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
        failed = pl.DataFrame([(number, *_failed(outcomes)) for number, outcomes in rows.items()], orient="row",
                              schema={row: pl.UInt32, "expectation": pl.String, "reason": pl.String})
        numbered = validation.number_rows(frames[frame_name])
        held.append((frame_name, numbered.join(failed, on=row, maintain_order="left").drop(row)))
        kept[frame_name] = numbered.filter(~pl.col(row).is_in(failed[row].implode())).drop(row)
    held_claims = dict(held).get("claims")
    if held_claims is not None:
        because = held_claims.select(*CLAIM_KEY, "expectation",
                                     ("its claim was held aside: " + pl.col("reason")).alias("reason"))
        because = because.unique(subset=list(CLAIM_KEY), keep="first", maintain_order=True)
        for frame_name in validation.RAW_SUITES:
            if frame_name != "claims" and "claim_seq" in schema.FRAMES[frame_name]:
                held.append((frame_name, kept[frame_name].join(because, on=list(CLAIM_KEY), maintain_order="left")))
                kept[frame_name] = kept[frame_name].join(because, on=list(CLAIM_KEY), how="anti",
                                                         maintain_order="left")
    as_rows = [rows.select(validation.REPORT_ID, pl.lit(f"raw.{name}").alias("table_name"),
                           pl.struct(pl.exclude("expectation", "reason")).struct.json_encode().alias("row_json"),
                           "expectation", "reason")
               for name, rows in held]
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


def batch_dir(staging_dir: Path, number: int) -> Path:
    return staging_dir / f"batch-{number:06d}"


def extract_batch(landing_dir: Path, staging_dir: Path, number: int, pending: list[tuple[str, str]],
                  validate_rows: bool = True) -> BatchResult:
    """Decode, extract, validate and stage one batch of reports (runs in a worker process).

    Row-level expectations run here, per batch and before loading, so one bad row never blocks the
    rest of its report, one bad report never blocks the batch, and the validation work is spread
    over the workers with the extraction.
    """
    texts, decode_failures = _decode_batch(landing_dir, pending)
    frames = _quarantine(extract_reports((report_id, text) for report_id, _, text in texts),
                         dict(decode_failures))
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
    target = batch_dir(staging_dir, number)
    tmp_dir = target.with_suffix(".tmp")
    tmp_dir.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        frame.write_parquet(tmp_dir / f"{name}.parquet")
    text_frame.write_parquet(tmp_dir / TEXTS_FILE)
    quarantined_rows.write_parquet(tmp_dir / QUARANTINED_ROWS_FILE)
    tmp_dir.rename(target)  # a batch folder is complete or absent
    quarantined = dict(zip(frames["failures"]["report_id"], frames["failures"]["reason"]))
    return BatchResult(number, frames["reports"].height, quarantined, quarantined_rows.height, validations)


def extract_to_staging(settings: Settings, *, validate_rows: bool = True,
                       on_batch: Callable[[BatchResult], None] | None = None) -> StageSummary:
    """Extract every pending report into Parquet batches under `staging/`, on `settings.workers` processes.

    `on_batch` sees each batch's result in this process as it completes (batches finish in any order).
    """
    shutil.rmtree(settings.staging_dir, ignore_errors=True)  # leftovers of a killed run
    settings.staging_dir.mkdir(parents=True, exist_ok=True)
    pending = build_db.pending_extraction(settings.build_db, EXTRACTOR_VERSION)
    workers = workers_for(len(pending), settings)
    jobs = [(settings.landing_dir, settings.staging_dir, number, batch, validate_rows)
            for number, batch in enumerate(_batched(pending, batch_size_for(len(pending), workers, settings)))]
    batches = reports = quarantined = rows_quarantined = 0
    for result in _run_batches(jobs, workers):
        batches += 1
        reports += result.reports
        quarantined += len(result.quarantined)
        rows_quarantined += result.rows_quarantined
        if on_batch is not None:
            on_batch(result)
    return StageSummary(batches, reports, quarantined, rows_quarantined)


def _run_batches(jobs: list[tuple], workers: int) -> Iterator[BatchResult]:
    """`extract_batch` over every job: in this process for one worker, else in a process pool."""
    if workers <= 1:
        yield from (extract_batch(*job) for job in jobs)
        return
    # `spawn`: a forked child would inherit the coordinator's threads (Dagster's, DuckDB's) mid-flight.
    # One batch per task bounds each worker's memory; a worker is replaced after a few batches so that
    # memory a library keeps (GX caches) cannot grow with the corpus.
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                             max_tasks_per_child=WORKER_BATCHES) as pool:
        futures: list[Future] = [pool.submit(extract_batch, *job) for job in jobs]
        try:
            for future in as_completed(futures):
                yield future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def staged_batches(staging_dir: Path) -> list[Path]:
    """Complete batch folders, in batch order."""
    return sorted(staging_dir.glob("batch-??????"))


def load_staged(settings: Settings, loaded_at: datetime) -> StageSummary:
    """Load every complete staged batch into the build database in one transaction, then drop them."""
    folders = staged_batches(settings.staging_dir)
    reports, quarantined, rows_quarantined = build_db.load_batches(
        settings.build_db, folders, TEXTS_FILE, EXTRACTOR_VERSION, loaded_at, QUARANTINED_ROWS_FILE)
    for folder in folders:
        shutil.rmtree(folder)
    return StageSummary(len(folders), reports, quarantined, rows_quarantined)
