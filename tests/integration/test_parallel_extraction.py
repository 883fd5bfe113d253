"""Parallel extraction: the staged batches and the loaded raw tables do not depend on the worker count."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.core import build_db, staging
from pipelines.core.landing import receive_inbox
from pipelines.settings import Settings
from tests.conftest import SAMPLES

pytestmark = pytest.mark.integration

NOW = datetime(2026, 1, 1, 8, 0)
BATCH_SIZE = 7  # 31 samples + 2 bad files: five batches, the last one short


def received_home(tmp_path: Path, name: str) -> Settings:
    """A fresh RW_HOME whose inbox (the samples plus an empty and a binary file) has been received."""
    inbox = tmp_path / "inbox"
    if not inbox.exists():
        inbox.mkdir()
        for sample in SAMPLES.glob("*.txt"):
            (inbox / sample.name).write_bytes(sample.read_bytes())
        (inbox / "binary.txt").write_bytes(bytes(range(256)) * 4)
        (inbox / "no source line.txt").write_text("A title\n- a bullet [1]\n", encoding="utf-8")
    settings = Settings(inbox=inbox, home=tmp_path / name, batch_size=BATCH_SIZE)
    settings.ensure_dirs()
    build_db.initialize(settings.build_db)
    received = receive_inbox(
        inbox,
        settings.landing_dir,
        known_files=set(),
        known_content={},
        max_file_bytes=10**7,
        settle_seconds=0,
        now=datetime.now(),
    )
    build_db.record_received(settings.build_db, received, "run-1")
    return settings


def staged_frames(settings: Settings) -> dict[str, pl.DataFrame]:
    """Every staged frame, all batches together, in batch order."""
    folders = staging.staged_batches(settings.staging_dir)
    return {
        path.stem: pl.concat([pl.read_parquet(folder / path.name) for folder in folders])
        for path in sorted(folders[0].glob("*.parquet"))
    }


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[int, tuple[Settings, staging.StageSummary, list[staging.BatchResult]]]:
    root = tmp_path_factory.mktemp("staging")
    runs = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(staging, "MIN_REPORTS_PER_WORKER", 1)  # a pool of workers even for a few reports
        for workers in (1, 2):
            settings = dataclasses.replace(received_home(root, f"home-{workers}"), workers=workers)
            assert staging.workers_for(33, settings) == workers
            results: list[staging.BatchResult] = []
            summary = staging.extract_to_staging(settings, on_batch=results.append)
            runs[workers] = (settings, summary, results)
    return runs


def test_a_small_run_extracts_in_this_process_and_a_large_one_on_every_core() -> None:
    settings = Settings(inbox=Path("inbox"), home=Path("home"), workers=4, batch_size=5000)
    assert staging.workers_for(1000, settings) == 1
    assert staging.workers_for(100_000, settings) == 4
    assert staging.batch_size_for(100_000, 4, settings) == 5000  # bounded
    assert staging.batch_size_for(8_000, 4, settings) == 2000  # shared out over the workers


def test_batches_are_bounded_and_every_report_is_accounted_for(extracted) -> None:
    settings, summary, results = extracted[2]
    assert summary.batches == 5 == len(staging.staged_batches(settings.staging_dir))
    assert summary.reports == 31 and summary.quarantined == 2
    assert sorted(r.number for r in results) == list(range(5))
    assert all(r.reports + len(r.quarantined) <= BATCH_SIZE for r in results)
    # The raw suites ran on every batch, in the worker that extracted it.
    assert all({v.suite for v in r.validations} == set(staging.validation.RAW_SUITES.values()) for r in results)


def test_staged_frames_do_not_depend_on_the_worker_count(extracted) -> None:
    one, two = staged_frames(extracted[1][0]), staged_frames(extracted[2][0])
    assert one.keys() == two.keys() and "metrics" in one and "report_texts" in one
    for name in one:
        assert one[name].equals(two[name]), name


def test_loading_all_batches_is_one_transaction_and_leaves_no_folder(extracted) -> None:
    tables = {}
    for workers, (settings, _, _) in extracted.items():
        summary = staging.load_staged(settings, NOW)
        assert (summary.reports, summary.quarantined) == (31, 2)
        assert staging.staged_batches(settings.staging_dir) == []
        with duckdb.connect(str(settings.build_db), read_only=True) as con:
            tables[workers] = {
                name: con.execute(f"select * exclude (loaded_at) from raw.{name} order by all").fetchall()
                for name in (*build_db.RAW_TABLES, "report_texts")
            }
            statuses = dict(con.execute("select status, count(*) from audit.files group by 1").fetchall())
        assert statuses == {"loaded": 31, "quarantined": 2}
    assert tables[1] == tables[2]
