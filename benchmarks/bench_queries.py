"""Latency of the example BI queries (docs/queries/*.sql) on a published warehouse.

usage: python benchmarks/bench_queries.py [--warehouse FILE] [--repetitions N] [--keep-home DIR]

Without --warehouse the pipeline first builds one from data/samples in a temporary RW_HOME
(about a minute; --keep-home DIR builds there instead and keeps it, so a later run can pass
--warehouse DIR/warehouse/research.duckdb). Each query runs once untimed on a fresh read-only
connection ("first": cold caches, as a BI tool's first click), then N times timed; wall-clock
median and p95 are printed, with the row count as a sanity check.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

REPO_ROOT = Path(__file__).resolve().parents[1]
QUERIES_DIR = REPO_ROOT / "docs" / "queries"
SAMPLES = REPO_ROOT / "data" / "samples"


@dataclass(frozen=True)
class Timing:
    query: str
    rows: int
    first_ms: float
    median_ms: float
    p95_ms: float


def build_warehouse(home: Path) -> Path:
    """Run the pipeline on the samples into `home` and return the published file."""
    env = {**os.environ, "RW_HOME": str(home), "RW_INBOX": str(SAMPLES), "RW_SETTLE_SECONDS": "0"}
    env.pop("DAGSTER_HOME", None)  # an ephemeral Dagster instance: the benchmark leaves no run history behind
    started = time.perf_counter()
    command = [sys.executable, "-m", "pipelines.cli", "run", "--inbox", str(SAMPLES), "--home", str(home)]
    result = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"building the warehouse failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    print(f"built {home / 'warehouse' / 'research.duckdb'} from {SAMPLES} in {time.perf_counter() - started:.0f} s")
    return home / "warehouse" / "research.duckdb"


def elapsed_ms(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[float, int]:
    started = time.perf_counter()
    rows = con.execute(sql).fetchall()
    return (time.perf_counter() - started) * 1000, len(rows)


def time_query(warehouse: Path, query: Path, repetitions: int) -> Timing:
    sql = query.read_text(encoding="utf-8")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        first_ms, rows = elapsed_ms(con, sql)
        samples = [elapsed_ms(con, sql)[0] for _ in range(repetitions)]
    p95 = statistics.quantiles(samples, n=100, method="inclusive")[94] if len(samples) > 1 else samples[0]
    return Timing(query.stem, rows, first_ms, statistics.median(samples), p95)


def print_report(warehouse: Path, timings: list[Timing], repetitions: int) -> None:
    width = max(len(t.query) for t in timings)
    print(f"\n{warehouse} ({warehouse.stat().st_size / 1e6:.1f} MB), {repetitions} timed runs per query, wall clock")
    print(f"{'query':<{width}}  {'rows':>5}  {'first ms':>9}  {'median ms':>9}  {'p95 ms':>8}")
    for t in timings:
        print(f"{t.query:<{width}}  {t.rows:>5}  {t.first_ms:>9.2f}  {t.median_ms:>9.2f}  {t.p95_ms:>8.2f}")
    print(
        f"{'all queries (sum)':<{width}}  {'':>5}  {sum(t.first_ms for t in timings):>9.2f}  "
        f"{sum(t.median_ms for t in timings):>9.2f}  {sum(t.p95_ms for t in timings):>8.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warehouse", type=Path, help="published warehouse to reuse (default: build one)")
    parser.add_argument("--keep-home", type=Path, help="build into this RW_HOME and keep it (default: a temp dir)")
    parser.add_argument("--repetitions", type=int, default=30, help="timed runs per query (default 30)")
    args = parser.parse_args(argv)
    if args.repetitions < 1:
        parser.error("--repetitions must be at least 1")
    if args.warehouse and not args.warehouse.exists():
        parser.error(f"no warehouse at {args.warehouse}")
    with tempfile.TemporaryDirectory(prefix="bench-queries-") as tmp:
        warehouse = args.warehouse or build_warehouse((args.keep_home or Path(tmp)).resolve())
        timings = [time_query(warehouse, query, args.repetitions) for query in sorted(QUERIES_DIR.glob("*.sql"))]
        print_report(warehouse, timings, args.repetitions)
    return 0


if __name__ == "__main__":
    sys.exit(main())
