"""What a figure measures, its change basis and its direction (SPEC), on sentences written for the tests."""

from __future__ import annotations

import json
from difflib import SequenceMatcher

import pytest

from pipelines.extraction.decoding import decode_report
from pipelines.extraction.measures import CHANGE_BASES, DIRECTIONS, MEASURES, read_figures
from pipelines.extraction.metrics import find_metrics
from pipelines.extraction.report import extract_report
from tests.conftest import GOLD


def readings(claim: str, section: str | None = None, subsection: str | None = None) -> dict[str, tuple]:
    figures = find_metrics(claim)
    return {
        f.raw_text: (r.measure, r.change_basis, r.direction)
        for f, r in zip(figures, read_figures(claim, figures, section, subsection), strict=False)
    }


def reading(claim: str, raw_text: str, **where: str) -> tuple:
    found = readings(claim, **where)
    assert raw_text in found, found
    return found[raw_text]


# --- measure: one case per value, in the SPEC's order -------------------------------------------------------


@pytest.mark.parametrize(
    ("claim", "figure", "measure"),
    [
        ("We lift our target price to 88.00 yuan on stronger orders", "88.00 yuan", "target_price"),
        ("We forecast EPS of 2.10/2.45 yuan for 2025-2026", "EPS of 2.10/2.45 yuan", "eps"),
        ("The stock trades at 18x 2026 PE after the sell-off", "18x 2026 PE", "pe"),
        ("Insurers trade at only 0.8x PB, below the historical median", "0.8x", "valuation_other"),
        ("Utilities offer a dividend yield of 4.2% in a low-rate environment", "4.2%", "dividend"),
        ("Operating revenue reached 31.5 billion yuan in 2024", "31.5 billion yuan in 2024", "revenue"),
        ("Net profit attributable to shareholders was 2.8 billion yuan", "2.8 billion yuan", "net_profit"),
        ("Gross profit came to 900 million yuan as volumes recovered", "900 million yuan", "profit_other"),
        ("Gross margin held at 41.5% despite price competition", "41.5%", "margin"),
        ("ROE improved to 14.2% on higher asset turnover", "14.2%", "return_ratio"),
        ("The operator plans capital expenditure of 120 billion yuan", "120 billion yuan", "capex"),
        ("The domestic robotics market should reach 70 billion yuan by 2028", "70 billion yuan by 2028", "market_size"),
        ("Domestic suppliers now hold a market share of about 35%", "about 35%", "market_share"),
        ("The company shipped 2.4 million inverters last year", "2.4 million inverters", "volume"),
        ("Lithium carbonate traded at about 75,000 yuan per ton", "about 75,000 yuan per ton", "price"),
        ("The semiconductor index rose 12% this month, outperforming the market", "12%", "stock_return"),
        ("The central bank injected 500 billion yuan through special bonds", "500 billion yuan", "macro"),
        ("R&D expenses climbed to 3.1 billion yuan", "3.1 billion yuan", "other"),
    ],
)
def test_each_measure_is_named_by_the_words_around_its_figure(claim: str, figure: str, measure: str) -> None:
    assert reading(claim, figure)[0] == measure


def test_the_nearest_subject_names_each_figure_of_a_results_sentence() -> None:
    found = readings("Revenue rose 18.5% to 9.2 billion yuan, and net profit rose 25.0% to 1.1 billion yuan")
    assert found == {
        "18.5%": ("revenue", "change", "up"),
        "9.2 billion yuan": ("revenue", "level", None),
        "25.0%": ("net_profit", "change", "up"),
        "1.1 billion yuan": ("net_profit", "level", None),
    }


def test_a_forecast_line_gives_every_listed_year_its_measure() -> None:
    claim = "We forecast net profit of 3.1/3.6/4.2 billion yuan for 2025-2027, corresponding to PE of 30/26/22x"
    assert {r[:2] for r in readings(claim).values()} == {("net_profit", "level"), ("pe", "level")}
    assert [r.measure for r in read_figures(claim, find_metrics(claim))] == ["net_profit"] * 3 + ["pe"] * 3


def test_a_share_of_own_revenue_is_revenue_and_a_share_of_an_industry_is_market_share() -> None:
    assert reading("Overseas markets contributed over 45% of the company's revenue", "over 45%")[:2] == (
        "revenue",
        "level",
    )
    assert reading("Domestic makers accounted for 60% of global module shipments", "60%")[:2] == (
        "market_share",
        "level",
    )


def test_units_decide_what_sales_are() -> None:
    assert reading("Sales of the new drug reached 1.2 billion yuan", "1.2 billion yuan")[0] == "revenue"
    assert reading("Excavator sales reached 18,000 units in March", "18,000 units")[0] == "volume"


def test_a_per_share_figure_is_eps_unless_it_is_a_dividend_or_a_target() -> None:
    assert reading("The board proposed a dividend of 1.20 yuan per share", "1.20 yuan per share")[0] == "dividend"
    assert reading("Our reasonable value range is 40-46 yuan per share", "40-46 yuan per share")[0] == "target_price"


