"""What a new user meets: a readable run summary, a clear failure on a missing inbox, and a published
file that explains itself to BI tools (comments, rating scale, explicit time zone, report dates)."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import SAMPLES
from tests.integration.conftest import copy_reports, run_pipeline

pytestmark = pytest.mark.integration

MAX_OUTPUT_LINES = 40


@pytest.fixture(scope="module")
def first_and_second(tmp_path_factory):
    """A clean run on three samples, then a run with nothing new."""
    root = tmp_path_factory.mktemp("first_hour")
    inbox = copy_reports(sorted(SAMPLES.glob("*.txt"))[:3], root / "inbox")
    return run_pipeline(inbox, root / "home"), run_pipeline(inbox, root / "home")


def test_a_clean_run_prints_a_short_summary_with_totals(first_and_second) -> None:
    first, _ = first_and_second
    assert first.exit_code == 0, first.output
    lines = first.output.splitlines()
    assert len(lines) < MAX_OUTPUT_LINES, first.output
    assert "\x1b[" not in first.output  # no colour codes when the output is not a terminal
    assert not any(" of 2" in line and "START" in line for line in lines)  # dbt's node log only with --verbose
    assert re.search(r"^dbt build:\s+\d+\.\d s  done$", first.output, re.M), first.output
    assert re.search(
        r"^warehouse:\s+3 reports, \d+ claims, \d+ metrics, \d+ ratings; files: 3 loaded$", first.output, re.M
    ), first.output
    assert "(first publish)" in first.output
    assert "published:         yes" in first.output


def test_a_run_with_nothing_new_says_the_warehouse_did_not_change(first_and_second) -> None:
    _, second = first_and_second
    assert second.exit_code == 0, second.output
    assert re.search(r"^change:\s+none since the previous publish$", second.output, re.M), second.output
    assert re.search(r"^warehouse:\s+3 reports", second.output, re.M)
    assert "published:         unchanged" in second.output
    assert "WARNING" not in second.output and "emitted no result" not in second.output, second.output


def test_every_published_column_and_table_has_a_comment(first_and_second) -> None:
    first, _ = first_and_second
    undescribed = first.query("""
        select schema_name || '.' || table_name || '.' || column_name from duckdb_columns()
        where schema_name in ('marts', 'audit') and coalesce(comment, '') = ''""")
    assert undescribed == []
    assert first.query("""select count(*) from duckdb_tables()
                          where schema_name in ('marts', 'audit') and coalesce(comment, '') = ''""") == [(0,)]


def test_the_rating_scale_is_published_most_bullish_first(first_and_second) -> None:
    first, _ = first_and_second
    assert first.query(
        "select rating_std, label, rating_score, sort_order, direction from marts.dim_rating_scale order by sort_order"
    ) == [
        ("strong_buy", "Strong Buy", 1, 1, "bullish"),
        ("buy", "Buy", 2, 2, "bullish"),
        ("hold", "Hold", 3, 3, "neutral"),
        ("underperform", "Underperform", 4, 4, "bearish"),
        ("sell", "Sell", 5, 5, "bearish"),
    ]
    assert first.query("""select count(*) from marts.fct_rating r
                          left join marts.dim_rating_scale s using (rating_std)
                          where r.rating_std is not null and s.rating_std is null""") == [(0,)]


@pytest.mark.parametrize("table", ["fct_claim", "fct_metric", "fct_entity_mention", "fct_rating", "fct_recommendation"])
def test_every_fact_row_carries_its_report_date_in_an_explicit_zone(first_and_second, table) -> None:
    first, _ = first_and_second
    rows = first.query(f"""select f.published_at, f.published_at_tz, f.published_date, r.published_at
                           from marts.{table} f join marts.dim_report r using (report_id)""")
    assert rows
    shanghai = ZoneInfo("Asia/Shanghai")
    for published_at, published_at_tz, published_date, report_published_at in rows:
        assert published_at == report_published_at
        assert published_at_tz.astimezone(shanghai).replace(tzinfo=None) == published_at
        assert published_at_tz.tzinfo is not None and published_at_tz.utcoffset() is not None
        assert published_date == published_at.date()


def test_broker_aliases_are_also_a_list(first_and_second) -> None:
    first, _ = first_and_second
    for aliases, alias_list in first.query(
        "select aliases, alias_list from marts.dim_broker where aliases is not null"
    ):
        assert alias_list == aliases.split("|")


def test_a_missing_inbox_fails_the_run_with_a_clear_message(tmp_path) -> None:
    result = run_pipeline(tmp_path / "no such inbox", tmp_path / "home")
    assert result.exit_code == 1
    assert "does not exist" in result.output and "RW_INBOX" in result.output, result.output
    assert not result.warehouse.exists()
    from pipelines.core.build_db import connect

    with connect(result.build_db, read_only=True) as con:
        [(published, outcome)] = con.execute("select published, outcome from audit.runs").fetchall()
    assert not published and "does not exist" in outcome
