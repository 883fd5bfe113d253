"""find_metrics on arbitrary text: it never raises, and every metric it returns is well formed."""

from __future__ import annotations

import math
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.extraction.metric_vocabulary import (
    SCALE_WORDS,
    WRITTEN_CURRENCY_AFTER,
    WRITTEN_CURRENCY_BEFORE,
    ScaleWord,
)
from pipelines.extraction.metrics import QUALIFIERS, UNITS, find_metrics

# Pieces of real bullets, so that generated text reaches the parser's branches and not only its fast exits.
FRAGMENTS = [
    "US$",
    "HK$",
    "RMB",
    "€",
    "¥",
    "bn",
    "mn",
    "k",
    "x",
    "%",
    "pp",
    "bps",
    " billion",
    " million",
    " trillion",
    " yuan",
    " dollars",
    " per ",
    " a ",
    "/",
    "-",
    "–",
    " to ",
    " and ",
    "between ",
    "from ",
    "over ",
    "about ",
    "up to ",
    "more than ",
    "or more",
    "2024",
    "2025E",
    "FY24",
    "1H25",
    "Q3 ",
    "-2026",
    "1,200",
    "0.5",
    "12",
    "9" * 30,
    "[12]",
    "［3］",
    "，",
    "％",
    "\n",
    "\r\n",
    "  ",
    " in ",
    " for ",
    " by ",
    " since ",
    "a year earlier",
    " than ",
    "EPS of ",
    "PE of ",
    "tons",
    "stores",
    "months",
    "January 5, ",
    "万",
    "亿元",
    "(",
    ")",
    ";",
    ".",
    "e308",
    "-fold",
    " times",
    "+",
]

bullets = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(bullets)
def test_every_metric_is_well_formed(text: str) -> None:
    metrics = find_metrics(text)
    for m in metrics:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.raw_text
        assert math.isfinite(m.value)
        assert m.value_high is None or math.isfinite(m.value_high)
        assert m.unit in UNITS
        assert m.qualifier is None or m.qualifier in QUALIFIERS
        assert m.fiscal_year is None or 1950 <= m.fiscal_year <= 2099
        assert m.per_unit is None or m.per_unit.strip() == m.per_unit != ""
    assert [m.start for m in metrics] == sorted(m.start for m in metrics)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_never_raises_on_any_text(text: str) -> None:
    for m in find_metrics(text):
        assert m.unit in UNITS and math.isfinite(m.value)


@settings(max_examples=50, deadline=None)
@given(
    st.sampled_from(["9", "1,", "1 ", "[1]", "2024 ", "1/", "-", "a", "1.", "US$", "over "]),
    st.integers(min_value=1_000, max_value=20_000),
)
def test_long_repetitive_text_stays_fast_and_sane(piece: str, times: int) -> None:
    text = piece * times
    for m in find_metrics(text):
        assert 0 <= m.start < m.end <= len(text) and math.isfinite(m.value)


@settings(max_examples=300, deadline=None)
@given(
    st.from_regex(r"[1-9]\d{0,5}(?:\.\d{1,4})?", fullmatch=True),
    st.sampled_from(SCALE_WORDS),
    st.sampled_from(sorted(WRITTEN_CURRENCY_BEFORE.items())),
    st.sampled_from(sorted(WRITTEN_CURRENCY_AFTER.items())),
)
def test_a_value_is_the_nearest_double_to_its_stated_digits(
    digits: str, scale: ScaleWord, before: tuple[str, str], after: tuple[str, str]
) -> None:
    if scale.attached_only:  # "US$5m", "RMB12k": the currency is written before
        text, code = f"sales of {before[0]} {digits}{scale.word}", before[1]
    else:  # "5 billion Swiss francs", "8.13 亿元"
        text, code = f"sales of {digits} {scale.word} {after[0]}", after[1]
    [metric] = find_metrics(text)
    assert metric.value == float(Decimal(digits) * scale.multiplier)
    assert metric.unit == code