def test_whole_economy_and_policy_figures_are_macro() -> None:
    assert reading("The 10-year government bond yield fell below 1.7%", "below 1.7%") == ("macro", "level", None)
    assert reading("Margin financing balances climbed above 2 trillion yuan", "above 2 trillion yuan")[0] == "macro"
    assert reading("CPI rose 0.5% year on year in May", "0.5%") == ("macro", "yoy", "up")


def test_the_upside_to_a_target_price_is_a_stock_return_change() -> None:
    assert reading("Our target price of 30.00 yuan offers about 20% upside", "about 20%") == (
        "stock_return",
        "change",
        "up",
    )


# --- change basis -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("claim", "figure", "basis"),
    [
        ("Revenue grew 12% year-on-year to 4 billion yuan", "12%", "yoy"),
        ("Gross margin improved 1.2 pp quarter-on-quarter", "1.2 pp", "qoq"),
        ("New accounts rose 40% month on month in November", "40%", "mom"),
        ("Demand should grow at a CAGR of 25% over 2024-2027", "25%", "cagr"),
        ("Net profit rose 30% in H1 2025", "30% in H1 2025", "yoy"),  # a named reporting period makes growth yoy
        ("Shipments jumped 60% on new orders", "60%", "change"),  # no period named
        ("Spot prices have fallen 35% since March", "35%", "change"),  # since a date
        ("The new module costs 40% less than the previous generation", "40%", "change"),  # a comparison
        ("Shipments reached 3 million units", "3 million units", "level"),
    ],
)
def test_change_basis(claim: str, figure: str, basis: str) -> None:
    assert reading(claim, figure)[1] == basis


def test_a_sector_move_is_a_change_even_within_a_year() -> None:
    assert reading("The bank index gained 18% in 2024", "18% in 2024")[:2] == ("stock_return", "change")


def test_a_multiple_of_an_earlier_level_is_a_change_and_a_valuation_multiple_is_a_level() -> None:
    assert reading("Orders were about 3 times the level a year earlier", "about 3 times")[1:] == ("yoy", "up")
    assert reading("The sector trades at 25x forward PE", "25x")[1:] == ("level", None)


# --- direction ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("claim", "figure", "direction"),
    [
        ("Net profit fell 8% year on year in Q3 2024", "8%", "down"),
        ("Module prices are 20% lower than a year ago", "20%", "down"),
        ("Overseas margins are 4 pp higher than domestic margins", "4 pp", "up"),
        ("The net loss narrowed by 30% in 2024", "30% in 2024", "up"),  # a smaller loss is a better profit
        ("The company reported a net loss of 1.5 billion yuan", "1.5 billion yuan", "down"),
        ("Revenue reached 6 billion yuan", "6 billion yuan", None),
        (
            "Net profit was -1.2 billion yuan in 2024",
            "-1.2 billion yuan in 2024",
            None,
        ),  # the minus sign already says it
    ],
)
def test_direction(claim: str, figure: str, direction: str | None) -> None:
    assert reading(claim, figure)[2] == direction


def test_every_reading_is_in_the_vocabulary() -> None:
    claim = (
        "Revenue rose 10% to 2 billion yuan, gross margin was 30%, the stock trades at 15x PE and "
        "shipments hit 1,000 units, 5% lower than the peak"
    )
    for measure, basis, direction in readings(claim).values():
        assert measure in MEASURES and basis in CHANGE_BASES and direction in (*DIRECTIONS, None)


def test_no_figures_no_readings() -> None:
    assert read_figures("No numbers here", []) == []


# --- agreement with the dev gold ----------------------------------------------------------------------------

_TARGETS = {"measure": 0.95, "change_basis": 0.95, "direction": 0.97}
_METRIC_COLUMNS = (
    "report_id",
    "claim_seq",
    "metric_seq",
    "raw_text",
    "value",
    "value_high",
    "unit",
    "per_unit",
    "fiscal_year",
    "qualifier",
    "measure",
    "change_basis",
    "direction",
    "char_start",
    "char_end",
)


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 + 0.005 * max(abs(a), abs(b))


def test_dev_reports_agree_with_the_gold_labels() -> None:
    """Figures paired with gold the way the scorer pairs them: same value and unit, most similar text first."""
    agree = dict.fromkeys(_TARGETS, 0)
    paired = 0
    for gold_path in sorted(GOLD.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = decode_report((GOLD.parent / "reports" / gold["file"]).read_bytes()).text
        found = [dict(zip(_METRIC_COLUMNS, row, strict=False)) for row in extract_report("r", text)["metrics"]]
        candidates = sorted(
            (
                (1 + SequenceMatcher(None, g["text"].lower(), p["raw_text"].lower(), autojunk=False).ratio(), i, j)
                for i, g in enumerate(gold["metrics"])
                for j, p in enumerate(found)
                if (p["unit"] or "") == g["unit"] and _close(g["value"], p["value"])
            ),
            reverse=True,
        )
        used_gold, used_found = set(), set()
        for _, i, j in candidates:
            if i in used_gold or j in used_found:
                continue
            used_gold.add(i)
            used_found.add(j)
            paired += 1
            for label in _TARGETS:
                agree[label] += gold["metrics"][i][label] == found[j][label]
    assert paired > 400
    scores = {label: agree[label] / paired for label in _TARGETS}
    assert all(scores[label] >= target for label, target in _TARGETS.items()), scores
