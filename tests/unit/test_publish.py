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
        tables = con.execute("select table_schema || '.' || table_name from information_schema.tables "
                             "order by 1").fetchall()
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
        assert con.execute("select run_id, published, outcome from audit.runs where published").fetchall() \
            == [("renamed", True, "published")]
