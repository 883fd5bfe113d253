"""extract_reports: every frame of schema.FRAMES, one row set per good report, a failure row per bad one."""

from __future__ import annotations

import json
from datetime import datetime

import polars as pl
import pytest

from pipelines.extraction import schema
from pipelines.extraction.decoding import decode_report
from pipelines.extraction.report import extract_reports
from tests.conftest import GOLD, SAMPLES, stated_values

COMPANY_REPORT = (
    "Investment Rating: Buy (Maintained) [1]\r\n"
    "Core Views - Revenue rose 22.6% to 23.86 billion yuan [1] - Margins widened [1][2] "
    "Key Points by Section Product Mix - 1.6T modules ramp up [4] "
    "Profit Forecast and Valuation - We set a target price of 130 yuan [10] "
    "Risk Warning - Capex falls short; competition intensifies [11]\r\n"
    "通信中际旭创(300308):2024年报点评:业绩符合预期\r\n"
    "中信证券·2025-04-22 07:12\r\n"
)
STRATEGY_REPORT = (
    "Main Points\n"
    "- A-shares should enter a slow bull market in 2025 [3]\n\n"
    "Investment Recommendations\n"
    "- Dividend stocks: ICBC, China Shenhua, and China Mobile [12]\n"
    "传媒策略专题:AI应用与情绪消费共振\n"
    "中信建投 | 2024/12/16 22:05\n"
)


def test_every_frame_has_its_schema_even_when_empty() -> None:
    frames = extract_reports([])
    assert list(frames) == list(schema.FRAMES)
    for name, frame in frames.items():
        assert frame.height == 0
        assert dict(frame.schema) == schema.FRAMES[name]


def test_company_report_rows() -> None:
    frames = extract_reports([("r1", COMPANY_REPORT)])
    assert frames["failures"].height == 0
    assert frames["reports"].row(0) == (
        "r1",
        "中信证券",
        datetime(2025, 4, 22, 7, 12),
        "通信",
        "中际旭创(300308):2024年报点评:业绩符合预期",
        "company",
        "中际旭创",
        "300308",
    )
    rating = frames["ratings"].row(0, named=True)
    assert (rating["scope"], rating["rating_raw"], rating["action_raw"], rating["cited_pages"]) == (
        "company",
        "Buy",
        "Maintained",
        [1],
    )
    claims = frames["claims"]
    assert claims["claim_seq"].to_list() == [1, 2, 3, 4, 5]
    assert claims.select("section", "subsection").rows() == [
        ("Core Views", None),
        ("Core Views", None),
        ("Key Points by Section", "Product Mix"),
        ("Profit Forecast and Valuation", None),
        ("Risk Warning", None),
    ]
    assert claims["cited_pages"].to_list() == [[1], [1, 2], [4], [10], [11]]
    for claim in claims.iter_rows(named=True):
        assert COMPANY_REPORT[claim["char_start"] : claim["char_end"]] == claim["claim_text"]
    assert frames["recommendations"].height == 0


def test_metric_kind_and_forecast_are_decided_where_the_text_is_read() -> None:
    """A level of a tracked measure has a kind; a figure is a forecast for a later year or under a forecast heading."""
    report = COMPANY_REPORT.replace("Margins widened", "Net profit will reach 3.1 billion yuan in 2026")
    metrics = extract_reports([("r1", report)])["metrics"]
    assert metrics.select("raw_text", "metric_kind", "is_forecast").rows() == [
        ("22.6%", None, False),  # a growth rate, in a Core Views bullet of 2025
        ("23.86 billion yuan", "revenue", False),
        ("3.1 billion yuan in 2026", "net_profit", True),  # a year after the report's
        ("130 yuan", "target_price", True),
    ]  # under "Profit Forecast and Valuation"


@pytest.mark.skipif(not GOLD.is_dir(), reason="the gold annotations are not checked out next to the repository")
def test_every_dev_corpus_value_is_the_nearest_double_to_its_stated_digits() -> None:
    """No value differs from the round trip of the digits its raw text states, times a scale word's multiplier."""
    metrics = extract_reports(_dev_corpus())["metrics"]
    assert not metrics.is_empty()
    for row in metrics.iter_rows(named=True):
        for value in (row["value"], row["value_high"]):
            if value is not None:
                assert value in stated_values(row["raw_text"]), (row["report_id"], row["raw_text"], value)


def test_recommendation_bullets_are_not_claims() -> None:
    frames = extract_reports([("r2", STRATEGY_REPORT)])
    assert frames["claims"]["claim_text"].to_list() == ["A-shares should enter a slow bull market in 2025"]
    assert frames["recommendations"].rows() == [
        ("r2", 1, "Dividend stocks", 1, "ICBC", [12]),
        ("r2", 1, "Dividend stocks", 2, "China Shenhua", [12]),
        ("r2", 1, "Dividend stocks", 3, "China Mobile", [12]),
    ]
    assert frames["reports"].select("industry_raw", "report_type").row(0) == ("传媒", "strategy")
    assert frames["ratings"].height == 0


