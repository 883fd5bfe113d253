"""Validation library: suite conventions, frame preparation, quarantine and publish decisions, Data Docs."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

from pipelines.core.validation import (
    BATCH,
    EXPECTATIONS_DIR,
    MIN_ROW_COUNT,
    RAW_SUITES,
    ROW,
    ExpectationOutcome,
    build_data_docs,
    checks_rows,
    expectation_name,
    gx_ready,
    mart_runtime_params,
    outcomes_of,
    publish_blocking_failures,
    read_suite,
    reports_failing_row_checks,
    rows_failing_row_checks,
    suite_names,
    validate_extraction,
    validate_frame,
    validate_in_chunks,
    with_report_text_length,
)
from pipelines.extraction import schema

MART_SUITES = [name for name in suite_names() if name.startswith("marts_")]
# Raw suites that validate their frame as the extractor makes it, plus what validation joins in.
JOINED_COLUMNS = {
    "raw_reports": ["text"],
    "raw_claims": ["report_text_length"],
    "raw_metrics": ["report_text_length"],
    "raw_ratings": ["report_text_length"],
    "raw_entity_mentions": ["report_text_length"],
    "raw_recommendations": [],
}


def expectations(suite: str) -> list[dict]:
    return read_suite(suite)["expectations"]


def column_set(suite: str) -> list[str]:
    return next(
        e["kwargs"]["column_set"] for e in expectations(suite) if e["type"] == "expect_table_columns_to_match_set"
    )


def test_importing_the_module_does_not_import_great_expectations() -> None:
    code = "import sys, pipelines.core.validation; print('great_expectations' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("suite", suite_names())
def test_every_expectation_says_blocking_level_and_why(suite: str) -> None:
    for expectation in expectations(suite):
        meta = expectation["meta"]
        assert isinstance(meta["blocking"], bool)
        assert meta["level"] in (ROW, BATCH)
        assert len(meta["why"]) > 10
        # GX's own severity says the same, so Data Docs and GX tooling agree with `blocking`.
        assert expectation["severity"] == ("critical" if meta["blocking"] else "warning")
    readable = [expectation_name(e) for e in expectations(suite)]
    assert len(set(readable)) == len(readable)


@pytest.mark.parametrize("suite", suite_names())
def test_row_level_expectations_only_where_rows_name_a_report(suite: str) -> None:
    if any(e["meta"]["level"] == ROW for e in expectations(suite)):
        assert "report_id" in column_set(suite)


@pytest.mark.parametrize(("frame_name", "suite"), RAW_SUITES.items())
def test_raw_suites_require_the_extraction_schema(frame_name: str, suite: str) -> None:
    expected = []
    for name, dtype in schema.FRAMES[frame_name].items():
        expected += [f"{name}_min", f"{name}_max"] if isinstance(dtype, pl.List) else [name]
    assert column_set(suite) == expected + JOINED_COLUMNS[suite]


@pytest.mark.parametrize("suite", MART_SUITES)
def test_mart_suites_hold_only_the_shrink_guard_which_reads_no_rows(suite: str) -> None:
    """Keys, grain, relationships and vocabularies of a mart are dbt tests; the values of its rows were
    the raw suites' before loading: no rule is written twice."""
    [guard] = expectations(suite)
    assert not checks_rows(suite)
    assert guard["kwargs"]["min_value"] == {"$PARAMETER": MIN_ROW_COUNT}
    assert guard["meta"] == {**guard["meta"], "blocking": True, "level": BATCH}


@pytest.mark.parametrize(("previous", "floor"), [(None, 0), (0, 0), (1, 1), (30, 15), (31, 16)])
def test_a_mart_may_shrink_by_half_at_most(previous: int | None, floor: int) -> None:
    assert mart_runtime_params(previous) == {MIN_ROW_COUNT: floor}


def test_the_file_context_opens_every_suite(tmp_path: Path) -> None:
    import great_expectations as gx

    root = shutil.copytree(EXPECTATIONS_DIR, tmp_path / "expectations")  # opening writes uncommitted/
    context = gx.get_context(mode="file", context_root_dir=str(root))
    assert sorted(suite.name for suite in context.suites.all()) == suite_names()
    assert context.variables.progress_bars == {"globally": False, "metric_calculations": False}


def test_list_columns_become_their_smallest_and_largest_element() -> None:
    frame = pl.DataFrame(
        {"report_id": ["r1", "r2", "r3"], "cited_pages": [[7, 2, 9], [], None]},
        schema={"report_id": pl.String, "cited_pages": pl.List(pl.Int32)},
    )
    for given in (frame, frame.to_pandas()):
        ready = gx_ready(given)
        assert isinstance(ready, pd.DataFrame)
        assert list(ready.columns) == ["report_id", "cited_pages_min", "cited_pages_max"]
        assert ready["cited_pages_min"].tolist()[0] == 2 and ready["cited_pages_max"].tolist()[0] == 9
        assert ready[["cited_pages_min", "cited_pages_max"]].iloc[1:].isna().all().all()


