"""Publish the validated build database as the read-only BI warehouse, atomically.

The copy is written to a temporary file in the warehouse folder and renamed over the old
one: a reader sees the old file or the new one, never a half-written file. The storage
version is pinned so that DuckDB 1.x clients (most BI drivers) can open it.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import duckdb

PUBLISHED_SCHEMAS = ("marts", "audit")
PUBLISHED = "published"  # the outcome of a run whose warehouse was published
BI_STORAGE_VERSION = "v1.2.0"


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _escape(path: Path) -> str:
    return str(path).replace("'", "''")


def publish(build_db: Path, warehouse_db: Path, *, run_id: str | None = None) -> Path:
    """Copy the BI-facing schemas of `build_db` to `warehouse_db` via write-then-rename.

    With `run_id`, that run is marked published in the copy's `audit.runs` before the rename, so
    the published file always says truthfully which run produced it.
    """
    warehouse_db.parent.mkdir(parents=True, exist_ok=True)
    for leftover in warehouse_db.parent.glob(f".{warehouse_db.name}.*.tmp"):  # of a publish that was killed
        leftover.unlink(missing_ok=True)
    tmp = warehouse_db.with_name(f".{warehouse_db.name}.{uuid.uuid4().hex}.tmp")
    try:
        # An in-memory session attaches both files: the build read-only, the copy writable.
        with duckdb.connect() as con:
            con.execute("attach ? as build (read_only)", [str(build_db)])
            con.execute(f"attach '{_escape(tmp)}' as published (storage_version '{BI_STORAGE_VERSION}')")
            tables = con.execute("""
                select table_schema, table_name from information_schema.tables
                where table_catalog = 'build' and table_schema in ? order by 1, 2""",
                                 [list(PUBLISHED_SCHEMAS)]).fetchall()
            for schema_name in PUBLISHED_SCHEMAS:
                con.execute(f"create schema published.{_quote(schema_name)}")
            for schema_name, table in tables:
                name = f"{_quote(schema_name)}.{_quote(table)}"
                con.execute(f"create table published.{name} as select * from build.{name}")
            if run_id is not None:
                con.execute("update published.audit.runs set published = true, outcome = ? where run_id = ?",
                            [PUBLISHED, run_id])
            con.execute("detach published")
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, warehouse_db)
    finally:
        tmp.unlink(missing_ok=True)
    return warehouse_db
