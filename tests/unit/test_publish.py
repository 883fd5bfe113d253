"""Publishing: only BI schemas, atomic replacement, a file DuckDB 1.x clients can open."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.core.publish import publish

DUCKDB_V1_2_STORAGE = 65  # storage version number in the file header written by STORAGE_VERSION v1.2.0


def make_build(path: Path, rows: int) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts; create schema audit; create schema raw")
        con.execute(f"create table marts.fct as select range as id, [1, 2]::int[] as pages from range({rows})")
        con.execute("create table audit.runs as select 'r1' as run_id")
        con.execute("create table raw.claims as select 1 as x")


def header_storage_version(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[12:20], "little")


def test_publish_copies_marts_and_audit_only(tmp_path: Path) -> None:
    build, warehouse = tmp_path / "build.duckdb", tmp_path / "wh" / "research.duckdb"
    make_build(build, 3)
    publish(build, warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables order by 1"
        ).fetchall()
        assert [t for (t,) in tables] == ["audit.runs", "marts.fct"]
        assert con.execute("select count(*), max(pages) from marts.fct").fetchone() == (3, [1, 2])
    assert header_storage_version(warehouse) == DUCKDB_V1_2_STORAGE
    assert [p.name for p in warehouse.parent.iterdir()] == ["research.duckdb"]  # no temp files left


def test_publish_replaces_the_previous_file_whole(tmp_path: Path) -> None:
    build, warehouse = tmp_path / "build.duckdb", tmp_path / "research.duckdb"
    make_build(build, 3)
    publish(build, warehouse)
    reader = duckdb.connect(str(warehouse), read_only=True)  # a BI reader holding the old version
    build.unlink()
    make_build(build, 5)
    publish(build, warehouse)
    assert reader.execute("select count(*) from marts.fct").fetchone() == (3,)
    reader.close()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct").fetchone() == (5,)


def test_run_killed_while_publishing_is_settled_against_the_published_file(tmp_path: Path) -> None:
    from datetime import datetime

    from pipelines.core import build_db, runs

    build, warehouse = tmp_path / "build.duckdb", tmp_path / "research.duckdb"
    build_db.initialize(build)
    now = datetime(2026, 1, 1)
    for run_id in ("renamed", "not-renamed"):
        runs.open_run(build, run_id, now, "1.0", warehouse)
        runs.close_run(build, run_id, now, published=False, outcome=runs.PUBLISHING)
        if run_id == "renamed":  # killed after the rename, before the build database heard of it
            publish(build, warehouse, run_id=run_id)
    runs.open_run(build, "next", now, "1.0", warehouse)
    assert runs.run_record(build, "renamed")["published"] is True
    assert runs.run_record(build, "renamed")["outcome"] == "published"
    assert runs.run_record(build, "not-renamed")["published"] is False
    assert runs.run_record(build, "not-renamed")["outcome"] == runs.INTERRUPTED
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select run_id, published, outcome from audit.runs where published").fetchall() == [
            ("renamed", True, "published")
        ]


def make_fact_build(path: Path, reports: dict[str, int], built_at: str) -> None:
    """A build with a per-report fact stamped `built_at` (as dbt's incremental facts are) and a small dim."""
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists marts; create schema if not exists audit")
        con.execute("create table if not exists audit.runs (run_id varchar, published boolean, outcome varchar)")
        con.execute("create table if not exists marts.fct (report_id varchar, seq int, built_at timestamp)")
        con.execute("create or replace table marts.dim as select ? as version", [built_at])
        for report_id, rows in reports.items():
            con.execute("delete from marts.fct where report_id = ?", [report_id])
            con.execute(
                "insert into marts.fct select ?, range, ?::timestamp from range(?)", [report_id, built_at, rows]
            )


def contents(path: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {table: con.execute(f"select * from marts.{table} order by all").fetchall() for table in ("fct", "dim")}


def test_publishing_applies_only_the_rebuilt_reports_and_equals_a_full_copy(tmp_path: Path) -> None:
    build, warehouse, full = tmp_path / "build.duckdb", tmp_path / "research.duckdb", tmp_path / "full.duckdb"
    make_fact_build(build, {"a": 2, "b": 3}, "2026-01-01 00:00")
    publish(build, warehouse)
    make_fact_build(build, {"b": 1, "c": 4}, "2026-01-02 00:00")  # b rebuilt smaller, c new
    with duckdb.connect(str(build)) as con:
        con.execute("delete from marts.fct where report_id = 'a'")  # a left the build (quarantined)
    publish(build, warehouse)
    publish(build, full)  # no previous file: a full copy
    assert contents(warehouse) == contents(full)
    assert contents(warehouse)["fct"] == [
        ("b", 0, datetime_of("2026-01-02")),
        *[("c", n, datetime_of("2026-01-02")) for n in range(4)],
    ]
    assert header_storage_version(warehouse) == DUCKDB_V1_2_STORAGE


def test_a_table_whose_columns_changed_is_replaced_whole(tmp_path: Path) -> None:
    build, warehouse = tmp_path / "build.duckdb", tmp_path / "research.duckdb"
    make_fact_build(build, {"a": 2}, "2026-01-01 00:00")
    publish(build, warehouse)
    with duckdb.connect(str(build)) as con:
        con.execute("alter table marts.fct add column note varchar default 'new'")
    publish(build, warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select distinct note from marts.fct").fetchall() == [("new",)]


def datetime_of(day: str):
    from datetime import datetime

    return datetime.fromisoformat(day)


def test_a_row_dropped_without_a_new_stamp_is_still_dropped(tmp_path: Path) -> None:
    build, warehouse = tmp_path / "build.duckdb", tmp_path / "research.duckdb"
    make_fact_build(build, {"a": 3}, "2026-01-01 00:00")
    publish(build, warehouse)
    with duckdb.connect(str(build)) as con:  # e.g. a model that recomputes series, not whole reports
        con.execute("delete from marts.fct where report_id = 'a' and seq = 2")
    publish(build, warehouse)
    assert contents(warehouse)["fct"] == contents(build)["fct"]


def test_a_previous_file_in_another_storage_version_is_replaced_by_a_bi_readable_one(tmp_path: Path) -> None:
    build, warehouse = tmp_path / "build.duckdb", tmp_path / "research.duckdb"
    make_build(build, 3)
    with duckdb.connect(str(warehouse)) as con:  # this DuckDB's own, newer storage version
        con.execute("create schema marts; create table marts.fct as select 'old' as id")
    assert header_storage_version(warehouse) != DUCKDB_V1_2_STORAGE
    publish(build, warehouse)
    assert header_storage_version(warehouse) == DUCKDB_V1_2_STORAGE
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct").fetchone() == (3,)
