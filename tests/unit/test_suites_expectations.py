"""Every reviewed suite: good data passes, and each expectation has data that fails exactly it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import polars as pl
import pytest

from pipelines.core.validation import (
    BATCH,
    ROW,
    expectation_name,
    mart_runtime_params,
    number_rows,
    publish_blocking_failures,
    read_suite,
    reports_failing_row_checks,
    rows_failing_row_checks,
    suite_names,
    validate_frame,
)
from pipelines.extraction import schema

PUBLISHED = datetime(2024, 12, 24, 3, 36)
SHA_A, SHA_B = "a" * 64, "b" * 64

# ---------------------------------------------------------------- good frames (all pass)


def frame(rows: list[dict[str, Any]], columns: dict[str, pl.DataType] | None = None) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=columns, orient="row")


AUDIT_FILES = frame(
    [
        {
            "source_file": "a.txt",
            "content_sha256": SHA_A,
            "size_bytes": 2048,
            "received_at": PUBLISHED,
            "status": "loaded",
            "reason": None,
            "report_id": "r1",
        },
        {
            "source_file": "b.txt",
            "content_sha256": SHA_B,
            "size_bytes": 4096,
            "received_at": PUBLISHED,
            "status": "loaded",
            "reason": None,
            "report_id": "r2",
        },
        {
            "source_file": "huge.txt",
            "content_sha256": None,
            "size_bytes": 10**9,
            "received_at": PUBLISHED,
            "status": "quarantined",
            "reason": "larger than 10485760 bytes",
            "report_id": None,
        },
        {
            "source_file": "a copy.txt",
            "content_sha256": SHA_A,
            "size_bytes": 2048,
            "received_at": PUBLISHED,
            "status": "duplicate",
            "reason": None,
            "report_id": "r1",
        },
    ]
)

RAW_REPORTS = frame(
    [
        {
            "report_id": "r1",
            "broker_raw": "东吴证券",
            "published_at": PUBLISHED,
            "industry_raw": "计算机",
            "title": "计算机行业跟踪周报",
            "report_type": "industry",
            "subject_company_name_cn": None,
            "subject_company_code": None,
            "text": "x" * 400,
        },
        {
            "report_id": "r2",
            "broker_raw": "中信证券",
            "published_at": datetime(2025, 4, 22, 8, 0),
            "industry_raw": "通信",
            "title": "中际旭创(300308):年报点评",
            "report_type": "company",
            "subject_company_name_cn": "中际旭创",
            "subject_company_code": "300308",
            "text": "y" * 300,
        },
    ],
    {**schema.REPORTS, "text": pl.String},
)

CLAIM_ROWS = [
    {
        "report_id": "r1",
        "claim_seq": 1,
        "section": "Core Views",
        "subsection": None,
        "claim_text": "The edge side is expected to embrace AI",
        "cited_pages": [1, 25],
        "char_start": 10,
        "char_end": 50,
    },
    {
        "report_id": "r1",
        "claim_seq": 2,
        "section": "Key Points by Section",
        "subsection": "Edge Side",
        "claim_text": "ByteDance launched AI earphones",
        "cited_pages": [],
        "char_start": 60,
        "char_end": 90,
    },
    {
        "report_id": "r2",
        "claim_seq": 1,
        "section": "Risk Warnings",
        "subsection": None,
        "claim_text": "Demand may fall short",
        "cited_pages": [500],
        "char_start": 0,
        "char_end": 21,
    },
]
TEXT_LENGTH = {"r1": 400, "r2": 300}


def with_lengths(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**row, "report_text_length": TEXT_LENGTH[row["report_id"]]} for row in rows]


RAW_CLAIMS = frame(with_lengths(CLAIM_ROWS), {**schema.CLAIMS, "report_text_length": pl.Int64})

METRIC_ROWS = [
    {
        "report_id": "r1",
        "claim_seq": 1,
        "metric_seq": 1,
        "raw_text": "80 billion yuan",
        "value": 8.0e10,
        "value_high": None,
        "unit": "CNY",
        "per_unit": None,
        "fiscal_year": 2024,
        "qualifier": None,
        "measure": "capex",
        "change_basis": "level",
        "direction": None,
        "char_start": 20,
        "char_end": 35,
    },
    {
        "report_id": "r1",
        "claim_seq": 1,
        "metric_seq": 2,
        "raw_text": "600 to 900 billion dollars",
        "value": 6.0e11,
        "value_high": 9.0e11,
        "unit": "USD",
        "per_unit": None,
        "fiscal_year": None,
        "qualifier": "approx",
        "measure": "market_size",
        "change_basis": "level",
        "direction": None,
        "char_start": 36,
        "char_end": 49,
    },
    {
        "report_id": "r2",
        "claim_seq": 1,
        "metric_seq": 1,
        "raw_text": "85%",
        "value": 85.0,
        "value_high": None,
        "unit": "%",
        "per_unit": None,
        "fiscal_year": None,
        "qualifier": "over",
        "measure": "price",
        "change_basis": "change",
        "direction": "down",
        "char_start": 3,
        "char_end": 6,
    },
    {
        "report_id": "r2",
        "claim_seq": 1,
        "metric_seq": 2,
        "raw_text": "-1.5pp",
        "value": -1.5,
        "value_high": None,
        "unit": "pp",
        "per_unit": None,
        "fiscal_year": None,
        "qualifier": None,
        "measure": "margin",
        "change_basis": "yoy",
        "direction": None,
        "char_start": 7,
        "char_end": 13,
    },
    {
        "report_id": "r2",
        "claim_seq": 1,
        "metric_seq": 3,
        "raw_text": "35x PE",
        "value": 35.0,
        "value_high": None,
        "unit": "x",
        "per_unit": None,
        "fiscal_year": 2025,
        "qualifier": None,
        "measure": "pe",
        "change_basis": "level",
        "direction": None,
        "char_start": 14,
        "char_end": 20,
    },
    {
        "report_id": "r2",
        "claim_seq": 1,
        "metric_seq": 4,
        "raw_text": "4 trillion tokens",
        "value": 4.0e12,
        "value_high": None,
        "unit": "count",
        "per_unit": "token",
        "fiscal_year": None,
        "qualifier": None,
        "measure": "volume",
        "change_basis": "level",
        "direction": None,
        "char_start": 21,
        "char_end": 38,
    },
]
RAW_METRICS = frame(with_lengths(METRIC_ROWS), {**schema.METRICS, "report_text_length": pl.Int64})

RAW_RATINGS = frame(
    with_lengths(
        [
            {
                "report_id": "r1",
                "scope": "industry",
                "rating_raw": "Overweight",
                "action_raw": "Maintained",
                "cited_pages": [11],
                "char_start": 0,
                "char_end": 40,
            },
            {
                "report_id": "r2",
                "scope": "company",
                "rating_raw": "买入",
                "action_raw": None,
                "cited_pages": [],
                "char_start": 0,
                "char_end": 30,
            },
        ]
    ),
    {**schema.RATINGS, "report_text_length": pl.Int64},
)

RECOMMENDATION_ROWS = [
    {
        "report_id": "r1",
        "theme_seq": 1,
        "theme": "Computing power",
        "company_seq": 1,
        "company_name_raw": "Runze Technology",
        "cited_pages": [33],
    },
    {
        "report_id": "r1",
        "theme_seq": 1,
        "theme": "Computing power",
        "company_seq": 2,
        "company_name_raw": "GDS",
        "cited_pages": [33],
    },
    {
        "report_id": "r2",
        "theme_seq": 1,
        "theme": "Optical modules",
        "company_seq": 1,
        "company_name_raw": "Zhongji Innolight",
        "cited_pages": [],
    },
]
RAW_RECOMMENDATIONS = frame(RECOMMENDATION_ROWS, schema.RECOMMENDATIONS)

RAW_ENTITY_MENTIONS = frame(
    with_lengths(
        [
            {"report_id": "r1", "claim_seq": 2, "entity_name": "ByteDance", "char_start": 60, "char_end": 69},
            {"report_id": "r2", "claim_seq": 1, "entity_name": "NVIDIA", "char_start": 0, "char_end": 6},
        ]
    ),
    {**schema.ENTITY_MENTIONS, "report_text_length": pl.Int64},
)

DIM_BROKER = frame(
    [
        {"broker_id": "soochow", "name_cn": "东吴证券", "name_en": "Soochow Securities"},
        {"broker_id": "citic", "name_cn": "中信证券", "name_en": "CITIC Securities"},
    ]
)

DIM_INDUSTRY = frame(
    [
        {"industry_id": "801750", "name_cn": "计算机", "name_en": "Computer"},
        {"industry_id": "801770", "name_cn": "通信", "name_en": "Communication"},
    ]
)

DIM_COMPANY = frame(
    [
        {
            "company_id": "c1",
            "name_en": "Zhongji Innolight",
            "name_cn": "中际旭创",
            "ticker": "300308",
            "exchange": "SZSE",
        },
        {"company_id": "c2", "name_en": "NVIDIA", "name_cn": None, "ticker": "NVDA", "exchange": "NASDAQ"},
        {"company_id": "c3", "name_en": "ByteDance", "name_cn": None, "ticker": None, "exchange": None},
    ]
)

DIM_DATE = frame(
    [
        {"date_day": date(2024, 12, 24), "year": 2024, "quarter": 4, "month": 12, "iso_week": 52, "day_of_week": 2},
        {"date_day": date(2025, 4, 22), "year": 2025, "quarter": 2, "month": 4, "iso_week": 17, "day_of_week": 2},
    ]
)

DIM_REPORT = frame(
    [
        {
            "report_id": "r1",
            "source_file": "a.txt",
            "content_sha256": SHA_A,
            "broker_id": "soochow",
            "industry_id": "801750",
            "title": "计算机行业跟踪周报",
            "report_type": "industry",
            "published_at": PUBLISHED,
            "subject_company_id": None,
            "ingested_at": PUBLISHED,
        },
        {
            "report_id": "r2",
            "source_file": "b.txt",
            "content_sha256": SHA_B,
            "broker_id": "citic",
            "industry_id": "801770",
            "title": "中际旭创(300308):年报点评",
            "report_type": "company",
            "published_at": datetime(2025, 4, 22, 8, 0),
            "subject_company_id": "c1",
            "ingested_at": PUBLISHED,
        },
    ]
)

FCT_CLAIM = frame(
    [{"claim_id": f"{row['report_id']}-{row['claim_seq']}", **row} for row in CLAIM_ROWS],
    {"claim_id": pl.String, **schema.CLAIMS},
)

FCT_METRIC = frame(
    [
        {
            "metric_id": f"{row['report_id']}-m{row['metric_seq']}",
            "claim_id": f"{row['report_id']}-{row['claim_seq']}",
            **row,
        }
        for row in METRIC_ROWS
    ]
)

FCT_RECOMMENDATION = frame(
    [{**row, "company_id": "c1" if row["report_id"] == "r2" else None} for row in RECOMMENDATION_ROWS]
)

FCT_RATING = frame(
    [
        {
            "report_id": "r1",
            "broker_id": "soochow",
            "published_at": PUBLISHED,
            "scope": "industry",
            "industry_id": "801750",
            "company_id": None,
            "rating_raw": "Overweight",
            "rating_std": "buy",
            "rating_score": 2,
            "action_raw": "Maintained",
            "action_std": "maintain",
            "cited_pages": [11],
        },
        {
            "report_id": "r2",
            "broker_id": "citic",
            "published_at": datetime(2025, 4, 22, 8, 0),
            "scope": "company",
            "industry_id": "801770",
            "company_id": "c1",
            "rating_raw": "买入",
            "rating_std": "strong_buy",
            "rating_score": 1,
            "action_raw": None,
            "action_std": None,
            "cited_pages": [],
        },
    ]
)

FCT_ENTITY_MENTION = frame(
    [
        {"report_id": "r1", "claim_id": "r1-2", "entity_name": "ByteDance", "company_id": "c3"},
        {"report_id": "r1", "claim_id": "r1-1", "entity_name": "ByteDance", "company_id": "c3"},
        {"report_id": "r2", "claim_id": "r2-1", "entity_name": "NVIDIA", "company_id": "c2"},
    ]
)

GOOD = {
    "audit_files": AUDIT_FILES,
    "raw_reports": RAW_REPORTS,
    "raw_claims": RAW_CLAIMS,
    "raw_metrics": RAW_METRICS,
    "raw_ratings": RAW_RATINGS,
    "raw_recommendations": RAW_RECOMMENDATIONS,
    "raw_entity_mentions": RAW_ENTITY_MENTIONS,
    "marts_dim_broker": DIM_BROKER,
    "marts_dim_industry": DIM_INDUSTRY,
    "marts_dim_company": DIM_COMPANY,
    "marts_dim_date": DIM_DATE,
    "marts_dim_report": DIM_REPORT,
    "marts_fct_claim": FCT_CLAIM,
    "marts_fct_metric": FCT_METRIC,
    "marts_fct_recommendation": FCT_RECOMMENDATION,
    "marts_fct_rating": FCT_RATING,
    "marts_fct_entity_mention": FCT_ENTITY_MENTION,
}

# ---------------------------------------------------------------- violations


@dataclass(frozen=True)
class Violation:
    """Bad data for one expectation: row `row` gets `values` (or a changed copy of it is appended),
    a column is dropped, or the runtime parameters say the previous warehouse was much larger."""

    row: int | None = 0
    values: dict[str, Any] = field(default_factory=dict)
    append_copy: bool = False
    drop_column: str | None = None
    runtime_params: dict[str, Any] | None = None

    def apply(self, good: pl.DataFrame) -> pl.DataFrame:
        if self.drop_column:
            return good.drop(self.drop_column)
        if self.row is None:
            return good
        rows = good.to_dicts()
        changed = {**rows[self.row], **self.values}
        rows = [*rows, changed] if self.append_copy else [changed if i == self.row else r for i, r in enumerate(rows)]
        return pl.DataFrame(rows, schema=good.schema, orient="row")

    def offending_report(self, good: pl.DataFrame) -> str | None:
        """The report the bad row belongs to, if the bad data sits in one row of a report."""
        if self.drop_column or self.runtime_params or "report_id" not in good.columns:
            return None
        return {**good.row(self.row, named=True), **self.values}["report_id"]


def set_(row: int = 0, **values: Any) -> Violation:
    return Violation(row=row, values=values)


def copy_of(row: int = 0, **values: Any) -> Violation:
    return Violation(row=row, values=values, append_copy=True)


def drop(column: str) -> Violation:
    return Violation(row=None, drop_column=column)


def named(expectation_type: str, *columns: str, condition: str | None = None) -> str:
    """The readable name `validation` gives an expectation (pinned here independently)."""
    return f"{expectation_type}({', '.join(columns)}{f' if {condition}' if condition else ''})"


def nn(column: str, condition: str | None = None) -> str:
    return named("expect_column_values_to_not_be_null", column, condition=condition)


def between(column: str, condition: str | None = None) -> str:
    return named("expect_column_values_to_be_between", column, condition=condition)


def in_set(column: str) -> str:
    return named("expect_column_values_to_be_in_set", column)


def unique(column: str, condition: str | None = None) -> str:
    return named("expect_column_values_to_be_unique", column, condition=condition)


def regex(column: str) -> str:
    return named("expect_column_values_to_match_regex", column)


def greater(a: str, b: str) -> str:
    return named("expect_column_pair_values_a_to_be_greater_than_b", a, b)


def compound(*columns: str) -> str:
    return named("expect_compound_columns_to_be_unique", *columns)


COLUMNS = named("expect_table_columns_to_match_set")
ROW_COUNT = named("expect_table_row_count_to_be_between")
# The good mart frames have 2-3 rows: a previous warehouse of 100 means they shrank by over half.
SHRUNK_BY_MORE_THAN_HALF = Violation(row=None, runtime_params=mart_runtime_params(100))


def pages_violations() -> dict[str, Violation]:
    return {
        between("cited_pages_min"): set_(cited_pages=[0, 3]),
        between("cited_pages_max"): set_(cited_pages=[2, 501]),
    }


def offset_violations(row: dict[str, Any], *, in_text: bool) -> dict[str, Violation]:
    found = {
        nn("char_start"): set_(char_start=None),
        nn("char_end"): set_(char_end=None),
        between("char_start"): set_(char_start=-1),
        greater("char_end", "char_start"): set_(char_end=row["char_start"]),
    }
    if in_text:
        found |= {
            nn("report_text_length"): set_(report_text_length=None),
            greater("report_text_length", "char_end"): set_(char_end=TEXT_LENGTH[row["report_id"]] + 1),
        }
    return found


def published_at_violations(row: int = 0) -> dict[str, Violation]:
    return {
        nn("published_at"): set_(row, published_at=None),
        between("published_at"): set_(row, published_at=datetime(1999, 12, 31, 23, 59)),
    }


def metric_value_violations() -> dict[str, Violation]:
    # Row 0 is 80 billion yuan in 2024 with no range.
    return {
        nn("value"): set_(value=None),
        nn("unit"): set_(unit=None),
        regex("unit"): set_(unit="yuan"),
        between("value", 'unit == "%"'): set_(unit="%", value=100_001.0),
        between("value", 'unit == "pp"'): set_(unit="pp", value=1_001.0),
        between("value", 'unit == "x"'): set_(unit="x", value=10_001.0),
        between("value", 'unit == "count"'): set_(unit="count", value=-1.0),
        between("value", 'unit not in ["%", "pp", "x", "count"]'): set_(value=2.0e15),
        greater("value_high", "value"): set_(value_high=1.0),
        in_set("qualifier"): set_(qualifier="roughly"),
        between("fiscal_year"): set_(fiscal_year=2101),
    }


def claim_content_violations() -> dict[str, Violation]:
    return {
        nn("section"): set_(section=None),
        in_set("section"): set_(section="Investment Recommendations"),
        nn("claim_text"): set_(claim_text=None),
        named("expect_column_value_lengths_to_be_between", "claim_text"): set_(claim_text=""),
    }


VIOLATIONS: dict[str, dict[str, Violation]] = {
    "audit_files": {
        COLUMNS: drop("received_at"),
        nn("source_file"): set_(source_file=None),
        nn("size_bytes"): set_(size_bytes=None),
        between("size_bytes"): set_(size_bytes=-1),
        nn("received_at"): set_(received_at=None),
        regex("content_sha256"): set_(content_sha256="not a hash"),
        nn("status"): set_(status=None),
        in_set("status"): set_(status="received"),
        nn("reason", 'status == "quarantined"'): set_(2, reason=None),
        nn("report_id", 'status != "quarantined"'): set_(report_id=None),
        unique("content_sha256", 'status == "loaded"'): set_(1, content_sha256=SHA_A),
        unique("report_id", 'status == "loaded"'): set_(1, report_id="r1"),
    },
    "raw_reports": {
        COLUMNS: drop("title"),
        nn("report_id"): set_(report_id=None),
        unique("report_id"): copy_of(),
        nn("broker_raw"): set_(broker_raw=None),
        **published_at_violations(),
        nn("report_type"): set_(report_type=None),
        in_set("report_type"): set_(report_type="weekly"),
        nn("subject_company_code", 'report_type == "company"'): set_(1, subject_company_code=None),
        regex("subject_company_code"): set_(1, subject_company_code="300308):"),
        nn("text"): set_(text=None),
    },
    "raw_claims": {
        COLUMNS: drop("subsection"),
        nn("report_id"): set_(report_id=None),
        nn("claim_seq"): set_(claim_seq=None),
        between("claim_seq"): set_(claim_seq=0),
        compound("report_id", "claim_seq"): copy_of(),
        **claim_content_violations(),
        **pages_violations(),
        **offset_violations(CLAIM_ROWS[0], in_text=True),
    },
    "raw_metrics": {
        COLUMNS: drop("per_unit"),
        nn("report_id"): set_(report_id=None),
        nn("metric_seq"): set_(metric_seq=None),
        between("metric_seq"): set_(metric_seq=0),
        compound("report_id", "metric_seq"): copy_of(),
        between("claim_seq"): set_(claim_seq=0),
        nn("raw_text"): set_(raw_text=None),
        **metric_value_violations(),
        nn("measure"): set_(measure=None),
        in_set("measure"): set_(measure="profit"),
        nn("change_basis"): set_(change_basis=None),
        in_set("change_basis"): set_(change_basis="wow"),
        in_set("direction"): set_(direction="flat"),
        **offset_violations(METRIC_ROWS[0], in_text=True),
    },
    "raw_ratings": {
        COLUMNS: drop("action_raw"),
        nn("report_id"): set_(report_id=None),
        unique("report_id"): copy_of(),
        nn("scope"): set_(scope=None),
        in_set("scope"): set_(scope="sector"),
        nn("rating_raw"): set_(rating_raw=None),
        **pages_violations(),
        **offset_violations({"report_id": "r1", "char_start": 0}, in_text=True),
    },
    "raw_recommendations": {
        COLUMNS: drop("theme"),
        nn("report_id"): set_(report_id=None),
        nn("theme_seq"): set_(theme_seq=None),
        between("theme_seq"): set_(theme_seq=0),
        nn("company_seq"): set_(company_seq=None),
        between("company_seq"): set_(company_seq=0),
        compound("report_id", "theme_seq", "company_seq"): copy_of(),
        nn("theme"): set_(theme=None),
        nn("company_name_raw"): set_(company_name_raw=None),
        **pages_violations(),
    },
    "raw_entity_mentions": {
        COLUMNS: drop("entity_name"),
        nn("report_id"): set_(report_id=None),
        nn("claim_seq"): set_(claim_seq=None),
        between("claim_seq"): set_(claim_seq=0),
        nn("entity_name"): set_(entity_name=None),
        **offset_violations({"report_id": "r1", "char_start": 60}, in_text=True),
    },
    # A mart suite holds the shrink guard only: its keys, grain, relationships and vocabularies are dbt
    # tests, the values of its rows the raw suites' (tests/integration/test_dbt_project.py, above).
    "marts_dim_broker": {ROW_COUNT: SHRUNK_BY_MORE_THAN_HALF},
    "marts_dim_industry": {ROW_COUNT: SHRUNK_BY_MORE_THAN_HALF},
    "marts_dim_company": {ROW_COUNT: SHRUNK_BY_MORE_THAN_HALF},
    "marts_dim_date": {ROW_COUNT: SHRUNK_BY_MORE_THAN_HALF},
    "marts_dim_report": {ROW_COUNT: SHRUNK_BY_MORE_THAN_HALF},
    "marts_fct_claim": {ROW_COUNT: SHRUNK_BY_MORE_THAN_HALF},
    "marts_fct_metric": {ROW_COUNT: SHRUNK_BY_MORE_THAN_HALF},
    "marts_fct_recommendation": {ROW_COUNT: SHRUNK_BY_MORE_THAN_HALF},
    "marts_fct_rating": {ROW_COUNT: SHRUNK_BY_MORE_THAN_HALF},
    "marts_fct_entity_mention": {ROW_COUNT: SHRUNK_BY_MORE_THAN_HALF},
}

# ---------------------------------------------------------------- tests


def validate(suite: str, data: pl.DataFrame, runtime_params: dict[str, Any] | None = None):
    params = runtime_params or (mart_runtime_params(data.height) if suite.startswith("marts_") else None)
    return validate_frame(
        suite, number_rows(data), table_name=suite.replace("_", ".", 1), runtime_params=params
    ).outcomes


def names(suite: str) -> list[str]:
    return [expectation_name(config) for config in read_suite(suite)["expectations"]]


def test_every_suite_has_good_data_and_violations() -> None:
    assert sorted(GOOD) == sorted(VIOLATIONS) == suite_names()


@pytest.mark.parametrize("suite", sorted(VIOLATIONS))
def test_each_expectation_of_the_suite_has_a_violation(suite: str) -> None:
    assert sorted(VIOLATIONS[suite]) == sorted(names(suite))


@pytest.mark.parametrize("suite", sorted(GOOD))
def test_good_data_passes(suite: str) -> None:
    failed = [o for o in validate(suite, GOOD[suite]) if not o.success]
    assert failed == []


CASES = [(suite, name) for suite in sorted(VIOLATIONS) for name in names(suite)]


@pytest.mark.parametrize(("suite", "name"), CASES, ids=[f"{s}:{n}" for s, n in CASES])
def test_violation_fails_exactly_its_expectation(suite: str, name: str) -> None:
    violation = VIOLATIONS[suite][name]
    good = GOOD[suite]
    bad = violation.apply(good)
    outcomes = validate(suite, bad, violation.runtime_params)
    failed = {o.expectation for o in outcomes if not o.success}
    target = next(o for o in outcomes if o.expectation == name)
    if violation.drop_column:
        # Expectations on a missing column cannot be evaluated, so they fail too, with an error.
        collateral = {o.expectation for o in outcomes if o.error and violation.drop_column in o.expectation}
        assert failed == {name} | collateral
        return
    assert failed == {name}
    assert all(o.error is None for o in outcomes)
    quarantined = reports_failing_row_checks(outcomes)
    held = rows_failing_row_checks(outcomes)
    stopping = publish_blocking_failures(outcomes)
    if target.level == ROW:
        offending = violation.offending_report(good)
        assert target.failing_report_ids == (offending,)
        assert target.failing_rows and all(bad["report_id"][row] == offending for row in target.failing_rows)
        whole_report = target.table_name == "raw.reports"  # the report's own row: quarantined whole
        assert quarantined == (
            {offending: f"failed {suite}: {name} ({target.why})"} if target.blocking and whole_report else {}
        )
        assert held == (
            {target.table_name: {row: [target] for row in target.failing_rows}}
            if target.blocking and not whole_report
            else {}
        )
        assert stopping == []
    else:
        assert target.level == BATCH
        assert quarantined == {} and held == {}
        assert stopping == ([target] if target.blocking else [])
