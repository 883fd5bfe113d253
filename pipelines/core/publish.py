"""Publish the validated build database as the read-only BI warehouse, atomically and incrementally.

The new version is written to a temporary file in the warehouse folder and renamed over the old
one: a reader sees the old file or the new one, never a half-written file. The storage version is
pinned so that DuckDB 1.x clients (most BI drivers) can open it.

The temporary file starts as a copy of the published one (a sequential file copy), and only what
changed is written into it: a table dbt builds incrementally (it has `report_id` and `built_at`)
gets the rows of the reports built since the published version, and loses those of reports that
left the build; every other table (dimensions, analysis marts, audit) is small and replaced whole.
So publishing costs what the run changed, not the size of the warehouse.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import duckdb

from pipelines.core.comments import Descriptions, write_comments
from pipelines.settings import duckdb_memory_limit

PUBLISHED_SCHEMAS = ("marts", "audit")
PUBLISHED = "published"  # the outcome of a run whose warehouse was published
BI_STORAGE_VERSION = "v1.2.0"
# Columns that let a table be published as a delta: rows are built per report and stamped per build.
DELTA_COLUMNS = ("report_id", "built_at")


# The headline counts of a published warehouse: name -> table.
TOTALS = {
    "reports": "marts.dim_report",
    "claims": "marts.fct_claim",
    "metrics": "marts.fct_metric",
    "ratings": "marts.fct_rating",
}


def warehouse_totals(warehouse_db: Path) -> dict[str, int]:
    """Rows of each `TOTALS` table and `files <status>` of audit.files in the published file; {} before
    the first publish."""
    if not warehouse_db.exists():
        return {}
    with duckdb.connect(str(warehouse_db), read_only=True) as con:
        totals = {name: con.execute(f"select count(*) from {table}").fetchone()[0] for name, table in TOTALS.items()}
        for status, count in con.execute("select status, count(*) from audit.files group by 1 order by 1").fetchall():
            totals[f"files {status}"] = count
    return totals


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _escape(path: Path) -> str:
    return str(path).replace("'", "''")


def _columns(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(schema, table) -> [(column, type)] of the published schemas of one attached database."""
    tables: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for schema_name, table, column, data_type in con.execute(
        """
            select table_schema, table_name, column_name, data_type from information_schema.columns
            where table_catalog = ? and table_schema in ? order by table_schema, table_name, ordinal_position""",
        [catalog, list(PUBLISHED_SCHEMAS)],
    ).fetchall():
        tables.setdefault((schema_name, table), []).append((column, data_type))
    return tables


def _apply_delta(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Bring `published.<name>` to `build.<name>` for a table built per report and stamped with built_at."""
    since = con.execute(f"select max(built_at) from published.{name}").fetchone()[0]
    con.execute(
        f"""
        create temp table changed_reports as
        select distinct report_id from build.{name} where built_at > coalesce(?::timestamp, '-infinity'::timestamp)""",
        [since],
    )
    # Rows of rebuilt reports are replaced; rows of reports no longer in the build are dropped.
    con.execute(f"""
        delete from published.{name} p
        where p.report_id in (select report_id from changed_reports)
           or not exists (select 1 from build.{name} b where b.report_id = p.report_id)""")
    con.execute(
        f"insert into published.{name} select * from build.{name} "
        f"where report_id in (select report_id from changed_reports)"
    )
    con.execute("drop table changed_reports")


def _stamps(con: duckdb.DuckDBPyConnection, catalog: str, name: str) -> tuple:
    """Count and checksum of the (report, build stamp) of every row: dbt writes all rows of one stamp
    at once, so equal stamps mean equal rows."""
    return con.execute(f"select count(*), sum(hash(report_id, built_at)) from {catalog}.{name}").fetchone()


def _write(con: duckdb.DuckDBPyConnection, incremental: bool) -> None:
    """Make the attached `published` database hold what the attached `build` one publishes."""
    built, published = _columns(con, "build"), (_columns(con, "published") if incremental else {})
    for schema_name in PUBLISHED_SCHEMAS:
        con.execute(f"create schema if not exists published.{_quote(schema_name)}")
    for schema_name, table in sorted(published.keys() - built.keys()):  # dropped from the build
        con.execute(f"drop table published.{_quote(schema_name)}.{_quote(table)}")
    for key, columns in sorted(built.items()):
        name = f"{_quote(key[0])}.{_quote(key[1])}"
        column_names = {column for column, _ in columns}
        if published.get(key) == columns and column_names.issuperset(DELTA_COLUMNS):
            _apply_delta(con, name)
            if _stamps(con, "published", name) == _stamps(con, "build", name):
                continue
            # A row left behind by a model that rebuilds more than whole reports: copy the table instead.
        con.execute(f"create or replace table published.{name} as select * from build.{name}")


def _attach_copy_of_previous(con: duckdb.DuckDBPyConnection, warehouse_db: Path, tmp: Path) -> bool:
    """Attach `tmp` as `published`: a copy of the published file when there is one in the BI storage
    version, else a new file. Returns whether it is a copy (to be updated) rather than empty."""
    attach = f"attach '{_escape(tmp)}' as published (storage_version '{BI_STORAGE_VERSION}')"
    if warehouse_db.exists():
        shutil.copyfile(warehouse_db, tmp)
        try:
            con.execute(attach)
            return True
        except duckdb.Error:  # not a DuckDB file, or written in another storage version: start afresh
            tmp.unlink()
    con.execute(attach)
    return False


def publish(
    build_db: Path, warehouse_db: Path, *, run_id: str | None = None, descriptions: Descriptions | None = None
) -> Path:
    """Write the BI-facing schemas of `build_db` to `warehouse_db` via copy, update, rename.

    With `run_id`, that run is marked published in the new file's `audit.runs` before the rename, so
    the published file always says truthfully which run produced it. With `descriptions` (the dbt
    project's), every table and column gets its comment; tables rewritten whole lose theirs, so all
    are written on every publish.
    """
    warehouse_db.parent.mkdir(parents=True, exist_ok=True)
    for leftover in warehouse_db.parent.glob(f".{warehouse_db.name}.*.tmp"):  # of a publish that was killed
        leftover.unlink(missing_ok=True)
    tmp = warehouse_db.with_name(f".{warehouse_db.name}.{uuid.uuid4().hex}.tmp")
    try:
        # An in-memory session attaches both files: the build read-only, the new version writable.
        with duckdb.connect() as con:
            con.execute(f"set memory_limit = '{duckdb_memory_limit()}'")
            con.execute("attach ? as build (read_only)", [str(build_db)])
            incremental = _attach_copy_of_previous(con, warehouse_db, tmp)
            con.execute("begin")
            _write(con, incremental)
            if descriptions is not None:
                write_comments(con, "published", PUBLISHED_SCHEMAS, descriptions)
            if run_id is not None:
                con.execute(
                    "update published.audit.runs set published = true, outcome = ? where run_id = ?",
                    [PUBLISHED, run_id],
                )
            con.execute("commit")
            con.execute("checkpoint published")  # the copy's free blocks are reused, so it does not grow
            con.execute("detach published")
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, warehouse_db)
    finally:
        tmp.unlink(missing_ok=True)
    return warehouse_db
