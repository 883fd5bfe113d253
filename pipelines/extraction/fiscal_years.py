"""Fiscal years of the figures of a bullet, settled in one ordered pass over year phrases and clause breaks."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from pipelines.extraction.metric_parser import WINDOW, Figure, FigureParser, Spans
from pipelines.extraction.metric_patterns import (
    CLAUSE_BREAK,
    CONTEXT_RESET,
    ENUMERATION_GAP,
    IGNORED_YEAR_AFTER,
    IGNORED_YEAR_BEFORE,
    MONTH_BEFORE,
    QUALIFYING_THAN,
    RELATIVE_YEAR_AFTER,
    SINCE_BEFORE,
    SPACES,
    YEAR_HEAD,
    YEAR_TAIL,
    expand_years,
)

_MONTH_YEAR_REACH = 30  # "21 models with ... in February 2025": an event month dates only what is right before it
_YEAR_REACH = 90  # how far before a year phrase a figure may stand and still be dated by it


@dataclass
class YearMention:
    start: int
    end: int
    years: list[int]
    kind: str  # "point", "month" (an event month: short reach), "range", "ignored"


def year_mentions(t: str, parser: FigureParser) -> list[YearMention]:
    """Year phrases of the bullet that are not part of a figure, each with how it may date figures."""
    figures = Spans((f.start, f.number_end) for f in parser.found)
    mentions = []
    for m in parser.year_matches:
        s, e = m.span()
        years = expand_years(m)
        if years is None or figures.covers(s):
            continue
        before = t[max(0, s - WINDOW) : s]
        if len(years) > 1:
            kind = "range"
        elif (
            IGNORED_YEAR_BEFORE.search(before)
            or SINCE_BEFORE.search(before)
            or IGNORED_YEAR_AFTER.match(t, e, min(len(t), e + 20))
        ):
            kind = "ignored"
        elif MONTH_BEFORE.search(before):
            kind = "month"
        else:
            kind = "point"
        mentions.append(YearMention(s, e, years, kind))
    return mentions


def settle_own_years(t: str, found: list[Figure], mentions: list[YearMention]) -> None:
    """Years a figure carries itself: "16x 2025 PE" (that multiple only) and "21.1% a year earlier" (none)."""
    by_start = {y.start: y for y in mentions if y.kind == "point"}
    for f in found:
        if f.year_settled:
            continue
        gap_end = SPACES.match(t, f.number_end, min(len(t), f.number_end + WINDOW)).end()
        adjacent = by_start.get(gap_end) if gap_end > f.number_end else None
        head = YEAR_HEAD.match(t, adjacent.end, min(len(t), adjacent.end + 20)) if adjacent else None
        if f.unit == "x" and head:
            f.year, f.year_settled, f.end = adjacent.years[0], True, head.end()
            adjacent.kind = "ignored"
        elif RELATIVE_YEAR_AFTER.match(t, f.number_end, min(len(t), f.number_end + 40)):
            f.year, f.year_settled = None, True


def assign_years(t: str, found: list[Figure], mentions: list[YearMention]) -> None:
    """Date each figure: by a year phrase after it in its clause, else by the year in force before it.

    A year phrase dates the undated figures before it in the same clause ("rose 5% to 80 billion yuan in
    2024") and stays in force for later figures ("In 2024, ..."), until a comparison or the present ("than",
    "compared with", "current") or a multi-year range makes it unclear which year is meant.
    """
    settle_own_years(t, found, mentions)
    runs = [
        (a.start, b.start)
        for a, b in itertools.pairwise(found)  # "1.2bn, 1.5bn and 1.9bn" is one run
        if a.unit == b.unit and a.end <= b.start and ENUMERATION_GAP.fullmatch(t, a.end, b.start)
    ]
    figures = Spans([(f.start, f.end) for f in found] + runs)  # breaks inside "1,200" or "more than" don't count
    events: list[tuple[int, int, object]] = [(f.start, 1, f) for f in found if not f.year_settled]
    events += [(y.start, 0, y) for y in mentions if y.kind != "ignored"]
    events += [(m.start(), 2, "break") for m in CLAUSE_BREAK.finditer(t) if not figures.covers(m.start())]
    events += [
        (m.start(), 3, "reset")
        for m in CONTEXT_RESET.finditer(t)
        if not figures.covers(m.start())
        and not (m.group().lower() == "than" and QUALIFYING_THAN.search(t[max(0, m.start() - 20) : m.start()]))
    ]
    events.sort(key=lambda event: event[:2])
    context: int | None = None
    pending: list[tuple[Figure, int | None]] = []  # figures of the open clause, with the year in force at each

    def close_clause() -> None:
        for figure, year in pending:
            figure.year = year
        pending.clear()

    for _, _, event in events:
        if isinstance(event, Figure):
            pending.append((event, context))
        elif isinstance(event, YearMention):
            if event.kind == "range":  # "1.2bn, 1.5bn and 1.9bn in 2024-2026": one year each, else unclear
                if len(pending) == len(event.years) and event.start - pending[0][0].number_end <= _YEAR_REACH:
                    for (figure, _), year in zip(pending, event.years, strict=False):
                        figure.year = year
                    pending.clear()
                close_clause()
                context = None
                continue
            reach = _MONTH_YEAR_REACH if event.kind == "month" else _YEAR_REACH
            for figure, year in pending:
                near = event.start - figure.number_end <= reach
                figure.year = event.years[0] if near else year
                tail = YEAR_TAIL.match(t, figure.end, event.start) if near else None
                if tail and tail.end() == event.start and figure.end == figure.number_end:
                    figure.end = event.end  # the span reads "US$38 billion by 2035"
            pending.clear()
            context = event.years[0]
        elif event == "break":
            close_clause()
        else:
            close_clause()
            context = None
    close_clause()
