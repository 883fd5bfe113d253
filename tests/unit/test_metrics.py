"""find_metrics: one invented sentence per rule of the metrics annotation guide (SPEC.md, "metrics")."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from pipelines.extraction.metrics import Metric, find_metrics


def only(text: str) -> Metric:
    """The single metric of `text`."""
    [metric] = find_metrics(text)
    return metric


def values(text: str) -> list[tuple[float, str]]:
    return [(m.value, m.unit) for m in find_metrics(text)]


# --- value in base units ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("sales of 3 thousand yuan", 3e3),
        ("sales of 2.5 million yuan", 2.5e6),
        ("sales of 80 billion yuan", 8e10),
        ("sales of 1.1 trillion yuan", 1.1e12),
        ("sales of RMB 12k", 1.2e4),
        ("sales of US$4.2mn", 4.2e6),
        ("sales of RMB 300bn", 3e11),
        ("sales of US$5m", 5e6),
        ("营收 80 亿元", 8e9),
        ("营收3万元", 3e4),
        ("营收1.2万亿元", 1.2e12),
    ],
)
def test_scale_words_are_applied(text: str, value: float) -> None:
    assert only(text).value == pytest.approx(value)


def test_thousands_separators_are_read() -> None:
    assert only("the chain runs 1,200 stores and more").value == 1200
    assert only("a price of 1,234,567.5 yuan").value == pytest.approx(1234567.5)


# --- ranges ------------------------------------------------------------------------------------------------


def test_word_range_applies_the_scale_to_both_ends() -> None:
    metric = only("the market may reach 600 to 900 billion dollars")
    assert (metric.value, metric.value_high, metric.unit) == (6e11, 9e11, "USD")


def test_dash_range_of_percentages() -> None:
    metric = only("margins could widen 15-20% next year")
    assert (metric.value, metric.value_high, metric.unit) == (15, 20, "%")


def test_between_range_keeps_negative_low_end() -> None:
    metric = only("growth will land between -5% and 0% this cycle")
    assert (metric.value, metric.value_high) == (-5, 0)


def test_range_with_currency_prefix_and_attached_scale() -> None:
    metric = only("a subsidy pool of RMB 10-20bn")
    assert (metric.value, metric.value_high, metric.unit) == (1e10, 2e10, "CNY")


def test_from_to_is_two_figures_not_a_range() -> None:
    assert values("the policy rate moves from 1.5 to 1.3%") == [(1.5, "%"), (1.3, "%")]


def test_change_to_a_figure_of_another_unit_is_not_a_range() -> None:
    assert values("revenue rose 12.0% to 4.5 billion yuan") == [(12.0, "%"), (4.5e9, "CNY")]


# --- slash lists -------------------------------------------------------------------------------------------


def test_slash_list_expands_to_one_metric_per_fiscal_year() -> None:
    metrics = find_metrics("we forecast net profit of 1.2/1.5/1.9 billion yuan for 2024-2026")
    assert [(m.value, m.fiscal_year) for m in metrics] == [(1.2e9, 2024), (1.5e9, 2025), (1.9e9, 2026)]
    assert {m.unit for m in metrics} == {"CNY"}


def test_pe_list_takes_the_years_stated_nearby() -> None:
    metrics = find_metrics("profit of 2.0/2.4/2.9 billion yuan for 2025-2027, corresponding to PE of 35/28/22x")
    pe = [(m.value, m.unit, m.fiscal_year) for m in metrics if m.unit == "x"]
    assert pe == [(35, "x", 2025), (28, "x", 2026), (22, "x", 2027)]


def test_estimate_suffixed_year_range() -> None:
    metrics = find_metrics("trading at PE of 30/25/20x for 2024E-2026E")
    assert [m.fiscal_year for m in metrics] == [2024, 2025, 2026]


def test_eps_list_is_per_share() -> None:
    metrics = find_metrics("EPS of 0.80/0.95/1.10 yuan for 2025-2027")
    assert {m.per_unit for m in metrics} == {"share"}
    assert [m.value for m in metrics] == [0.80, 0.95, 1.10]


def test_short_fiscal_year_forms() -> None:
    assert [m.fiscal_year for m in find_metrics("PE of 20/17/15x for FY24-26")] == [2024, 2025, 2026]
    assert only("revenue of RMB 5bn in 1H25").fiscal_year == 2025


def test_comma_enumeration_shares_unit_scale_and_years() -> None:
    metrics = find_metrics("EPS of 1.20, 1.45 and 1.73 yuan for 2025-2027")
    assert [(m.value, m.unit, m.per_unit, m.fiscal_year) for m in metrics] == [
        (1.20, "CNY", "share", 2025),
        (1.45, "CNY", "share", 2026),
        (1.73, "CNY", "share", 2027),
    ]
    metrics = find_metrics("profit of RMB 2.1bn, 2.6bn and 3.0bn in 2024, 2025 and 2026 respectively")
    assert [(m.value, m.unit, m.fiscal_year) for m in metrics] == [
        (2.1e9, "CNY", 2024),
        (2.6e9, "CNY", 2025),
        (3.0e9, "CNY", 2026),
    ]


def test_slash_without_unit_is_not_a_metric() -> None:
    assert find_metrics("support runs 24/7 across the network") == []


# --- units -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("a fee of 5 yuan", "CNY"),
        ("a fee of RMB 5", "CNY"),
        ("a fee of CNY 5", "CNY"),
        ("a fee of US$5", "USD"),
        ("a fee of USD 5", "USD"),
        ("a fee of 5 dollars", "USD"),
        ("a fee of HK$5", "HKD"),
        ("a fee of 5 Hong Kong dollars", "HKD"),
        ("a fee of EUR 5", "EUR"),
        ("a fee of €5", "EUR"),
        ("a fee of 5 euros", "EUR"),
        ("a fee of 500 yen", "JPY"),
        ("a fee of £5", "GBP"),
        ("a fee of 5 美元", "USD"),
    ],
)
def test_currencies_become_iso_codes(text: str, unit: str) -> None:
    assert only(text).unit == unit


def test_percent_and_percentage_points() -> None:
    assert values("margin of 21.5%, up 1.2 pp, then 0.5 percentage points more") == [
        (21.5, "%"),
        (1.2, "pp"),
        (0.5, "pp"),
    ]


def test_basis_points_become_percentage_points() -> None:
    assert only("funding costs fell 25 basis points").value == pytest.approx(0.25)
    assert only("the spread narrowed 15bps").value == pytest.approx(0.15)


@pytest.mark.parametrize(
    "text", ["output grew 12-fold", "valuation of 12x", "output is 12 times higher", "trades at 12x PE"]
)
def test_multiples(text: str) -> None:
    assert (only(text).value, only(text).unit) == (12, "x")


def test_counts_of_a_named_thing() -> None:
    assert values("it processes 4 trillion tokens across 1,000 stores") == [(4e12, "count"), (1000, "count")]


def test_scaled_bare_number_is_a_count() -> None:
    assert values("monthly users exceeded 20 million") == [(2e7, "count")]


def test_numbers_sharing_a_later_noun_are_counts() -> None:
    assert values("the two makers shipped 41,250 and 37,900 trucks") == [(41250, "count"), (37900, "count")]


def test_bare_number_without_a_counted_noun_is_not_a_metric() -> None:
    assert find_metrics("the trial reached a hazard ratio of 0.62 against placebo") == []


# --- per ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "per"),
    [
        ("priced at 0.02 yuan per thousand tokens", "1000 token"),
        ("priced at 3 yuan per million output tokens", "1000000 token"),
        ("coal at 800 yuan per ton", "ton"),
        ("modules at 0.7 yuan/W", "W"),
        ("lithium at 75 yuan/kg", "kg"),
        ("a dividend of 1.25 yuan per share", "share"),
        ("spending above 200 billion yuan a year", "year"),
    ],
)
def test_rate_denominators(text: str, per: str) -> None:
    assert only(text).per_unit == per


def test_eps_is_per_share_even_when_implicit() -> None:
    assert only("we forecast 2025 EPS of 2.35 yuan").per_unit == "share"


def test_target_price_has_no_denominator() -> None:
    assert only("we set a target price of 88.00 yuan").per_unit is None


# --- qualifiers --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("orders of over 300 units", "over"),
        ("sales exceeding 2 million units", "over"),
        ("a share of more than 40%", "over"),
        ("growth above 5%", "over"),
        ("a price under 10 yuan", "under"),
        ("a share of less than 3%", "under"),
        ("yields below 2%", "under"),
        ("a cost of approximately US$6 million", "approx"),
        ("a margin of about 30%", "approx"),
        ("a stake of nearly 20%", "approx"),
        ("a subsidy of up to 5,000 yuan", "up_to"),
        ("a payment capped at 800 yuan", "up_to"),
        ("lifting volume 8-fold or more", "over"),
    ],
)
def test_qualifiers(text: str, qualifier: str) -> None:
    assert only(text).qualifier == qualifier


def test_qualifier_is_part_of_the_raw_text() -> None:
    assert only("a cost of approximately US$6 million").raw_text == "approximately US$6 million"


# --- fiscal year -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("capex for 2024 is projected to reach 50 billion yuan", 2024),
        ("the market could reach 300 billion yuan by 2028", 2028),
        ("sales rose 9% in 2025", 2025),
        ("sales rose 9% in H1 2023", 2023),
        ("sales rose 9% year on year in Q3 2024", 2024),
        ("FY2026 revenue of US$2 billion", 2026),
    ],
)
def test_year_stated_for_the_figure(text: str, year: int) -> None:
    assert only(text).fiscal_year == year


def test_year_dates_every_figure_of_its_clause() -> None:
    metrics = find_metrics("revenue rose 11% to 6.2 billion yuan in 2024")
    assert [m.fiscal_year for m in metrics] == [2024, 2024]


def test_year_stays_in_force_for_later_figures() -> None:
    metrics = find_metrics("In 2023, the group earned 4.1 billion yuan, up 8%, and paid 1.2 billion yuan in dividends")
    assert [m.fiscal_year for m in metrics] == [2023, 2023, 2023]


def test_each_clause_keeps_its_own_year() -> None:
    metrics = find_metrics("output rose over 30% in 2024 and by more than 15% in 2025")
    assert [m.fiscal_year for m in metrics] == [2024, 2025]


def test_no_year_without_a_stated_year() -> None:
    assert only("the margin improved to 18.4% in the second quarter").fiscal_year is None


def test_a_year_earlier_figure_is_not_dated_by_the_current_year() -> None:
    metrics = find_metrics("the share reached 31% in 2024, compared with 24% a year earlier")
    assert [m.fiscal_year for m in metrics] == [2024, None]


def test_comparison_base_does_not_inherit_the_year() -> None:
    metrics = find_metrics(
        "capex for 2025 should reach 60 billion yuan, far higher than rivals at about 20 billion yuan"
    )
    assert [m.fiscal_year for m in metrics] == [2025, None]


def test_start_points_do_not_date_figures() -> None:
    assert only("prices are down more than 50% since March 2023").fiscal_year is None


def test_year_after_a_multiple_dates_that_multiple_only() -> None:
    metrics = find_metrics("a target price of 45 yuan, based on 20x 2025 PE")
    assert [(m.unit, m.fiscal_year) for m in metrics] == [("CNY", None), ("x", 2025)]


def test_event_month_dates_only_what_stands_right_before_it() -> None:
    metrics = find_metrics("the firm launched 12 sedans and several other vehicle models in March 2025")
    assert [m.fiscal_year for m in metrics] == [None]


# --- not metrics -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "the plenum on October 9-10, 2024 set the tone",  # dates
        "results published on 2025-03-28 and 2025/04/30",  # dates
        "demand recovered in 2024 after a weak 2023",  # years as time references
        "the ramp takes 18-24 months",  # durations
        "within 72 hours of launch",  # durations
        "the 10-year bond and the 7-day repo",  # durations as modifiers
        "the 3rd largest player in the 14th plan",  # ordinals
        "Moutai (600519) and Tencent (0700.HK)",  # stock codes
        "800G optical modules, 1.6T products and H20 chips",  # product codes
        "the CSI 300 and Section 301 tariffs",  # names
        "the GLP-1 drug and PD-1 antibodies",  # drug codes
        "see section 2.3.1 for details [12][13]",  # section numbers and citation markers
    ],
)
def test_not_metrics(text: str) -> None:
    assert find_metrics(text) == []


# --- offsets and messy text --------------------------------------------------------------------------------


def test_offsets_point_into_the_text_as_given() -> None:
    text = "Capex \r\n  rose to RMB\n 300bn ［12］ in 2025, about 40%  higher [3]"
    metrics = find_metrics(text)
    assert [(m.value, m.unit, m.fiscal_year) for m in metrics] == [(3e11, "CNY", 2025), (40, "%", 2025)]
    for metric in metrics:
        assert text[metric.start : metric.end] == metric.raw_text


def test_full_width_forms_are_read() -> None:
    assert values("毛利率提升至３５％，营收ＵＳ＄８０ｂｎ") == [(35, "%"), (8e10, "USD")]


def test_citation_markers_inside_a_bullet_are_not_metrics() -> None:
    assert values("sales grew 5% [4] and margins widened [5][6]") == [(5, "%")]


def test_metrics_come_in_reading_order() -> None:
    starts = [m.start for m in find_metrics("up 5% to 2 billion yuan, 3 new plants and 4.5x PE")]
    assert starts == sorted(starts) and len(starts) == 4


@pytest.mark.parametrize(
    "text",
    [
        "revenue of " + "9" * 26 + " billion yuan",
        "a value of 1e308 trillion yuan",
        "9" * 400 + " trillion yuan",
        "12345678901234567890123456%",
    ],
)
def test_huge_numbers_give_finite_values_or_nothing(text: str) -> None:
    for metric in find_metrics(text):
        assert math.isfinite(metric.value)


def test_empty_text_has_no_metrics() -> None:
    assert find_metrics("") == []


# --- exact values, signed lists, currencies from the table, one citation syntax -----------------------------


@pytest.mark.parametrize(
    ("text", "digits", "multiplier"),
    [
        ("revenue of 67.6 billion yuan", "67.6", 10**9),
        ("revenue of 67.23 billion yuan", "67.23", 10**9),
        ("net profit of 2.07 billion yuan", "2.07", 10**9),
        ("营收 8.13 亿元", "8.13", 10**8),
        ("margin rose 35 bps", "0.35", 1),
    ],
)
def test_values_are_the_nearest_double_to_the_stated_digits(text: str, digits: str, multiplier: int) -> None:
    assert only(text).value == float(Decimal(digits) * multiplier)


def test_a_signed_slash_list_yields_one_figure_per_year() -> None:
    metrics = find_metrics("Net profit forecasts of -25.6/-12.4/-6.1 billion yuan for 2024-2026.")
    assert [(m.value, m.unit, m.fiscal_year) for m in metrics] == [
        (-25.6e9, "CNY", 2024),
        (-12.4e9, "CNY", 2025),
        (-6.1e9, "CNY", 2026),
    ]


def test_negative_multiples_of_loss_making_years_are_kept_with_their_sign() -> None:
    metrics = find_metrics("PE of -3.1/-6.4/-13.1x for 2024-2026")
    assert [(m.value, m.unit, m.fiscal_year) for m in metrics] == [
        (-3.1, "x", 2024),
        (-6.4, "x", 2025),
        (-13.1, "x", 2026),
    ]
    assert {m.raw_text for m in metrics} == {"PE of -3.1/-6.4/-13.1x"}


def test_a_list_may_mix_signs() -> None:
    assert values("EPS of -0.52/0.31/1.05 yuan for 2024-2026") == [(-0.52, "CNY"), (0.31, "CNY"), (1.05, "CNY")]


def test_a_move_from_a_negative_figure_is_two_figures() -> None:
    assert values("operating margin moved from -5% to 3%") == [(-5.0, "%"), (3.0, "%")]


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("USD5 billion", "USD"),
        ("KRW5 billion", "KRW"),
        ("CHF5 billion", "CHF"),
        ("5 billion Swiss francs", "CHF"),
        ("5 billion KRW", "KRW"),
        ("5 billion won", "KRW"),
        ("5 billion Hong Kong dollars", "HKD"),
        ("US $5 billion", "USD"),
    ],
)
def test_every_currency_of_the_table_is_read_before_and_after_a_number(text: str, unit: str) -> None:
    assert values(text) == [(5e9, unit)]


def test_a_one_letter_dollar_prefix_must_touch_its_sign() -> None:
    assert values("A $5 billion deal") == [(5e9, "USD")]  # "A" is the article, not A$


@pytest.mark.parametrize(
    "text",
    [
        "Shipments reached 1,000 {} units in 2024",
        "gross margin of 20% {} in 2024",
        "sold 300 {} vehicles",
        "revenue of 67.6 billion yuan {}",
    ],
)
def test_a_citation_of_several_pages_reads_like_a_citation_of_one(text: str) -> None:
    one, several = find_metrics(text.format("[3]")), find_metrics(text.format("[3, 5]"))
    assert several
    assert [(m.value, m.unit, m.fiscal_year) for m in several] == [(m.value, m.unit, m.fiscal_year) for m in one]
