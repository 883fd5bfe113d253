"""The run record: when a run has nothing to build, and what decides that the code changed."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from pipelines.core import build_db, runs
from pipelines.core.landing import LOADED, ReceivedFile
from pipelines.core.publish import publish

START = datetime(2026, 1, 1, 2, 0)


def published_run(build: Path, warehouse: Path, run_id: str, fingerprint: str, started_at: datetime) -> None:
    runs.open_run(build, run_id, started_at, "1.0", warehouse, fingerprint)
    publish(build, warehouse, run_id=run_id)
    runs.mark_published(build, run_id)


def test_a_run_is_current_only_with_no_new_file_no_pending_report_and_the_same_code(tmp_path: Path) -> None:
    build, warehouse = tmp_path / "build.duckdb", tmp_path / "research.duckdb"
    build_db.initialize(build)
    runs.open_run(build, "first", START, "1.0", warehouse, "code-1")
    assert not runs.warehouse_is_current(build, warehouse, "first", "code-1", "1.0")  # nothing published yet
    publish(build, warehouse, run_id="first")
    runs.mark_published(build, "first")

    runs.open_run(build, "second", START + timedelta(days=1), "1.0", warehouse, "code-1")
    assert runs.warehouse_is_current(build, warehouse, "second", "code-1", "1.0")
    assert not runs.warehouse_is_current(build, warehouse, "second", "code-2", "1.0")  # dbt or suites changed

    sha = "c" * 64
    build_db.record_received(build, [ReceivedFile("new.txt", sha, 5, 1, START, LOADED, None, sha[:16])], "second")
    assert not runs.warehouse_is_current(build, warehouse, "second", "code-1", "1.0")  # this run received a file


def test_a_run_with_other_code_than_the_published_build_is_told_so(tmp_path: Path) -> None:
    build, warehouse = tmp_path / "build.duckdb", tmp_path / "research.duckdb"
    build_db.initialize(build)
    runs.open_run(build, "first", START, "1.0", warehouse, "code-1")
    assert not runs.code_changed_since_published(build, "first")  # nothing published: nothing to compare
    publish(build, warehouse, run_id="first")
    runs.mark_published(build, "first")
    runs.open_run(build, "same", START + timedelta(hours=1), "1.0", warehouse, "code-1")
    runs.open_run(build, "upgraded", START + timedelta(hours=2), "1.0", warehouse, "code-2")
    assert not runs.code_changed_since_published(build, "same")
    assert runs.code_changed_since_published(build, "upgraded")


def test_a_file_received_by_a_run_that_did_not_publish_is_still_to_be_built(tmp_path: Path) -> None:
    build, warehouse = tmp_path / "build.duckdb", tmp_path / "research.duckdb"
    build_db.initialize(build)
    published_run(build, warehouse, "published", "code", START)
    runs.open_run(build, "blocked", START + timedelta(hours=1), "1.0", warehouse, "code")
    sha = "d" * 64
    build_db.record_received(build, [ReceivedFile("new.txt", sha, 5, 1, START, "received", None, sha[:16])], "blocked")
    runs.close_run(build, "blocked", START, published=False, outcome="not published: blocking check failed")
    runs.open_run(build, "next", START + timedelta(hours=2), "1.0", warehouse, "code")
    assert not runs.warehouse_is_current(build, warehouse, "next", "code", "1.0")


def test_the_code_fingerprint_follows_models_macros_and_suites(tmp_path: Path) -> None:
    manifest, suites = tmp_path / "manifest.json", tmp_path / "suites"
    suites.mkdir()
    (suites / "raw_reports.json").write_text('{"expectations": []}')

    def write_manifest(model_checksum: str, macro_sql: str) -> None:
        manifest.write_text(
            json.dumps(
                {
                    "metadata": {"project_name": "research_warehouse", "generated_at": str(datetime.now())},
                    "nodes": {"model.research_warehouse.fct": {"checksum": {"checksum": model_checksum}, "config": {}}},
                    "macros": {
                        "macro.research_warehouse.m": {"package_name": "research_warehouse", "macro_sql": macro_sql},
                        "macro.dbt.other": {"package_name": "dbt", "macro_sql": "x"},
                    },
                }
            )
        )

    write_manifest("a", "select 1")
    first = runs.code_fingerprint(manifest, suites, "1.0")
    write_manifest("a", "select 1")  # parsed again: only generated_at differs
    assert runs.code_fingerprint(manifest, suites, "1.0") == first
    assert runs.code_fingerprint(manifest, suites, "2.0") != first  # a new extractor
    write_manifest("b", "select 1")
    assert runs.code_fingerprint(manifest, suites, "1.0") != first
    write_manifest("a", "select 2")
    assert runs.code_fingerprint(manifest, suites, "1.0") != first
    write_manifest("a", "select 1")
    (suites / "raw_reports.json").write_text('{"expectations": [1]}')
    assert runs.code_fingerprint(manifest, suites, "1.0") != first
