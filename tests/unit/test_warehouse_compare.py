"""Comparing the marts of two warehouses: multisets of rows, run-time columns left out."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.core.warehouse_compare import mart_differences


def warehouse(path: Path, rows: list[tuple], built_at: str = "2026-01-01") -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts; create table marts.fct_x (report_id varchar, value double, built_at date)")
        con.executemany(f"insert into marts.fct_x values (?, ?, '{built_at}')", rows)
        con.execute("create table marts.dim_y (id integer)")
    return path


def test_equal_rows_in_another_order_and_another_build_time_are_equal(tmp_path: Path) -> None:
    left = warehouse(tmp_path / "a.duckdb", [("r1", 1.0), ("r2", 2.0)])
    right = warehouse(tmp_path / "b.duckdb", [("r2", 2.0), ("r1", 1.0)], built_at="2026-02-02")
    assert mart_differences(left, right) == []


def test_a_doubled_or_missing_row_is_a_difference(tmp_path: Path) -> None:
    left = warehouse(tmp_path / "a.duckdb", [("r1", 1.0), ("r2", 2.0)])
    doubled = warehouse(tmp_path / "b.duckdb", [("r1", 1.0), ("r1", 1.0), ("r2", 2.0)])
    missing = warehouse(tmp_path / "c.duckdb", [("r1", 1.0)])
    assert mart_differences(left, doubled) == [f"marts.fct_x: 0 of 2 rows only in {left}, 1 rows only in {doubled}"]
    assert mart_differences(left, missing) == [f"marts.fct_x: 1 of 2 rows only in {left}, 0 rows only in {missing}"]


def test_a_missing_table_is_a_difference(tmp_path: Path) -> None:
    left = warehouse(tmp_path / "a.duckdb", [("r1", 1.0)])
    right = tmp_path / "b.duckdb"
    with duckdb.connect(str(right)) as con:
        con.execute("create schema marts; create table marts.dim_y (id integer)")
    assert mart_differences(left, right) == [f"marts.fct_x is only in {left}"]
