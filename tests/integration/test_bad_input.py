"""One inbox holding every kind of bad input beside good reports: the run publishes, every file is
accounted for with a reason a person reads, good reports come through intact, the original bytes
are kept, and re-extracting everything gives the same warehouse as the fresh run."""

from __future__ import annotations

import math

import duckdb
import pytest

from pipelines.core.landing import landed_path
from pipelines.extraction.decoding import decode_report
from pipelines.extraction.report import extract_report
from tests.conftest import SEED_REPORT
from tests.integration.reliability import (
    ABSURD_AMOUNT,
    BIDI_TITLE,
    DUPLICATE,
    LOADED,
    MAX_FILE_BYTES,
    PAGES_ABOVE_500,
    QUARANTINED,
    SQL_BROKER,
    SQL_CLAIM,
    SQL_TITLE,
    WAITING,
    FreshRun,
    copy_home,
    file_outcomes,
    fresh_bad_input_run,
    offline_reextract_run,
    run_in_process,
    sha256,
    table_snapshot,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> FreshRun:
    return fresh_bad_input_run(tmp_path_factory)


def query(fresh: FreshRun, sql: str, params=()) -> list[tuple]:
    with duckdb.connect(str(fresh.result.warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def report_id_of(fresh: FreshRun, name: str) -> str:
    return fresh.files[name][3]


def test_the_run_publishes_and_counts_every_file(fresh: FreshRun) -> None:
    assert fresh.result.exit_code == 0, fresh.result.output
    assert "published:         yes" in fresh.result.output
    [(received, quarantined, published)] = query(
        fresh, "select files_received, files_quarantined, published from audit.runs"
    )
    assert received == len(fresh.expected) and published
    assert quarantined == sum(e.status == QUARANTINED for e in fresh.expected.values())


def test_every_file_ends_loaded_duplicate_or_quarantined_as_expected(fresh: FreshRun) -> None:
    assert set(fresh.files) == set(fresh.expected), "a file was lost or invented"
    for name, expected in fresh.expected.items():
        status, reason, _, _ = fresh.files[name]
        assert status == expected.status, (name, status, reason)
        for word in expected.reason_words:
            assert word in reason, (name, reason)


def test_quarantine_reasons_are_one_readable_sentence(fresh: FreshRun) -> None:
    for name, (status, reason, _, _) in fresh.files.items():
        if status != QUARANTINED:
            assert reason is None, (name, reason)
            continue
        assert reason and reason == reason.strip() and "\n" not in reason, (name, reason)
        assert len(reason) < 300 and "Traceback" not in reason, (name, reason)


def test_files_still_being_written_wait_in_the_inbox(fresh: FreshRun) -> None:
    for name in WAITING:
        assert name not in fresh.files
        assert (fresh.inbox / name).exists()


def test_copies_and_links_inside_the_inbox_are_duplicates_of_the_loaded_report(fresh: FreshRun) -> None:
    loaded_id = report_id_of(fresh, SEED_REPORT)
    for name, (status, _, _, report_id) in fresh.files.items():
        if status == DUPLICATE:
            assert report_id == loaded_id, name
    assert query(fresh, "select count(*) from marts.dim_report where report_id = ?", [loaded_id]) == [(1,)]


def test_landing_keeps_the_original_bytes_under_their_hash(fresh: FreshRun) -> None:
    landing = fresh.result.home / "landing"
    for name, (_status, _, content_sha256, _) in fresh.files.items():
        if content_sha256 is None:
            continue
        source = fresh.expected[name].path or fresh.inbox / name
        landed = landed_path(landing, content_sha256)
        assert sha256(landed) == content_sha256
        assert landed.read_bytes() == source.read_bytes(), name


def test_files_never_read_are_not_landed(fresh: FreshRun) -> None:
    never_read = {name for name, (_, _, sha, _) in fresh.files.items() if sha is None}
    assert never_read == {
        "over the limit.txt",
        "fifo.txt",
        "link outside.txt",
        "link to a folder outside",
        "dangling link.txt",
        "loop.txt",
    }
    [(size,)] = query(fresh, "select size_bytes from audit.files where source_file = 'over the limit.txt'")
    assert size == (fresh.inbox / "over the limit.txt").stat().st_size > MAX_FILE_BYTES
    landed_sizes = {p.stat().st_size for p in (fresh.result.home / "landing").rglob("*") if p.is_file()}
    assert size not in landed_sizes
    secret = fresh.inbox.parent / "outside" / "secret.txt"  # the target of the link leading outside
    assert sha256(secret) not in {sha for _, _, sha, _ in fresh.files.values()}
    assert not landed_path(fresh.result.home / "landing", sha256(secret)).exists()


def test_loaded_reports_are_exactly_what_the_extractor_reads_from_them(fresh: FreshRun) -> None:
    """Bad neighbours in the same batch change nothing in a good report, SQL and odd text included."""
    landing = fresh.result.home / "landing"
    with_held_rows = (ABSURD_AMOUNT, PAGES_ABOVE_500)  # their held rows are what the extractor read, less those
    loaded = {name: row for name, row in fresh.files.items() if row[0] == LOADED and name not in with_held_rows}
    assert len(loaded) == sum(e.status == LOADED for name, e in fresh.expected.items() if name not in with_held_rows)
    for name, (_, _, content_sha256, report_id) in loaded.items():
        text = decode_report(landed_path(landing, content_sha256).read_bytes()).text
        rows = extract_report(report_id, text)
        claims = query(
            fresh,
            """select claim_seq, section, subsection, claim_text, cited_pages, char_start, char_end
                                 from marts.fct_claim where report_id = ? order by claim_seq""",
            [report_id],
        )
        assert claims == [tuple(row[1:]) for row in rows["claims"]], name
        metrics = query(
            fresh,
            """select metric_seq, raw_text, value, value_high, unit, per_unit, fiscal_year,
                                         qualifier, measure, change_basis, direction, metric_kind, is_forecast,
                                         char_start, char_end
                                  from marts.fct_metric where report_id = ? order by 1""",
            [report_id],
        )
        assert metrics == [(m[2], *m[3:]) for m in rows["metrics"]], name
        [(broker, title, published_at)] = query(
            fresh, "select broker_raw, title, published_at from marts.dim_report where report_id = ?", [report_id]
        )
        assert (broker, title, published_at) == (rows["reports"][0][1], rows["reports"][0][4], rows["reports"][0][2])


def test_sql_metacharacters_are_stored_verbatim_and_harm_nothing(fresh: FreshRun) -> None:
    report_id = report_id_of(fresh, "sql'); drop table audit.files;--.txt")
    assert query(fresh, "select broker_raw, title from marts.dim_report where report_id = ?", [report_id]) == [
        (SQL_BROKER, SQL_TITLE)
    ]
    claims = [
        text for (text,) in query(fresh, "select claim_text from marts.fct_claim where report_id = ?", [report_id])
    ]
    assert any(SQL_CLAIM.rstrip(" \\") in text for text in claims)
    assert any("Bobby Tables'; DELETE FROM marts.fct_metric WHERE '1'='1" in text for text in claims)
    companies = {
        c
        for (c,) in query(
            fresh, "select company_name_raw from marts.fct_recommendation where report_id = ?", [report_id]
        )
    }
    assert "O'Reilly Media" in companies
    # Every table the payloads name is still there and still holds every other report.
    assert query(fresh, "select count(*) from audit.files") == [(len(fresh.expected),)]
    for table in ("marts.dim_report", "marts.fct_claim", "marts.fct_metric", "marts.fct_recommendation"):
        assert query(fresh, f"select count(distinct report_id) > 1 from {table}") == [(True,)], table


def test_control_and_bidi_characters_are_kept_as_received(fresh: FreshRun) -> None:
    name = "bidi \u202etxt.exe\u202c control.txt"
    report_id = report_id_of(fresh, name)
    assert query(fresh, "select title from marts.dim_report where report_id = ?", [report_id]) == [(BIDI_TITLE,)]
    [(claim,)] = query(
        fresh, "select claim_text from marts.fct_claim where report_id = ? and claim_seq = 1", [report_id]
    )
    assert "\u202egrows\u202c" in claim and "\x07" in claim and "\x1b[31mANSI" in claim


def test_huge_bullets_load_whole(fresh: FreshRun) -> None:
    [(pages,)] = query(
        fresh,
        "select max(len(cited_pages)) from marts.fct_claim where report_id = ?",
        [report_id_of(fresh, "citations.txt")],
    )
    assert pages == 5000
    [(longest,)] = query(
        fresh,
        "select max(length(claim_text)) from marts.fct_claim where report_id = ?",
        [report_id_of(fresh, "long token.txt")],
    )
    assert longest > 1_000_000


def held_rows(fresh: FreshRun, name: str) -> list[tuple]:
    return query(
        fresh,
        """select table_name, row_json, expectation, reason from audit.quarantined_rows
                           where report_id = ? order by table_name, row_json""",
        [report_id_of(fresh, name)],
    )


def test_one_absurd_amount_is_held_aside_and_the_rest_of_its_report_loads(fresh: FreshRun) -> None:
    report_id = report_id_of(fresh, ABSURD_AMOUNT)
    assert query(fresh, "select has_quarantined_rows from marts.dim_report where report_id = ?", [report_id]) == [
        (True,)
    ]
    assert query(fresh, "select rating_raw from marts.fct_rating where report_id = ?", [report_id]) == [("Overweight",)]
    assert query(fresh, "select count(*) from marts.fct_claim where report_id = ?", [report_id]) == [(2,)]
    figures = query(fresh, "select raw_text, unit from marts.fct_metric where report_id = ?", [report_id])
    assert figures and all("12345678901234567890123456" not in raw_text for raw_text, _ in figures)
    assert ("5%", "%") in figures
    held = query(fresh, "select count(*) from audit.quarantined_rows")[0][0]
    assert f"{held} row(s) held aside (`quarantine list`)" in fresh.result.output  # the summary says so
    [(table, row, expectation, reason)] = held_rows(fresh, ABSURD_AMOUNT)
    assert table == "raw.metrics" and "12345678901234567890123456" in row and '"report_id":"' in row
    assert "expect_column_values_to_be_between(value" in expectation and "1e15" in reason


def test_pages_above_500_hold_their_bullet_and_its_figures_aside_and_the_report_loads(fresh: FreshRun) -> None:
    report_id = report_id_of(fresh, PAGES_ABOVE_500)
    assert query(fresh, "select has_quarantined_rows from marts.dim_report where report_id = ?", [report_id]) == [
        (True,)
    ]
    assert query(fresh, "select count(*) from marts.fct_rating where report_id = ?", [report_id]) == [(1,)]
    assert query(fresh, "select max(list_max(cited_pages)) from marts.fct_claim where report_id = ?", [report_id]) == [
        (2,)
    ]
    held = held_rows(fresh, PAGES_ABOVE_500)
    assert [table for table, *_ in held] == ["raw.claims", "raw.metrics"]
    assert all("cited_pages_max" in expectation for _, _, expectation, _ in held)
    assert held[1][3].startswith("its claim was held aside")
    assert query(
        fresh, "select count(*) from marts.fct_metric where report_id = ? and raw_text = '30 billion yuan'", [report_id]
    ) == [(0,)]
    assert query(fresh, "select count(*) from marts.dim_report where has_quarantined_rows") == [(2,)]


def test_quarantine_list_shows_files_and_rows_apart_and_retry_keeps_rows_held_once(fresh: FreshRun, tmp_path) -> None:
    home = copy_home(fresh.result.home, tmp_path / "home")
    (tmp_path / "empty inbox").mkdir()
    listed = run_in_process("quarantine", "list", home=home, inbox=fresh.inbox)
    files_part, rows_part = listed.output.split("quarantined rows")
    assert "'empty.txt'" in files_part and ABSURD_AMOUNT not in files_part
    assert f"'{ABSURD_AMOUNT}'" in rows_part and f"'{PAGES_ABOVE_500}'" in rows_part and "'empty.txt'" not in rows_part
    before = query(fresh, "select * exclude (loaded_at) from audit.quarantined_rows order by all")
    retried = run_in_process("quarantine", "retry", home=home, inbox=tmp_path / "empty inbox")
    assert retried.exit_code == 0, retried.output
    assert "2 report(s) with quarantined rows queued" in retried.output
    with duckdb.connect(str(retried.warehouse), read_only=True) as con:
        after = con.execute("select * exclude (loaded_at) from audit.quarantined_rows order by all").fetchall()
        flagged = con.execute("select count(*) from marts.dim_report where has_quarantined_rows").fetchall()
        statuses = con.execute(
            "select source_file, status from audit.files where source_file in (?, ?)", [ABSURD_AMOUNT, PAGES_ABOVE_500]
        ).fetchall()
    assert after == before and flagged == [(2,)]
    assert sorted(statuses) == sorted([(ABSURD_AMOUNT, LOADED), (PAGES_ABOVE_500, LOADED)])


def test_no_infinite_or_nan_number_and_no_absurd_amount_reaches_the_marts(fresh: FreshRun) -> None:
    columns = query(
        fresh,
        """select table_name, column_name from information_schema.columns
                              where table_schema = 'marts' and data_type in ('DOUBLE', 'FLOAT', 'DECIMAL')""",
    )
    assert columns
    for table, column in columns:
        [(bad,)] = query(fresh, f'select count(*) from marts."{table}" where isinf("{column}") or isnan("{column}")')
        assert bad == 0, (table, column)
    [(largest,)] = query(
        fresh, "select max(abs(value)) from marts.fct_metric where unit not in ('%', 'pp', 'x', 'count')"
    )
    assert math.isfinite(largest) and largest < 1e15
    assert query(
        fresh,
        "select count(*) from marts.fct_metric where raw_text like '%e308%' "
        "or raw_text like '%12345678901234567890123456%'",
    ) == [(0,)]


def test_reextract_gives_the_same_warehouse_as_the_fresh_run(fresh: FreshRun, tmp_path_factory) -> None:
    result, _ = offline_reextract_run(tmp_path_factory)
    assert result.exit_code == 0, result.output
    assert "report file(s) queued for re-extraction" in result.output
    assert table_snapshot(result.warehouse, "marts") == fresh.marts
    assert file_outcomes(result.warehouse) == fresh.files
    with duckdb.connect(str(result.warehouse), read_only=True) as con:
        assert con.execute("select count(*), count(*) filter (where published) from audit.runs").fetchall() == [(2, 2)]
