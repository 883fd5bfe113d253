"""Quantities stated in a bullet: value in base units, unit, rate denominator, fiscal year, qualifier.

The text is first folded into a same-length copy (full-width forms, dashes, whitespace, citation markers),
so an offset into the copy is an offset into the caller's text. Numbers are found in one scan and each is
parsed by `metric_parser` (with the patterns of `metric_patterns`, generated from the tables of
`metric_vocabulary`); fiscal years are then settled by `fiscal_years`. Work is linear in the text and no
pattern can backtrack over more than a window, whatever the input.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.extraction.citations import blank_citations
from pipelines.extraction.fiscal_years import assign_years, year_mentions
from pipelines.extraction.metric_parser import FigureParser
from pipelines.extraction.metric_patterns import ANY_DIGIT
from pipelines.extraction.metric_vocabulary import CURRENCIES, QUALIFIERS, UNITS

__all__ = ["CURRENCIES", "QUALIFIERS", "UNITS", "Metric", "find_metrics"]


@dataclass(frozen=True)
class Metric:
    raw_text: str
    value: float  # the nearest double to the stated digits times the scale
    value_high: float | None
    unit: str
    per_unit: str | None
    fiscal_year: int | None
    qualifier: str | None
    start: int  # offsets into the text given to find_metrics
    end: int


_FOLD = {c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}  # full-width ASCII: ［12］ ％ ＄ ，
_FOLD.update({ord(c): " " for c in "\t\n\r\v\f\u00a0\u2007\u2009\u202f\u3000"})
_FOLD.update({ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2212"})  # hyphens, en dash, minus; not em dash
_FOLD.update({0x2018: "'", 0x2019: "'", 0xFFE5: "¥", 0x3001: ",", 0x3002: "."})


def _normalise(text: str) -> str:
    return blank_citations(text.translate(_FOLD))


def find_metrics(text: str) -> list[Metric]:
    """Every metric in `text` (a bullet as it stands in the decoded report), in reading order."""
    if not ANY_DIGIT.search(text):
        return []
    t = _normalise(text)
    parser = FigureParser(t)
    found = parser.run()
    if found:
        assign_years(t, found, year_mentions(t, parser))
    return [
        Metric(text[f.start : f.end], f.value, f.value_high, f.unit, f.per, f.year, f.qualifier, f.start, f.end)
        for f in found
    ]