def test_metric_offsets_point_into_the_decoded_text() -> None:
    metrics = extract_reports([("r1", COMPANY_REPORT)])["metrics"]
    assert metrics.height > 0
    assert metrics["metric_seq"].to_list() == list(range(1, metrics.height + 1))
    for metric in metrics.iter_rows(named=True):
        assert COMPANY_REPORT[metric["char_start"] : metric["char_end"]] == metric["raw_text"]


def test_bad_reports_become_failures_and_do_not_stop_the_batch() -> None:
    docs = [
        ("bad-date", COMPANY_REPORT.replace("2025-04-22", "2025-02-30")),
        ("no-source", "just some text"),
        ("good", COMPANY_REPORT),
    ]
    frames = extract_reports(docs)
    failures = dict(frames["failures"].rows())
    assert set(failures) == {"bad-date", "no-source"}
    assert "impossible publication time" in failures["bad-date"]
    assert "no source line" in failures["no-source"]
    for name in ("reports", "claims", "ratings"):
        assert frames[name]["report_id"].unique().to_list() == ["good"]


def test_an_unexpected_error_fails_only_that_report(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail_on_strategy(text: str) -> list:
        if "bull market" in text:
            raise RuntimeError("boom")
        return []

    monkeypatch.setattr("pipelines.extraction.report.find_metrics", fail_on_strategy)
    frames = extract_reports([("r1", COMPANY_REPORT), ("r2", STRATEGY_REPORT)])
    assert frames["failures"].rows() == [
        ("r2", "the extractor failed on this report (RuntimeError: boom); it is kept for re-extraction after a fix")
    ]
    assert frames["reports"]["report_id"].to_list() == ["r1"]
    assert set(frames["recommendations"]["report_id"]) == set()


def test_frames_concatenate_across_batches() -> None:
    first = extract_reports([("r1", COMPANY_REPORT)])
    second = extract_reports([("r2", STRATEGY_REPORT)])
    for name in schema.FRAMES:
        assert pl.concat([first[name], second[name]]).height == first[name].height + second[name].height


def _dev_corpus() -> list[tuple[str, str]]:
    return [
        (path.name, decode_report(path.read_bytes()).text)
        for path in sorted(SAMPLES.glob("*.txt"))
        if (GOLD / path.with_suffix(".json").name).exists()
    ]


@pytest.mark.skipif(not GOLD.is_dir(), reason="the gold annotations are not checked out next to the repository")
def test_dev_corpus_layout_matches_gold() -> None:
    """Report fields, rating, claims and recommendations of every annotated sample equal the gold."""
    docs = _dev_corpus()
    frames = extract_reports(docs)
    assert frames["failures"].height == 0 and len(docs) == len(list(GOLD.glob("*.json")))
    for report_id, _ in docs:
        gold = json.loads((GOLD / report_id.replace(".txt", ".json")).read_text(encoding="utf-8"))
        expected, rating = gold["report"], gold["report"]["rating"]
        report = frames["reports"].filter(pl.col("report_id") == report_id).row(0, named=True)
        subject = expected["subject_company"] or {}
        assert (
            report["broker_raw"],
            report["published_at"].strftime("%Y-%m-%d %H:%M"),
            report["industry_raw"],
            report["title"],
            report["report_type"],
            report["subject_company_name_cn"],
            report["subject_company_code"],
        ) == (
            expected["broker_cn"],
            expected["published_at"],
            expected["industry_cn"],
            expected["title_cn"],
            expected["report_type"],
            subject.get("name_cn"),
            subject.get("code"),
        ), report_id
        ratings = frames["ratings"].filter(pl.col("report_id") == report_id)
        assert ratings.select("scope", "rating_raw", "action_raw", "cited_pages").rows() == (
            [(rating["scope"], rating["raw"], rating["action_raw"], rating["pages"])] if rating else []
        ), report_id
        claims = frames["claims"].filter(pl.col("report_id") == report_id)
        assert claims.select("section", "subsection", "claim_text", "cited_pages").rows() == [
            (c["section"], c["subsection"], c["text"], c["pages"]) for c in gold["claims"]
        ], report_id
        recommendations = frames["recommendations"].filter(pl.col("report_id") == report_id)
        assert recommendations.select("theme", "company_name_raw", "cited_pages").rows() == [
            (r["theme"], company, r["pages"]) for r in gold["recommendations"] for company in r["companies"]
        ], report_id


def test_a_company_named_in_full_is_found_by_its_short_form_in_later_claims() -> None:
    text = (
        "Core Views - Orbix Lifestyle Holdings posted revenue of 2 billion yuan [1] "
        "- Demand for Orbix stores rose in lower-tier cities [2]\r\n"
        "社会服务酒店行业点评:需求回暖\r\n"
        "华创证券·2025-05-08 07:45\r\n"
    )
    mentions = extract_reports([("r1", text)])["entity_mentions"]
    assert mentions.select("claim_seq", "entity_name").rows() == [(1, "Orbix Lifestyle Holdings"), (2, "Orbix")]
    spans = mentions.select("entity_name", "char_start", "char_end").rows()
    assert all(text[start:end] == name for name, start, end in spans)
