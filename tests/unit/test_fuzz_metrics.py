"""Fuzzing metric parsing with generated amounts: whatever the number, separators, scale word and currency
form, the figure reads back in base units; percentages read back as written; absurd magnitudes give a
finite value or nothing. (Well-formedness on arbitrary text is fuzzed in test_metrics_properties.)"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pipelines.extraction.metrics import find_metrics

SETTINGS = settings(max_examples=300, deadline=None)

SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "mn": 1e6}
# (template, ISO unit): {n} is the number, {s} the scale word.
MONEY_FORMS = [
    ("{n} {s} yuan", "CNY"),
    ("RMB {n} {s}", "CNY"),
    ("RMB{n} {s}", "CNY"),
    ("US${n} {s}", "USD"),
    ("{n} {s} US dollars", "USD"),
    ("HK${n} {s}", "HKD"),
    ("{n} {s} euros", "EUR"),
    ("€{n} {s}", "EUR"),
]
CONTEXTS = [
    "Revenue reached {}",
    "Capital expenditure of {} is planned",
    "The fund, at {}, was completed",
    "- Net profit was {} [3]",
]

number = st.tuples(st.integers(1, 999_999), st.integers(0, 99), st.booleans(), st.booleans())


def written(parts: tuple[int, int, bool, bool]) -> tuple[str, Decimal]:
    """A number as a report writes it (`1,234.56`, `1234.5`, `12`) and its exact value."""
    whole, cents, thousands, decimals = parts
    text = f"{whole:,}" if thousands else str(whole)
    if decimals:
        text += f".{cents:02d}"
    return text, Decimal(text.replace(",", ""))


@SETTINGS
@given(number, st.sampled_from(sorted(SCALES)), st.sampled_from(MONEY_FORMS), st.sampled_from(CONTEXTS))
def test_an_amount_reads_back_in_base_units(parts, scale: str, form: tuple[str, str], context: str) -> None:
    text_number, exact = written(parts)
    template, unit = form
    amount = template.format(n=text_number, s=scale)
    text = context.format(amount)
    [metric] = find_metrics(text)
    assert (metric.unit, metric.value_high) == (unit, None)
    assert math.isclose(metric.value, float(exact) * SCALES[scale], rel_tol=1e-12)
    assert text_number in metric.raw_text and text[metric.start : metric.end] == metric.raw_text


@SETTINGS
@given(
    number,
    number,
    st.sampled_from(sorted(SCALES)),
    st.sampled_from([" to ", "-", "~"]),
    st.sampled_from(["{a}{sep}{b} {s} yuan", "RMB {a}{sep}{b} {s}", "US${a}{sep}{b} {s}"]),
)
def test_a_range_reads_back_as_its_two_ends(low_parts, high_parts, scale: str, sep: str, template: str) -> None:
    (low_text, low), (high_text, high) = sorted([written(low_parts), written(high_parts)], key=lambda w: w[1])
    # "1950 to 1990" and "2024-2026" are read as years (SPEC): a bare year-like end is not an amount range.
    assume(not any(re.fullmatch(r"(19|20)\d\d", end) for end in (low_text, high_text)))
    [metric] = find_metrics("Sales are expected at " + template.format(a=low_text, sep=sep, b=high_text, s=scale))
    assert math.isclose(metric.value, float(low) * SCALES[scale], rel_tol=1e-12)
    assert math.isclose(metric.value_high, float(high) * SCALES[scale], rel_tol=1e-12)


@SETTINGS
@given(number, st.sampled_from(["{n}%", "{n} percent", "{n} per cent"]), st.sampled_from(CONTEXTS))
def test_a_percentage_reads_back_as_written(parts, template: str, context: str) -> None:
    text_number, exact = written(parts)
    [metric] = find_metrics(context.format("growth of " + template.format(n=text_number)))
    assert metric.unit == "%" and math.isclose(metric.value, float(exact), rel_tol=1e-12)


@SETTINGS
@given(
    st.integers(1, 400),
    st.sampled_from(["", "1e308 ", "9.99e307 ", "0."]),
    st.sampled_from([*sorted(SCALES), ""]),
    st.sampled_from(["yuan", "US dollars", "%", "times", "tons"]),
)
def test_absurd_magnitudes_give_a_finite_value_or_nothing(digits: int, prefix: str, scale: str, unit: str) -> None:
    text = f"Revenue reached {prefix}{'9' * digits} {scale} {unit} in 2025, and {'1' * digits}.{'9' * digits} {unit}"
    for metric in find_metrics(text):
        assert math.isfinite(metric.value) and (metric.value_high is None or math.isfinite(metric.value_high))
