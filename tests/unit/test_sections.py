"""Sections, sub-sections and bullets: headings found by position, bullets with clean text, pages and spans."""

from __future__ import annotations

import pytest

from pipelines.extraction.sections import Bullet, announces_forecasts, citation_pages, clean_text, parse_sections


def parse(text: str) -> list[Bullet]:
    return parse_sections(text, 0, len(text))


def outline(text: str) -> list[tuple[str | None, str | None, str, tuple[int, ...]]]:
    return [(b.section, b.subsection, b.text, b.pages) for b in parse(text)]


SEED_STYLE = (
    'Core Views - The edge side is expected to embrace "+AI" ByteDance has launched AI earphones [1][25] '
    '- Capex is expected to accelerate [11][22] Key Points by Section Edge Side "+AI" - AI+Hardware '
    "devices grew 15-20% year-on-year in 2024-2026 [3] - Toys are a new entry point [4] Computing Power "
    "- Demand rose [5] Risk Warning - AI capex falls short; competition intensifies [11]"
)


def test_seed_style_single_line() -> None:
    assert outline(SEED_STYLE) == [
        ("Core Views", None, 'The edge side is expected to embrace "+AI" ByteDance has launched AI earphones', (1, 25)),
        ("Core Views", None, "Capex is expected to accelerate", (11, 22)),
        ("Key Points by Section", 'Edge Side "+AI"', "AI+Hardware devices grew 15-20% year-on-year in 2024-2026", (3,)),
        ("Key Points by Section", 'Edge Side "+AI"', "Toys are a new entry point", (4,)),
        ("Key Points by Section", "Computing Power", "Demand rose", (5,)),
        ("Risk Warning", None, "AI capex falls short; competition intensifies", (11,)),
    ]


def test_span_is_the_bullet_without_dash_and_trailing_citations() -> None:
    for bullet in parse(SEED_STYLE):
        span = SEED_STYLE[bullet.start : bullet.end]
        assert span == bullet.text
        assert not span.startswith(("-", " ")) and not span.endswith(("]", " "))


def test_wrapped_lines_blank_lines_and_heading_lines() -> None:
    text = (
        "Core Views\r\n"
        "- Market style is rotating toward emotional consumption and AI applications, and toy\r\n"
        "  stocks have led the market [1][3]\r\n"
        "\r\n"
        "Main Points\r\n"
        "IP and Content\r\n"
        "- Ne Zha 2 grossed over 15 billion yuan [8]\r\n"
        "AI Applications\r\n"
        "- AI-native games could raise production efficiency by 3-5 times,\r\n"
        "  benefiting companies with large IP libraries\r\n"
        "Valuation and Positioning\r\n"
        "- The sector trades at 28x forward PE [13]\r\n"
    )
    bullets = parse(text)
    assert [(b.section, b.subsection, b.pages) for b in bullets] == [
        ("Core Views", None, (1, 3)),
        ("Main Points", "IP and Content", (8,)),
        ("Main Points", "AI Applications", ()),
        ("Main Points", "Valuation and Positioning", (13,)),
    ]
    assert bullets[0].text == (
        "Market style is rotating toward emotional consumption and AI applications, and toy stocks have led the market"
    )
    assert "\r\n" in text[bullets[0].start : bullets[0].end]
    assert bullets[2].text.endswith("benefiting companies with large IP libraries")


@pytest.mark.parametrize("mark", ["•", "–", "—", "●", "▪"])
def test_other_bullet_glyphs(mark: str) -> None:
    text = SEED_STYLE.replace(" - ", f" {mark} ")
    assert outline(text) == outline(SEED_STYLE)


@pytest.mark.parametrize("mark", ["- ", "• ", "* ", "· ", "–"])
def test_one_bullet_per_line(mark: str) -> None:
    text = f"Summary\n{mark}First point rose 5% [1]\n{mark}Second point [2]\nRisk Factors\n{mark}Rates rise [3]\n"
    assert outline(text) == [
        ("Summary", None, "First point rose 5%", (1,)),
        ("Summary", None, "Second point", (2,)),
        ("Risk Factors", None, "Rates rise", (3,)),
    ]


def test_full_width_citations_and_colons() -> None:
    text = "Core Views - Results beat expectations ［1］［2］ - Licensing income grew ［3］"
    assert outline(text) == [
        ("Core Views", None, "Results beat expectations", (1, 2)),
        ("Core Views", None, "Licensing income grew", (3,)),
    ]


