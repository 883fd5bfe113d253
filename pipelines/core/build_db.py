"""The build database: raw extraction tables and the audit trail, written before dbt runs.

Connections are short-lived (`with connect(...)`) because dbt opens the same file from a
subprocess and DuckDB allows one writer process at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from pipelines.core.landing import DUPLICATE, LOADED, QUARANTINED, RECEIVED, ReceivedFile
from pipelines.extraction import schema
from pipelines.settings import duckdb_memory_limit

RAW_TABLES = tuple(name for name in schema.FRAMES if name != "failures")
TEXTS = {"report_id": pl.String, "encoding": pl.String, "text": pl.String}
# A row a blocking row-level expectation held aside; the rest of its report loads (audit.quarantined_rows).
QUARANTINED_ROWS = {
    "report_id": pl.String,
    "table_name": pl.String,  # raw.<frame> the row was extracted for
    "row_json": pl.String,  # the row as extracted, as JSON
    "expectation": pl.String,  # the failed expectations, `<suite>: <expectation>`
    "reason": pl.String,  # why those expectations exist, in words a person reads
}
LINEAGE_COLUMNS = "extractor_version VARCHAR, loaded_at TIMESTAMP"

# audit.files, declared once: its DDL derives from it and `record_received` builds its rows with it.
AUDIT_FILES = {
    "source_file": pl.String,
    "content_sha256": pl.String,
    "size_bytes": pl.Int64,
    "received_at": pl.Datetime("us"),
    "status": pl.String,
    "reason": pl.String,
    "report_id": pl.String,
    "mtime_ns": pl.Int64,
    "run_id": pl.String,
    "updated_at": pl.Datetime("us"),
}
AUDIT_FILES_REQUIRED = ("source_file", "size_bytes", "received_at", "status", "mtime_ns")

_DUCKDB_TYPES = {
    pl.String: "VARCHAR",
    pl.Int32: "INTEGER",
    pl.Int64: "BIGINT",
    pl.Float64: "DOUBLE",
    pl.Boolean: "BOOLEAN",
    pl.Datetime("us"): "TIMESTAMP",
}


def duckdb_type(dtype: pl.DataType) -> str:
    """The DuckDB column type for a Polars dtype used in `schema`."""
    if isinstance(dtype, pl.List):
        return duckdb_type(dtype.inner) + "[]"
    return _DUCKDB_TYPES[dtype]


def columns_ddl(columns: dict[str, pl.DataType], not_null: Sequence[str] = ()) -> str:
    """The column list of a DuckDB table holding frames of `columns`."""
    return ", ".join(
        f"{name} {duckdb_type(dtype)}{' not null' if name in not_null else ''}" for name, dtype in columns.items()
    )


def table_ddl(table: str, columns: dict[str, pl.DataType]) -> str:
    return f"create table if not exists {table} ({columns_ddl(columns)}, {LINEAGE_COLUMNS})"


AUDIT_DDL = f"""
create schema if not exists raw;
create schema if not exists audit;
create table if not exists audit.files ({columns_ddl(AUDIT_FILES, AUDIT_FILES_REQUIRED)});
create table if not exists audit.runs (
    run_id varchar primary key, started_at timestamp not null, finished_at timestamp,
    files_received integer, reports_loaded integer, files_quarantined integer,
    published boolean not null default false, extractor_version varchar, outcome varchar
);
create table if not exists audit.validations (
    run_id varchar not null, suite varchar not null, expectation varchar not null,
    table_name varchar not null, success boolean not null, unexpected_count bigint,
    blocking boolean not null, level varchar, evaluated_at timestamp,
    stage varchar  -- 'extract' (row checks that quarantine reports) or 'check' (asset checks)
);
create table if not exists audit.quarantined_rows (
    report_id varchar not null, table_name varchar not null, row_json varchar not null,
    expectation varchar not null, reason varchar not null, extractor_version varchar, loaded_at timestamp
);
-- Added after the first release: a build database made before them gains the columns.
alter table audit.validations add column if not exists blocks_publish boolean;
alter table audit.runs add column if not exists code_fingerprint varchar;
alter table audit.runs add column if not exists rows_quarantined integer;
"""


@contextmanager
def connect(path: Path, *, read_only: bool = False):
    """A short-lived connection to a DuckDB file (closed on exit)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    # SET, not a connect-time config: DuckDB refuses a second connection to a file opened in this
    # process with another configuration (dbt-duckdb run in-process sets its settings the same way).
    con.execute(f"set memory_limit = '{duckdb_memory_limit()}'")
    try:
        yield con
    finally:
        con.close()


