"""Investment Recommendations: one row per company under each theme, companies as written."""

from __future__ import annotations

import pytest

from pipelines.extraction.recommendations import is_recommendation_section, parse_recommendations, split_theme
from pipelines.extraction.sections import parse_sections


@pytest.mark.parametrize(
    ("text", "theme", "companies"),
    [
        (
            'Edge side "+AI": Intellifusion, Espressif, BES, and DAR Electronics',
            'Edge side "+AI"',
            ["Intellifusion", "Espressif", "BES", "DAR Electronics"],
        ),
        (
            "Reducers, motors and sensors: Leaderdrive, Inovance, Moons' Electric, and Keli Sensing",
            "Reducers, motors and sensors",
            ["Leaderdrive", "Inovance", "Moons' Electric", "Keli Sensing"],
        ),
        (
            "Operators: China Mobile, China Telecom and China Unicom",
            "Operators",
            ["China Mobile", "China Telecom", "China Unicom"],
        ),
        ("Banks：ICBC、Bank of China；Bank of Ningbo", "Banks", ["ICBC", "Bank of China", "Bank of Ningbo"]),
        ("Cobalt: Huayou Cobalt and CMOC", "Cobalt", ["Huayou Cobalt", "CMOC"]),
        ("Cobalt: Huayou Cobalt", "Cobalt", ["Huayou Cobalt"]),
        ("Insurers: China Life, Ping An, etc.", "Insurers", ["China Life", "Ping An"]),
        (
            "Brokers: Bank of Communications & Co, and East Money",
            "Brokers",
            ["Bank of Communications & Co", "East Money"],
        ),
    ],
)
def test_theme_and_companies(text: str, theme: str, companies: list[str]) -> None:
    assert split_theme(text) == (theme, companies)


def test_bullet_without_theme_is_not_a_recommendation() -> None:
    assert split_theme("We recommend leading brokers with strong capital") is None


def test_rows_are_numbered_by_theme_and_company_with_pages() -> None:
    text = (
        "Investment Recommendations - Operators: China Mobile, and China Unicom [19] "
        "- We like the sector [20] - Satellite internet: China Satellite [20][21]"
    )
    rows = parse_recommendations(parse_sections(text, 0, len(text)))
    assert [(r.theme_seq, r.theme, r.company_seq, r.company_name_raw, r.pages) for r in rows] == [
        (1, "Operators", 1, "China Mobile", (19,)),
        (1, "Operators", 2, "China Unicom", (19,)),
        (2, "Satellite internet", 1, "China Satellite", (20, 21)),
    ]


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ("Investment Recommendations", True),
        ("Investment Suggestions", True),
        ("Recommended Stocks", True),
        ("Core Views", False),
        ("Risk Warnings", False),
        (None, False),
    ],
)
def test_recommendation_sections(section: str | None, expected: bool) -> None:
    assert is_recommendation_section(section) is expected
