"""Extract landed reports in bounded batches into Parquet, then load the batches.

Extraction writes one folder of Parquet files per batch under `staging/`; loading replaces
the batch's raw rows in one transaction and deletes the folder. A run killed in between
leaves unloaded folders whose reports are still `received`: the next extraction clears them
and extracts those reports again, so the build database never holds half a batch.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path

import polars as pl

from pipelines.core import build_db
from pipelines.core.landing import read_landed
from pipelines.extraction import EXTRACTOR_VERSION, schema
from pipelines.extraction.decoding import ReportRejected, decode_report
from pipelines.extraction.report import extract_reports
from pipelines.settings import Settings

DEFAULT_BATCH_SIZE = 1000

# Given one batch's frames and decoded texts, returns {report_id: reason} for reports to quarantine.
RowValidator = Callable[[dict[str, pl.DataFrame], pl.DataFrame], dict[str, str]]


@dataclass(frozen=True)
class StageSummary:
    batches: int
    reports: int
    quarantined: int


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


def extract_to_staging(settings: Settings, *, row_validator: RowValidator | None = None,
                       batch_size: int = DEFAULT_BATCH_SIZE) -> StageSummary:
    """Extract every pending report into Parquet batches under `staging/`."""
    shutil.rmtree(settings.staging_dir, ignore_errors=True)  # leftovers of a killed run
    pending = build_db.pending_extraction(settings.build_db, EXTRACTOR_VERSION)
    batches = reports = quarantined = 0
    for number, batch in enumerate(_batched(pending, batch_size)):
        texts, decode_failures = _decode_batch(settings.landing_dir, batch)
        frames = extract_reports((report_id, text) for report_id, _, text in texts)
        frames = _quarantine(frames, dict(decode_failures))
        text_frame = pl.DataFrame(texts, schema=build_db.TEXTS, orient="row")
        if row_validator is not None:
            frames = _quarantine(frames, row_validator(frames, text_frame))
        text_frame = text_frame.filter(pl.col("report_id").is_in(frames["reports"]["report_id"].implode()))
        batch_dir = settings.staging_dir / f"batch-{number:06d}"
        tmp_dir = batch_dir.with_suffix(".tmp")
        tmp_dir.mkdir(parents=True, exist_ok=True)
        for name, frame in frames.items():
            frame.write_parquet(tmp_dir / f"{name}.parquet")
        text_frame.write_parquet(tmp_dir / "report_texts.parquet")
        tmp_dir.rename(batch_dir)  # a batch folder is complete or absent
        batches += 1
        reports += frames["reports"].height
        quarantined += frames["failures"].height
    return StageSummary(batches, reports, quarantined)


def load_staged(settings: Settings, loaded_at: datetime) -> StageSummary:
    """Load every complete staged batch into the build database, dropping each once loaded."""
    batches = reports = quarantined = 0
    for batch_dir in sorted(settings.staging_dir.glob("batch-??????")):
        frames = {name: pl.read_parquet(batch_dir / f"{name}.parquet") for name in schema.FRAMES}
        texts = pl.read_parquet(batch_dir / "report_texts.parquet")
        build_db.load_batch(settings.build_db, frames, texts, EXTRACTOR_VERSION, loaded_at)
        shutil.rmtree(batch_dir)
        batches += 1
        reports += frames["reports"].height
        quarantined += frames["failures"].height
    return StageSummary(batches, reports, quarantined)