def test_text_length_counts_characters_and_is_null_for_unknown_reports() -> None:
    texts = pl.DataFrame({"report_id": ["r1"], "text": ["东吴证券·2024"]})
    claims = pl.DataFrame({"report_id": ["r1", "r9"], "char_end": [3, 4]})
    joined = with_report_text_length(claims, texts)
    assert joined["report_text_length"].to_list() == [9, None]


def extraction_frames(claim_end_of_r2: int) -> dict[str, pl.DataFrame]:
    frames = {name: pl.DataFrame(schema=columns) for name, columns in schema.FRAMES.items()}
    frames["reports"] = pl.DataFrame(
        [
            {
                "report_id": r,
                "broker_raw": "东吴证券",
                "published_at": pd.Timestamp("2024-12-24 03:36").to_pydatetime(),
                "industry_raw": "计算机",
                "title": "周报",
                "report_type": "industry",
                "subject_company_name_cn": None,
                "subject_company_code": None,
            }
            for r in ("r1", "r2")
        ],
        schema=schema.REPORTS,
    )
    frames["claims"] = pl.DataFrame(
        [
            {
                "report_id": r,
                "claim_seq": 1,
                "section": "Core Views",
                "subsection": None,
                "claim_text": "Demand grows",
                "cited_pages": [3],
                "char_start": 0,
                "char_end": end,
            }
            for r, end in (("r1", 12), ("r2", claim_end_of_r2))
        ],
        schema=schema.CLAIMS,
    )
    return frames


TEXTS = pl.DataFrame({"report_id": ["r1", "r2"], "encoding": ["utf-8", "utf-8"], "text": ["x" * 20, "y" * 20]})


def test_extraction_batch_passes_with_offsets_inside_the_text_and_empty_frames() -> None:
    validations = validate_extraction(extraction_frames(claim_end_of_r2=20), TEXTS)
    assert [v.table_name for v in validations] == [f"raw.{name}" for name in RAW_SUITES]
    assert [o for o in outcomes_of(validations) if not o.success] == []


def test_a_claim_ending_past_its_text_holds_exactly_that_row() -> None:
    outcomes = outcomes_of(validate_extraction(extraction_frames(claim_end_of_r2=21), TEXTS))
    failed = "expect_column_pair_values_a_to_be_greater_than_b(report_text_length, char_end)"
    [target] = [o for o in outcomes if o.expectation == failed and o.table_name == "raw.claims"]
    assert target.why and target.failing_report_ids == ("r2",) and target.failing_rows == (1,)
    assert rows_failing_row_checks(outcomes) == {"raw.claims": {1: [target]}}
    assert reports_failing_row_checks(outcomes) == {}  # the report itself is sound
    assert publish_blocking_failures(outcomes) == []


def test_a_report_row_failing_a_row_check_quarantines_the_report_whole() -> None:
    frames = extraction_frames(claim_end_of_r2=20)
    frames["reports"] = frames["reports"].with_columns(report_type=pl.Series(["industry", "weather"]))
    outcomes = outcomes_of(validate_extraction(frames, TEXTS))
    [reason] = reports_failing_row_checks(outcomes).values()
    assert list(reports_failing_row_checks(outcomes)) == ["r2"] and "raw_reports" in reason
    assert rows_failing_row_checks(outcomes) == {}


def outcome(
    *,
    success: bool = False,
    blocking: bool = True,
    level: str = ROW,
    report_ids: tuple[str, ...] = (),
    expectation: str = "expect_x(c)",
    table: str = "raw.reports",
    rows: tuple[int, ...] = (),
) -> ExpectationOutcome:
    return ExpectationOutcome(
        suite=f"raw_{table[4:]}",
        expectation=expectation,
        table_name=table,
        success=success,
        unexpected_count=len(report_ids),
        blocking=blocking,
        level=level,
        failing_report_ids=report_ids,
        failing_rows=rows,
        why=f"why {expectation}",
    )


