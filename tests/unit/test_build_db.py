"""The build database: audit trail and atomic batch loads."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from pipelines.core import build_db
from pipelines.core.landing import DUPLICATE, QUARANTINED, RECEIVED, ReceivedFile
from pipelines.extraction import schema

NOW = datetime(2026, 1, 1, 8, 0)


def empty_frames() -> dict[str, pl.DataFrame]:
    return {name: pl.DataFrame(schema=columns) for name, columns in schema.FRAMES.items()}


def received(name: str, sha: str, status: str = RECEIVED) -> ReceivedFile:
    return ReceivedFile(name, sha, 10, 1, NOW, status, None, sha[:16])


def test_raw_tables_follow_the_extraction_schema(tmp_path: Path) -> None:
    db = tmp_path / "build.duckdb"
    build_db.initialize(db)
    build_db.initialize(db)  # idempotent
    with duckdb.connect(str(db)) as con:
        columns = con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'raw' and table_name = 'claims'"
        ).fetchall()
    assert ("cited_pages", "INTEGER[]") in columns and ("extractor_version", "VARCHAR") in columns


def stage(folder: Path, frames: dict[str, pl.DataFrame], texts: pl.DataFrame, held: pl.DataFrame | None = None) -> Path:
    """One staged batch folder, as extraction writes it."""
    folder.mkdir()
    for name, frame in frames.items():
        frame.write_parquet(folder / f"{name}.parquet")
    texts.write_parquet(folder / "texts.parquet")
    (pl.DataFrame(schema=build_db.QUARANTINED_ROWS) if held is None else held).write_parquet(folder / "held.parquet")
    return folder


def load(db: Path, folder: Path) -> tuple[int, int, int]:
    return build_db.load_batches(db, [folder], "texts.parquet", "1.0", NOW, "held.parquet")


def test_load_batches_loads_good_reports_and_quarantines_failures(tmp_path: Path) -> None:
    db = tmp_path / "build.duckdb"
    build_db.initialize(db)
    good, bad = "a" * 64, "b" * 64
    build_db.record_received(
        db, [received("good.txt", good), received("bad.txt", bad), received("good copy.txt", good, DUPLICATE)], "run-1"
    )
    assert build_db.pending_extraction(db, "1.0") == [(good[:16], good), (bad[:16], bad)]
    frames = empty_frames()
    frames["reports"] = pl.DataFrame([{"report_id": good[:16], "title": "t"}], schema=schema.REPORTS)
    frames["claims"] = pl.DataFrame(
        [{"report_id": good[:16], "claim_seq": 1, "cited_pages": [3, 4]}], schema=schema.CLAIMS
    )
    frames["failures"] = pl.DataFrame([{"report_id": bad[:16], "reason": "no source line"}], schema=schema.FAILURES)
    texts = pl.DataFrame([{"report_id": good[:16], "encoding": "utf-8", "text": "t"}], schema=build_db.TEXTS)
    folder = stage(tmp_path / "batch-000000", frames, texts)
    assert load(db, folder) == (1, 1, 0)
    assert load(db, folder) == (1, 1, 0)  # a replay changes nothing
    with duckdb.connect(str(db)) as con:
        statuses = con.execute("select source_file, status, reason from audit.files order by 1").fetchall()
        claims = con.execute("select report_id, cited_pages, extractor_version from raw.claims").fetchall()
    assert statuses == [
        ("bad.txt", "quarantined", "no source line"),
        ("good copy.txt", "duplicate", None),
        ("good.txt", "loaded", None),
    ]
    assert claims == [(good[:16], [3, 4], "1.0")]
    assert build_db.pending_extraction(db, "1.0") == []
    assert build_db.pending_extraction(db, "2.0") == [(good[:16], good)]  # a new extractor re-extracts
    assert build_db.quarantined_files(db) == [("bad.txt", "no source line", NOW)]
    assert build_db.requeue_quarantined(db) == (1, 0)
    assert build_db.pending_extraction(db, "1.0") == [(bad[:16], bad)]


def test_held_rows_load_with_their_report_are_replaced_on_reload_and_retried(tmp_path: Path) -> None:
    db = tmp_path / "build.duckdb"
    build_db.initialize(db)
    sha = "c" * 64
    report_id = sha[:16]
    build_db.record_received(db, [received("one bad figure.txt", sha)], "run-1")
    frames = empty_frames()
    frames["reports"] = pl.DataFrame([{"report_id": report_id, "title": "t"}], schema=schema.REPORTS)
    frames["metrics"] = pl.DataFrame(
        [{"report_id": report_id, "claim_seq": 1, "metric_seq": 1, "value": 5.0}], schema=schema.METRICS
    )
    held = pl.DataFrame(
        [
            {
                "report_id": report_id,
                "table_name": "raw.metrics",
                "row_json": '{"value":1e25}',
                "expectation": "raw_metrics: expect_column_values_to_be_between(value)",
                "reason": "it would dwarf every sum",
            }
        ],
        schema=build_db.QUARANTINED_ROWS,
    )
    texts = pl.DataFrame([{"report_id": report_id, "encoding": "utf-8", "text": "t"}], schema=build_db.TEXTS)
    folder = stage(tmp_path / "batch-000000", frames, texts, held)
    assert load(db, folder) == (1, 0, 1)
    assert load(db, folder) == (1, 0, 1)  # the report's held rows are replaced, never doubled
    assert [(f, r, t) for f, r, t, *_ in build_db.quarantined_rows(db)] == [
        ("one bad figure.txt", report_id, "raw.metrics")
    ]
    with duckdb.connect(str(db)) as con:
        assert con.execute("select status from audit.files").fetchall() == [("loaded",)]
        assert con.execute("select count(*) from raw.metrics").fetchall() == [(1,)]
    assert build_db.requeue_quarantined(db) == (0, 1)  # the loaded report goes back to extraction
    assert build_db.pending_extraction(db, "1.0") == [(report_id, sha)]
    fixed = stage(tmp_path / "batch-000001", frames, texts)
    assert load(db, fixed) == (1, 0, 0)  # loaded again without held rows: they are gone
    assert build_db.quarantined_rows(db) == []
    assert build_db.pending_extraction(db, "1.0") == []


def test_received_files_are_recorded_field_by_field(tmp_path: Path) -> None:
    db = tmp_path / "build.duckdb"
    build_db.initialize(db)
    quarantined = ReceivedFile("odd.bin", None, 7, 3, NOW, QUARANTINED, "not a report", None)
    build_db.record_received(db, [received("a.txt", "a" * 64), quarantined], "run-1")
    build_db.record_received(db, [], "run-2")  # nothing new: nothing written
    with duckdb.connect(str(db)) as con:
        rows = con.execute(
            "select source_file, content_sha256, size_bytes, received_at, status, reason, "
            "report_id, mtime_ns, run_id, updated_at from audit.files order by 1"
        ).fetchall()
    assert rows == [
        ("a.txt", "a" * 64, 10, NOW, RECEIVED, None, "a" * 16, 1, "run-1", NOW),
        ("odd.bin", None, 7, NOW, QUARANTINED, "not a report", None, 3, "run-1", NOW),
    ]
    assert build_db.known_files(db) == ({("a.txt", 10, 1), ("odd.bin", 7, 3)}, {"a" * 64: "a.txt"})