def row_counts(path: Path, relations: Iterable[str]) -> dict[str, int]:
    """Rows of each relation (a qualified table name), read in one read-only connection."""
    with connect(path, read_only=True) as con:
        return {relation: con.execute(f"select count(*) from {relation}").fetchone()[0] for relation in relations}


def initialize(path: Path) -> None:
    """Create the raw and audit schemas and tables if missing (idempotent)."""
    with connect(path) as con:
        con.execute(AUDIT_DDL)
        for name in RAW_TABLES:
            con.execute(table_ddl(f"raw.{name}", schema.FRAMES[name]))
            for column, dtype in schema.FRAMES[name].items():  # a build database made before the column gains it
                con.execute(f"alter table raw.{name} add column if not exists {column} {duckdb_type(dtype)}")
        con.execute(table_ddl("raw.report_texts", TEXTS))


def known_files(path: Path) -> tuple[set[tuple[str, int, int]], dict[str, str]]:
    """Files already received (name, size, mtime) and the first file of each landed content."""
    with connect(path, read_only=True) as con:
        seen = {
            (f, s, m) for f, s, m in con.execute("select source_file, size_bytes, mtime_ns from audit.files").fetchall()
        }
        first = dict(
            con.execute("""
            select content_sha256, arg_min(source_file, received_at) from audit.files
            where content_sha256 is not null and status <> 'duplicate' group by 1""").fetchall()
        )
    return seen, first


def record_received(path: Path, files: Iterable[ReceivedFile], run_id: str) -> None:
    """Append newly received files to `audit.files`."""
    rows = [
        (
            f.source_file,
            f.content_sha256,
            f.size_bytes,
            f.received_at,
            f.status,
            f.reason,
            f.report_id,
            f.mtime_ns,
            run_id,
            f.received_at,
        )
        for f in files
    ]
    if not rows:
        return
    # One insert from Arrow: executemany runs one statement per row, about 2 ms each.
    received = pl.DataFrame(rows, schema=AUDIT_FILES, orient="row")
    with connect(path) as con:
        con.register("received_rows", received.to_arrow())
        con.execute("insert into audit.files by name select * from received_rows")


def pending_extraction(path: Path, extractor_version: str) -> list[tuple[str, str]]:
    """(report_id, content_sha256) of landed reports not yet extracted by this extractor version."""
    with connect(path, read_only=True) as con:
        return con.execute(
            """
            select distinct f.report_id, f.content_sha256 from audit.files f
            where f.status = ?
               or (f.status = ? and not exists (
                    select 1 from raw.reports r
                    where r.report_id = f.report_id and r.extractor_version = ?))
            order by 1""",
            [RECEIVED, LOADED, extractor_version],
        ).fetchall()