def test_only_failed_blocking_row_checks_of_the_report_row_quarantine_their_reports() -> None:
    outcomes = [
        outcome(report_ids=("r1", "r2")),
        outcome(report_ids=("r1",), expectation="expect_y(d)"),
        outcome(blocking=False, report_ids=("r3",)),
        outcome(level=BATCH, report_ids=("r4",)),
        outcome(success=True),
        outcome(report_ids=("r5",), table="raw.claims", rows=(0,)),
    ]
    assert reports_failing_row_checks(outcomes) == {
        "r1": "failed raw_reports: expect_x(c) (why expect_x(c)); raw_reports: expect_y(d) (why expect_y(d))",
        "r2": "failed raw_reports: expect_x(c) (why expect_x(c))",
    }


def test_only_failed_blocking_row_checks_of_other_tables_hold_their_rows() -> None:
    x = outcome(table="raw.metrics", report_ids=("r1",), rows=(0, 3), expectation="expect_x(c)")
    y = outcome(table="raw.metrics", report_ids=("r1",), rows=(3,), expectation="expect_y(d)")
    outcomes = [
        x,
        y,
        outcome(table="raw.claims", blocking=False, rows=(1,)),
        outcome(table="raw.claims", rows=(2,), success=True),
        outcome(table="raw.claims", level=BATCH, rows=(4,)),
        outcome(report_ids=("r9",), rows=(0,)),
    ]
    assert rows_failing_row_checks(outcomes) == {"raw.metrics": {0: [x], 3: [x, y]}}


def test_blocking_batch_failures_and_unattributable_row_failures_stop_the_publish() -> None:
    batch, unattributable = outcome(level=BATCH), outcome(report_ids=())
    outcomes = [
        batch,
        unattributable,
        outcome(report_ids=("r1",)),
        outcome(level=BATCH, blocking=False),
        outcome(level=BATCH, success=True),
    ]
    assert publish_blocking_failures(outcomes) == [batch, unattributable]


def test_a_mart_cannot_be_validated_without_its_previous_row_count() -> None:
    frame = pl.DataFrame({"broker_id": ["b1"], "name_cn": ["东吴证券"], "name_en": ["Soochow"]})
    with pytest.raises(Exception, match=MIN_ROW_COUNT):
        validate_frame("marts_dim_broker", frame, table_name="marts.dim_broker")


def test_data_docs_show_the_run_with_each_check_explained_without_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError(f"network used: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    validations = validate_extraction(extraction_frames(claim_end_of_r2=21), TEXTS)
    index = build_data_docs(validations, tmp_path / "run-7", run_name="run-7")
    assert index == tmp_path / "run-7" / "index.html"
    assert "raw_claims" in index.read_text(encoding="utf-8")
    suite_page = (tmp_path / "run-7" / "expectations" / "raw_claims.html").read_text(encoding="utf-8")
    assert "blocking row check: The span must lie inside its report" in suite_page
    [claims_page] = (tmp_path / "run-7" / "validations" / "raw_claims").rglob("*.html")
    assert "report_text_length" in claims_page.read_text(encoding="utf-8")


def test_a_table_validated_in_chunks_fails_where_any_chunk_fails_and_counts_the_whole_table() -> None:
    def files(rows: list[tuple]) -> pl.DataFrame:
        return pl.DataFrame(
            [
                (name, size, pd.Timestamp("2026-01-01").to_pydatetime(), "quarantined", "empty", None, "a" * 64)
                for name, size in rows
            ],
            schema=["source_file", "size_bytes", "received_at", "status", "reason", "report_id", "content_sha256"],
            orient="row",
        )

    chunks = [files([("a.txt", 1), ("b.txt", 2)]), files([("c.txt", 3), (None, 4)])]
    result = validate_in_chunks("audit_files", iter(chunks), table_name="audit.files", table_rows=4)
    by_name = {o.expectation: o for o in result.outcomes}
    assert len(result.outcomes) == len(expectations("audit_files"))  # one outcome per expectation
    assert not by_name["expect_column_values_to_not_be_null(source_file)"].success
    assert by_name["expect_column_values_to_not_be_null(source_file)"].unexpected_count == 1
    assert by_name["expect_column_values_to_not_be_null(size_bytes)"].success
    assert not result.passed and result.gx_result["success"] is False  # Data Docs show the failing chunk

    brokers = pl.DataFrame({"broker_id": ["a"], "name_cn": ["甲"], "name_en": ["A"]})
    kept = validate_in_chunks(
        "marts_dim_broker", iter([brokers]), table_name="marts.dim_broker", table_rows=4, min_row_count=3
    )
    assert kept.passed  # 4 rows in the table >= 3, whatever the chunks hold
    shrunk = validate_in_chunks(
        "marts_dim_broker", iter([brokers]), table_name="marts.dim_broker", table_rows=2, min_row_count=3
    )
    assert [o.expectation for o in shrunk.outcomes if not o.success] == ["expect_table_row_count_to_be_between()"]