def test_spaced_dashes_that_are_text_do_not_split_bullets() -> None:
    text = (
        "Core Views - Prices fell 5 - 10% in H1 [1] - Margins — already thin — shrank further [2] "
        "- Exports rose - up 7% - as demand held [3]"
    )
    assert [b.text for b in parse(text)] == [
        "Prices fell 5 - 10% in H1",
        "Margins — already thin — shrank further",
        "Exports rose - up 7% - as demand held",
    ]


def test_bullet_without_citations_followed_by_a_bullet() -> None:
    text = (
        "Key Points by Section Grid - Investment will exceed 300 billion yuan a year under the plan "
        "- Smart meter tenders rose about 20% [11] Overseas - Exports grew [12]"
    )
    assert outline(text) == [
        ("Key Points by Section", "Grid", "Investment will exceed 300 billion yuan a year under the plan", ()),
        ("Key Points by Section", "Grid", "Smart meter tenders rose about 20%", (11,)),
        ("Key Points by Section", "Overseas", "Exports grew", (12,)),
    ]


def test_heading_run_into_a_bullet_without_citations() -> None:
    text = (
        "Key Points by Section Individual Business - Revenue rose [5] Institutional Business - Licensing revenue "
        "declined, but tenders resumed in the fourth quarter Overseas - Revenue was 183 million yuan [8]"
    )
    assert outline(text)[1:] == [
        (
            "Key Points by Section",
            "Institutional Business",
            "Licensing revenue declined, but tenders resumed in the fourth quarter",
            (),
        ),
        ("Key Points by Section", "Overseas", "Revenue was 183 million yuan", (8,)),
    ]


def test_proper_name_ending_a_bullet_is_not_a_heading() -> None:
    text = (
        "Key Points by Section Policy - Net inflows exceeded 1 trillion yuan, led by Central Huijin "
        "- Funds kept buying [9]"
    )
    assert outline(text) == [
        ("Key Points by Section", "Policy", "Net inflows exceeded 1 trillion yuan, led by Central Huijin", ()),
        ("Key Points by Section", "Policy", "Funds kept buying", (9,)),
    ]


def test_known_section_run_into_a_bullet_without_citations() -> None:
    text = (
        "Profit Forecast and Valuation - Target price of 9 yuan, based on 15x 2025 PE Risk Warnings - Prices fall [13]"
    )
    assert outline(text) == [
        ("Profit Forecast and Valuation", None, "Target price of 9 yuan, based on 15x 2025 PE", ()),
        ("Risk Warnings", None, "Prices fall", (13,)),
    ]


def test_unknown_heading_after_a_section_without_subsections_opens_a_section() -> None:
    text = (
        "Investment Highlights - Orders doubled [1] Our Take - We stay positive [2] "
        "Main Points Pricing - Prices rose [4] Volumes - Up [5]"
    )
    assert outline(text) == [
        ("Investment Highlights", None, "Orders doubled", (1,)),
        ("Our Take", None, "We stay positive", (2,)),
        ("Main Points", "Pricing", "Prices rose", (4,)),
        ("Main Points", "Volumes", "Up", (5,)),
    ]


def test_blank_line_before_an_unknown_heading_opens_a_section() -> None:
    text = "Key Points by Section\nGrid\n- Investment rose [1]\n\nMarket Outlook\n- Demand holds [2]\n"
    assert outline(text) == [
        ("Key Points by Section", "Grid", "Investment rose", (1,)),
        ("Market Outlook", None, "Demand holds", (2,)),
    ]


def test_section_heading_with_colon_and_no_dash() -> None:
    text = "Core Views: - Orders doubled [1] Risk Warnings: Coal prices rebound; demand weakens [9]"
    assert outline(text) == [
        ("Core Views", None, "Orders doubled", (1,)),
        ("Risk Warnings", None, "Coal prices rebound; demand weakens", (9,)),
    ]


def test_summary_without_any_bullet_marker_is_one_claim() -> None:
    text = "Demand for AI servers keeps rising and margins improve [2][3]"
    assert outline(text) == [(None, None, "Demand for AI servers keeps rising and margins improve", (2, 3))]


def test_citation_helpers() -> None:
    assert citation_pages("a [1][25] b ［12］ c [3, 5]") == (1, 25, 12, 3, 5)
    assert clean_text("  a [1]\r\n   b［2］ ") == "a b"


@pytest.mark.parametrize(
    ("section", "subsection", "announces"),
    [
        ("Profit Forecast and Valuation", None, True),
        ("盈利预测与估值", None, True),
        ("Key Points by Section", "Industry Outlook", True),
        ("Core Views", None, False),
        ("Risk Warnings", "Overseas", False),
        (None, None, False),
    ],
)
def test_a_heading_announces_forecasts_in_english_or_chinese(
    section: str | None, subsection: str | None, announces: bool
) -> None:
    assert announces_forecasts(section, subsection) is announces