def load_batches(
    path: Path,
    folders: Sequence[Path],
    texts_file: str,
    extractor_version: str,
    loaded_at: datetime,
    quarantined_rows_file: str,
) -> tuple[int, int, int]:
    """Replace the raw rows of the staged batches' reports and settle their files, in one transaction.

    Each folder holds one Parquet file per frame of `schema.FRAMES` plus `texts_file` and
    `quarantined_rows_file` (`QUARANTINED_ROWS`). Reports in `failures` are quarantined with their
    reason; the others are loaded, and their held rows replace the ones an earlier extraction held.
    Returns (reports loaded, reports quarantined, rows quarantined). DuckDB reads the Parquet files
    itself, in parallel, without a copy through Python.
    """
    if not folders:
        return 0, 0, 0

    def files(name: str) -> list[str]:
        return [str(folder / name) for folder in folders]

    with connect(path) as con:
        con.begin()
        con.execute("create temp table batch_failures as select * from read_parquet(?)", [files("failures.parquet")])
        con.execute(
            """create temp table batch_ids as
                       select report_id from read_parquet(?) union all select report_id from batch_failures""",
            [files("reports.parquet")],
        )
        tables = [(f"raw.{name}", files(f"{name}.parquet")) for name in RAW_TABLES] + [
            ("raw.report_texts", files(texts_file)),
            ("audit.quarantined_rows", files(quarantined_rows_file)),
        ]
        for name, parquet in tables:
            con.execute(f"delete from {name} where report_id in (select report_id from batch_ids)")
            con.execute(
                f"""insert into {name} by name
                            select *, ?::varchar as extractor_version, ?::timestamp as loaded_at
                            from read_parquet(?)""",
                [extractor_version, loaded_at, parquet],
            )
        con.execute(
            """
            update audit.files set status = ?, reason = null, updated_at = ?
            where status in (?, ?) and report_id in (select report_id from raw.reports)
              and report_id in (select report_id from batch_ids)""",
            [LOADED, loaded_at, RECEIVED, LOADED],
        )
        con.execute(
            """
            update audit.files f set status = ?, reason = b.reason, updated_at = ?
            from batch_failures b where f.report_id = b.report_id and f.status in (?, ?)""",
            [QUARANTINED, loaded_at, RECEIVED, LOADED],
        )
        # A duplicate of quarantined content carries the same reason (its report_id stays); a
        # duplicate of loaded content has none, also when an earlier extraction had quarantined it.
        con.execute(
            """
            update audit.files f set reason = (select b.reason from batch_failures b where b.report_id = f.report_id)
            where f.status = ? and f.report_id in (select report_id from batch_ids)""",
            [DUPLICATE],
        )
        counts = con.execute(
            """select (select count(*) from batch_ids) - (select count(*) from batch_failures),
                                       (select count(*) from batch_failures),
                                       (select count(*) from read_parquet(?))""",
            [files(quarantined_rows_file)],
        ).fetchone()
        con.execute("drop table batch_failures; drop table batch_ids")
        con.commit()
    return counts


def quarantined_files(path: Path) -> list[tuple[str, str, datetime]]:
    """(source_file, reason, received_at) of every quarantined file, newest first."""
    with connect(path, read_only=True) as con:
        return con.execute(
            """
            select source_file, reason, received_at from audit.files where status = ?
            order by received_at desc, source_file""",
            [QUARANTINED],
        ).fetchall()


def quarantined_rows(path: Path) -> list[tuple[str, str, str, str, str, str, datetime]]:
    """(source_file, report_id, table_name, expectation, reason, row_json, loaded_at) of every row held
    aside from a loaded report, by report and table."""
    with connect(path, read_only=True) as con:
        return con.execute(
            """
            select f.source_file, q.report_id, q.table_name, q.expectation, q.reason, q.row_json, q.loaded_at
            from audit.quarantined_rows q
            join (select report_id, min(source_file) as source_file from audit.files
                  where status = ? group by 1) f using (report_id)
            order by q.loaded_at desc, f.source_file, q.table_name""",
            [LOADED],
        ).fetchall()


def requeue_quarantined(path: Path) -> tuple[int, int]:
    """Send back to extraction the quarantined files whose bytes were landed, and the loaded reports
    that have rows held aside (their held rows are replaced when they load again).
    Returns (files, reports with held rows)."""
    with connect(path) as con:
        files = con.execute(
            """
            update audit.files set status = ?, reason = null, updated_at = now()
            where status = ? and content_sha256 is not null""",
            [RECEIVED, QUARANTINED],
        ).fetchone()[0]
        reports = con.execute(
            """
            update audit.files set status = ?, updated_at = now()
            where status = ? and report_id in (select report_id from audit.quarantined_rows)""",
            [RECEIVED, LOADED],
        ).fetchone()[0]
    return files, reports


def requeue_all(path: Path) -> int:
    """Send every landed report back to extraction (after an extractor change); returns how many.

    Quarantined reports go back too, so the result is what a fresh run with this extractor gives.
    """
    with connect(path) as con:
        return con.execute(
            """
            update audit.files set status = ?, reason = null, updated_at = now()
            where status = ? or (status = ? and content_sha256 is not null)""",
            [RECEIVED, LOADED, QUARANTINED],
        ).fetchone()[0]
