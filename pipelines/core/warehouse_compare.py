"""Do two published warehouses hold the same marts? Row for row, ignoring when the rows were written.

Used to show that a run on a Dask cluster with object storage publishes what the local run
publishes: every table of schema `marts`, compared as multisets (duplicates count) in both directions.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

# Columns that only say when a row was written: they differ between two runs of the same data.
RUN_TIME_COLUMNS = frozenset({"loaded_at", "ingested_at", "received_at", "updated_at", "built_at"})


def _columns(con: duckdb.DuckDBPyConnection, catalog: str, table: str) -> list[str]:
    return [
        c
        for (c,) in con.execute(
            """select column_name from information_schema.columns
                                         where table_catalog = ? and table_schema = 'marts' and table_name = ?
                                         order by ordinal_position""",
            [catalog, table],
        ).fetchall()
        if c not in RUN_TIME_COLUMNS
    ]


def mart_differences(left: Path, right: Path) -> list[str]:
    """One sentence per difference between the marts of two warehouse files; empty when they are equal."""
    with duckdb.connect() as con:
        con.execute(f"attach '{left}' as lhs (read_only)")
        con.execute(f"attach '{right}' as rhs (read_only)")
        tables = {
            side: {
                t
                for (t,) in con.execute(
                    """select table_name from information_schema.tables
                                                       where table_catalog = ? and table_schema = 'marts'""",
                    [side],
                ).fetchall()
            }
            for side in ("lhs", "rhs")
        }
        differences = [
            f"marts.{t} is only in {left if side == 'lhs' else right}"
            for side, other in (("lhs", "rhs"), ("rhs", "lhs"))
            for t in sorted(tables[side] - tables[other])
        ]
        for table in sorted(tables["lhs"] & tables["rhs"]):
            columns = _columns(con, "lhs", table)
            if columns != _columns(con, "rhs", table):
                differences.append(f"marts.{table} has other columns")
                continue
            select = ", ".join(f'"{c}"' for c in columns)
            only_left, only_right, rows = con.execute(f"""
                select (select count(*) from (select {select} from lhs.marts."{table}"
                                              except all select {select} from rhs.marts."{table}")),
                       (select count(*) from (select {select} from rhs.marts."{table}"
                                              except all select {select} from lhs.marts."{table}")),
                       (select count(*) from lhs.marts."{table}")""").fetchone()
            if only_left or only_right:
                differences.append(
                    f"marts.{table}: {only_left} of {rows} rows only in {left}, {only_right} rows only in {right}"
                )
    return differences
