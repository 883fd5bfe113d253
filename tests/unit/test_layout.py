"""Layout: summary / title line / source line as spans, the source line parsed, the industry prefix split off."""

from __future__ import annotations

from datetime import datetime

import pytest

from pipelines.extraction.decoding import ReportRejected
from pipelines.extraction.layout import SubjectCompany, classify_report_type, parse_title_line, split_layout

SUMMARY = "Industry Investment Rating - Overweight (Maintained) [11] Core Views - Demand rose [1]"
TITLE = "计算机计算机行业跟踪周报:从字节大会看算力产业的三个趋势"
SOURCE = "东吴证券·2024-12-24 03:36"


def title_of(line: str):
    return parse_title_line(line, 0, len(line))


def test_three_parts_are_found_as_spans() -> None:
    text = f"{SUMMARY}\n{TITLE}\n{SOURCE}"
    layout = split_layout(text)
    assert text[layout.summary_start : layout.summary_end] == SUMMARY
    assert text[layout.title.start : layout.title.end] == TITLE
    assert text[layout.source.start : layout.source.end] == SOURCE
    assert (layout.source.broker, layout.source.published_at) == ("东吴证券", datetime(2024, 12, 24, 3, 36))


def test_wrapped_summary_with_blank_lines_crlf_and_trailing_whitespace() -> None:
    summary = "Core Views\r\n- Demand rose [1]\r\n\r\nRisk Warnings\r\n- Demand falls [2]  "
    text = f"{summary}\r\n\r\n{TITLE}   \r\n{SOURCE}  \r\n\r\n"
    layout = split_layout(text)
    assert text[layout.summary_start : layout.summary_end] == summary
    assert layout.title.title == "计算机行业跟踪周报:从字节大会看算力产业的三个趋势"
    assert text[layout.source.start : layout.source.end] == SOURCE


@pytest.mark.parametrize(
    ("line", "broker", "published_at"),
    [
        ("广发证券 | 2024/11/18 09:12", "广发证券", datetime(2024, 11, 18, 9, 12)),
        ("中信建投｜2025-02-10 09:20", "中信建投", datetime(2025, 2, 10, 9, 20)),
        ("国泰君安·2025.01.20 09:30:15", "国泰君安", datetime(2025, 1, 20, 9, 30, 15)),
        ("申万宏源 2025年1月6日 07:32", "申万宏源", datetime(2025, 1, 6, 7, 32)),
        ("Guotai Junan · 2025-01-20", "Guotai Junan", datetime(2025, 1, 20)),
    ],
)
def test_source_line_variants(line: str, broker: str, published_at: datetime) -> None:
    layout = split_layout(f"{SUMMARY}\n{TITLE}\n{line}\n")
    assert (layout.source.broker, layout.source.published_at) == (broker, published_at)


@pytest.mark.parametrize(
    "line", ["东吴证券·2024-02-30 03:36", "东吴证券·2024-13-01 03:36", "东吴证券·2024-12-24 25:10"]
)
def test_impossible_publication_time_is_rejected(line: str) -> None:
    with pytest.raises(ReportRejected, match="impossible publication time"):
        split_layout(f"{SUMMARY}\n{TITLE}\n{line}")


def test_missing_source_line_is_rejected() -> None:
    with pytest.raises(ReportRejected, match="no source line"):
        split_layout(f"{SUMMARY}\n{TITLE}\n")


def test_missing_title_line_leaves_the_summary_whole() -> None:
    text = f"{SUMMARY}\n{SOURCE}"
    layout = split_layout(text)
    assert layout.title is None
    assert text[layout.summary_start : layout.summary_end] == SUMMARY


def test_stray_chinese_unit_does_not_make_a_summary_line_a_title() -> None:
    summary_line = "- Capex reached 80 亿元 in 2024, up 20% year-on-year as demand for servers kept rising [3]"
    layout = split_layout(f"Core Views\n{summary_line}\n{SOURCE}")
    assert layout.title is None


@pytest.mark.parametrize(
    ("line", "industry", "title"),
    [
        (TITLE, "计算机", "计算机行业跟踪周报:从字节大会看算力产业的三个趋势"),
        ("电力设备光伏行业深度跟踪:产业链价格跌破现金成本", "电力设备", "光伏行业深度跟踪:产业链价格跌破现金成本"),
        ("基础化工化工行业2023年中期策略:去库尚未结束", "基础化工", "化工行业2023年中期策略:去库尚未结束"),
        ("银行银行业2025年度投资策略:息差企稳可期", "银行", "银行业2025年度投资策略:息差企稳可期"),
        ("2025年A股投资策略:政策转向积极，慢牛格局可期", None, "2025年A股投资策略:政策转向积极，慢牛格局可期"),
        # the title itself starts with the industry word: nothing was prefixed, the industry is still named
        ("银行业2025年度投资策略:息差企稳可期", "银行", "银行业2025年度投资策略:息差企稳可期"),
        ("传媒行业点评:游戏市场规模创新高", "传媒", "传媒行业点评:游戏市场规模创新高"),
    ],
)
def test_industry_prefix_is_split_off_the_title(line: str, industry: str | None, title: str) -> None:
    parsed = title_of(line)
    assert (parsed.industry, parsed.title) == (industry, title)


@pytest.mark.parametrize(
    ("line", "company"),
    [
        ("通信中际旭创(300308):2024年报点评", SubjectCompany("中际旭创", "300308")),
        ("医药生物恒瑞医药（600276）：创新药收入占比近半", SubjectCompany("恒瑞医药", "600276")),
        ("电子首次覆盖:寒武纪(688256.SH):国产AI芯片龙头", SubjectCompany("寒武纪", "688256")),
        ("传媒腾讯控股(00700.HK):游戏回暖", SubjectCompany("腾讯控股", "00700")),
        ("电力设备光伏行业(2024)深度跟踪", None),
    ],
)
def test_subject_company_from_name_and_code(line: str, company: SubjectCompany | None) -> None:
    assert title_of(line).subject_company == company


@pytest.mark.parametrize(
    ("line", "rating_scope", "summary", "expected"),
    [
        ("通信中际旭创(300308):2024年报点评", "company", "", "company"),
        ("通信中际旭创(300308):2024年报点评", None, "", "company"),
        ("银行银行业2025年度投资策略:息差企稳可期", "industry", "", "industry"),
        ("传媒策略专题:AI应用与情绪消费共振", None, "", "strategy"),
        ("汽车宏观专题:以旧换新扩围加力", None, "", "macro"),
        ("2025年政府工作报告解读:目标稳中求进", None, "", "macro"),
        ("2025年A股投资策略:政策转向积极", None, "", "strategy"),
        ("电子半导体周报:存储涨价", None, "", "industry"),
        (None, "industry", "", "industry"),
        (None, None, "The GDP target is 5% and the CPI target 2%, with fiscal support", "macro"),
        (None, None, "A-shares should enter a bull market as the equity risk premium stays high", "strategy"),
        (None, None, "Nothing to go on", "other"),
    ],
)
def test_report_type(line: str | None, rating_scope: str | None, summary: str, expected: str) -> None:
    assert classify_report_type(title_of(line) if line else None, rating_scope, summary) == expected
