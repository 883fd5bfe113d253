"""Rating header: scope, rating and action as written, cited pages, span; absent when the summary has none."""

from __future__ import annotations

import pytest

from pipelines.extraction.ratings import find_rating_header, resolve_scope


def header_of(text: str):
    return find_rating_header(text, 0, len(text))


@pytest.mark.parametrize(
    ("text", "scope", "raw", "action", "pages"),
    [
        (
            "Industry Investment Rating - Overweight (Maintained) [11] Core Views - x",
            "industry",
            "Overweight",
            "Maintained",
            (11,),
        ),
        ("Investment Rating: Buy (Maintained) [1] Core Views - x", None, "Buy", "Maintained", (1,)),
        ("Rating - Accumulate (Upgraded) Core Views - x", None, "Accumulate", "Upgraded", ()),
        ("Industry Rating: Neutral (Downgraded) [2][3]\nCore Views - x", "industry", "Neutral", "Downgraded", (2, 3)),
        ("Investment Rating - Outperform (First Coverage) [1] Core Views", None, "Outperform", "First Coverage", (1,)),
        ("Rating：Accumulate（Maintained）［1］ Core Views", None, "Accumulate", "Maintained", (1,)),
        ("Company Rating: Strong Buy (Initiated) [4] Summary", "company", "Strong Buy", "Initiated", (4,)),
        ("\ufeff  Investment Rating - Market Perform (Maintained) [1]", None, "Market Perform", "Maintained", (1,)),
        ("行业投资评级：增持（维持）［1］ Core Views", "industry", "增持", "维持", (1,)),
        ("投资评级：买入（首次覆盖） Core Views", None, "买入", "首次覆盖", ()),
        ("Rating - Top Pick (Maintained) [1] Core Views", None, "Top Pick", "Maintained", (1,)),
        ("Investment Rating: Buy, Maintained [1] Core Views - x", None, "Buy", "Maintained", (1,)),
        ("Investment Rating: Buy Core Views - Orders (AI) rose", None, "Buy", None, ()),
    ],
)
def test_header_variants(text: str, scope: str | None, raw: str, action: str | None, pages: tuple) -> None:
    header = header_of(text)
    assert (header.scope, header.rating_raw, header.action_raw, header.pages) == (scope, raw, action, pages)


def test_span_and_where_the_summary_continues() -> None:
    text = "Industry Investment Rating - Overweight (Maintained) [11] Core Views - x"
    header = header_of(text)
    assert text[header.start : header.end] == "Industry Investment Rating - Overweight (Maintained)"
    assert text[header.body_start :].lstrip().startswith("Core Views")


@pytest.mark.parametrize(
    "text",
    [
        "Core Views - Demand rose (slightly) [1]",
        "Main Points - Ratings agencies (Moody's) cut the outlook [1]",
        "Rating agencies (Moody's) cut the outlook [1]",
    ],
)
def test_no_header(text: str) -> None:
    assert header_of(text) is None


def test_scope_falls_back_to_the_subject_company() -> None:
    company = header_of("Investment Rating: Buy (Maintained)")
    industry = header_of("Industry Investment Rating: Buy (Maintained)")
    assert resolve_scope(company, has_subject_company=True) == "company"
    assert resolve_scope(company, has_subject_company=False) == "industry"
    assert resolve_scope(industry, has_subject_company=True) == "industry"
