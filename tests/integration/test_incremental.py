"""Nightly runs on a growing inbox: incremental facts only take new reports, and neither a run
without new files nor a --full-refresh changes a single mart row.

One RW_HOME, four runs, the published warehouse copied after each:
1. the first half of the samples; 2. the second half added to the same inbox;
3. the same inbox again (nothing new); 4. the same inbox with --full-refresh.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.core.runs import NOTHING_NEW
from tests.conftest import GOLD, SAMPLES
from tests.integration.conftest import PipelineRun, copy_reports, run_pipeline

pytestmark = pytest.mark.integration

SAMPLE_FILES = sorted(SAMPLES.glob("*.txt"))
FIRST_BATCH, SECOND_BATCH = SAMPLE_FILES[: len(SAMPLE_FILES) // 2], SAMPLE_FILES[len(SAMPLE_FILES) // 2 :]
INCREMENTAL_FACTS = {"fct_claim": "claim_id", "fct_metric": "metric_id", "fct_entity_mention": "mention_id"}
# Report-level marts, incremental per report_id too (rebuilt whole only when their reference data changes).
INCREMENTAL_REPORT_MARTS = {
    "dim_report": "report_id",
    "fct_rating": "rating_id",
    "fct_recommendation": "recommendation_id",
}
GOLD_LIST = {"fct_claim": "claims", "fct_metric": "metrics", "fct_entity_mention": "entities"}
# Start of the dbt run that wrote the row (dbt_project/macros/incremental_reports.sql): it is
# what tells a rebuilt row from a kept one, so a full refresh changes it by definition.
BUILD_TIME_COLUMNS = frozenset({"built_at"})


def published_copy(run: PipelineRun, name: str) -> Path:
    """A copy of the warehouse this run published (the next run replaces the file)."""
    assert run.exit_code == 0, run.output
    return Path(shutil.copy(run.warehouse, run.home.parent / f"{name}.duckdb"))


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("incremental")
    inbox, home = root / "inbox", root / "home"
    copies = {"first": published_copy(run_pipeline(copy_reports(FIRST_BATCH, inbox), home), "first")}
    copies["second"] = published_copy(run_pipeline(copy_reports(SECOND_BATCH, inbox), home), "second")
    copies["again"] = published_copy(run_pipeline(inbox, home), "again")
    copies["full_refresh"] = published_copy(run_pipeline(inbox, home, "--full-refresh"), "full_refresh")
    return copies


def query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def report_ids(batch: list[Path], warehouse: Path) -> list[str]:
    names = [path.name for path in batch]
    sql = "select report_id from marts.dim_report where list_contains(?, source_file)"
    return [report_id for (report_id,) in query(warehouse, sql, [names])]


def gold_reports_with(batch: list[Path], table: str) -> int:
    """How many reports of the batch the gold files give rows of this fact (claims, metrics, entities)."""
    return sum(
        bool(json.loads((GOLD / f"{path.stem}.json").read_text(encoding="utf-8"))[GOLD_LIST[table]]) for path in batch
    )


def mart_tables(warehouse: Path) -> list[str]:
    return [
        name
        for (name,) in query(
            warehouse,
            """
        select table_name from information_schema.tables where table_schema = 'marts' order by 1""",
        )
    ]


def differing_rows(left: Path, right: Path, table: str, ignored: frozenset[str] = frozenset()) -> int:
    """Rows of marts.<table> in one file and not in the other (multiset difference, both ways)."""
    with duckdb.connect() as con:
        con.execute("attach ? as lhs (read_only)", [str(left)])
        con.execute("attach ? as rhs (read_only)", [str(right)])
        columns = [
            name
            for (name,) in con.execute(
                """
            select column_name from information_schema.columns
            where table_catalog = 'lhs' and table_schema = 'marts' and table_name = ? order by ordinal_position""",
                [table],
            ).fetchall()
            if name not in ignored
        ]
        select = ", ".join(f'"{column}"' for column in columns)
        [(count,)] = con.execute(f"""
            select count(*) from (
                (select {select} from lhs.marts.{table} except all select {select} from rhs.marts.{table})
                union all
                (select {select} from rhs.marts.{table} except all select {select} from lhs.marts.{table})
            )""").fetchall()
    return count


def test_second_batch_adds_its_reports_to_every_incremental_fact(warehouses):
    first, second = warehouses["first"], warehouses["second"]
    new_reports = report_ids(SECOND_BATCH, second)
    assert len(new_reports) == len(SECOND_BATCH)
    assert query(first, "select count(*) from marts.dim_report") == [(len(FIRST_BATCH),)]
    for table in INCREMENTAL_FACTS:
        sql = f"select count(distinct report_id), min(built_at) from marts.{table} where list_contains(?, report_id)"
        [(reports_before, _)] = query(first, sql, [new_reports])
        [(reports_after, new_rows_built_at)] = query(second, sql, [new_reports])
        [(first_build,)] = query(first, f"select max(built_at) from marts.{table}")
        assert (reports_before, reports_after) == (0, gold_reports_with(SECOND_BATCH, table)), table
        assert new_rows_built_at > first_build, table


def test_second_batch_leaves_the_first_batchs_rows_as_they_were(warehouses):
    first, second = warehouses["first"], warehouses["second"]
    old_reports = report_ids(FIRST_BATCH, first)
    # The samples' subject companies are all in companies.csv, so the company-name lookup does
    # not change with the second batch (when it does, fct_entity_mention is rebuilt by design).
    assert query(first, "select distinct company_lookup_version from marts.fct_entity_mention") == query(
        second, "select distinct company_lookup_version from marts.fct_entity_mention"
    )
    for table, key in INCREMENTAL_FACTS.items():
        sql = f"select * from marts.{table} where list_contains(?, report_id) order by {key}"
        before, after = query(first, sql, [old_reports]), query(second, sql, [old_reports])
        assert before and after == before, table  # built_at included: not rewritten


def test_second_batch_leaves_the_first_batchs_report_rows_and_untouched_rating_series_as_they_were(warehouses):
    first, second = warehouses["first"], warehouses["second"]
    old_reports = report_ids(FIRST_BATCH, first)
    for table, key in INCREMENTAL_REPORT_MARTS.items():
        sql = f"select * from marts.{table} where list_contains(?, report_id) order by {key}"
        before, after = query(first, sql, [old_reports]), query(second, sql, [old_reports])
        assert before and after == before, table  # built_at included: not rewritten
    # A rating series (broker x target) without a rating of the second batch is not recomputed.
    new_reports = report_ids(SECOND_BATCH, second)
    untouched = """select * from marts.fct_rating_change where rating_target_key not in (
                       select rating_target_key from marts.fct_rating_change where list_contains(?, report_id))
                   order by rating_id"""
    before, after = query(first, untouched, [new_reports]), query(second, untouched, [new_reports])
    assert before and after == before


def test_run_without_new_files_builds_nothing_and_leaves_the_published_file(warehouses):
    second, again, full_refresh = warehouses["second"], warehouses["again"], warehouses["full_refresh"]
    assert again.read_bytes() == second.read_bytes()  # not rebuilt, not republished: the very same file
    # The run is on record all the same (published with the next build that changes something).
    runs = query(
        full_refresh, "select files_received, reports_loaded, published, outcome from audit.runs order by started_at"
    )
    assert runs[2] == (0, 0, False, NOTHING_NEW)
    assert runs[3][2:] == (True, "published")  # --full-refresh builds even with nothing new


def test_full_refresh_gives_identical_marts(warehouses):
    second, full_refresh = warehouses["second"], warehouses["full_refresh"]
    assert mart_tables(full_refresh) == mart_tables(second)
    # every contract mart and every analysis mart (the views are published as tables)
    assert {"dim_report", "fct_rating_change", "company_consensus", "forecast_series"} <= set(mart_tables(second))
    for table in mart_tables(second):
        assert differing_rows(second, full_refresh, table, ignored=BUILD_TIME_COLUMNS) == 0, table
    for table in [
        *INCREMENTAL_FACTS,
        *INCREMENTAL_REPORT_MARTS,
        "fct_rating_change",
    ]:  # the refresh did rebuild every row, so the comparison means something
        [(last_incremental_build,)] = query(second, f"select max(built_at) from marts.{table}")
        [(first_refreshed,)] = query(full_refresh, f"select min(built_at) from marts.{table}")
        assert first_refreshed > last_incremental_build, table
