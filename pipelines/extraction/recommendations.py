"""Investment Recommendations: `<theme>: <Company>, <Company>, and <Company> [p]` bullets → one row per company."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pipelines.extraction.sections import Bullet

# Sections whose bullets recommend stocks; their bullets are not claims.
_RECOMMENDATION_SECTION = re.compile(
    r"\b(?:Recommendations?|Recommended|Suggestions?|Advice|Stock\s+Picks|Beneficiaries|Related\s+"
    r"(?:Companies|Stocks|Targets))\b|投资建议|推荐",
    re.I,
)
_THEME_SEPARATOR = re.compile(r"\s*[:：]\s*")
_LIST_SEPARATOR = re.compile(r"\s*[,，;；、]\s*")
_CONJUNCTION = re.compile(r"^(?:and|&|as well as|plus|及|和|与)\s+", re.I)
# `&` joins the words of one name (`Johnson & Johnson`) more often than two names, so it never splits.
_LAST_PAIR = re.compile(r"\s+(?:and|as well as)\s+", re.I)
_TRAILING_ETC = re.compile(r"\s*(?:,?\s*(?:etc\.?|and others|among others|等))$", re.I)


@dataclass(frozen=True)
class Recommendation:
    theme_seq: int  # 1..n within the report
    theme: str
    company_seq: int  # 1..n within the theme
    company_name_raw: str
    pages: tuple[int, ...]


def is_recommendation_section(section: str | None) -> bool:
    """True for `Investment Recommendations` and the like, whose bullets are stock picks."""
    return bool(section and _RECOMMENDATION_SECTION.search(section))


def parse_recommendations(bullets: Iterable[Bullet]) -> list[Recommendation]:
    """One row per company of every `<theme>: <companies>` bullet, themes numbered in reading order."""
    rows: list[Recommendation] = []
    theme_seq = 0
    for bullet in bullets:
        parsed = split_theme(bullet.text)
        if parsed is None:
            continue
        theme, companies = parsed
        theme_seq += 1
        rows.extend(
            Recommendation(theme_seq, theme, company_seq, name, bullet.pages)
            for company_seq, name in enumerate(companies, start=1)
        )
    return rows


def split_theme(text: str) -> tuple[str, list[str]] | None:
    """(theme, companies) of `Edge side "+AI": Intellifusion, Espressif, and BES`; None without a theme."""
    separator = _THEME_SEPARATOR.search(text)
    if separator is None or separator.start() == 0:
        return None
    theme, listed = text[: separator.start()].strip(), _TRAILING_ETC.sub("", text[separator.end() :].strip(" ."))
    items = _LIST_SEPARATOR.split(listed)
    if not _CONJUNCTION.match(items[-1]):  # `A, B and C` or `A and B`: no serial comma before the last name
        items[-1:] = _LAST_PAIR.split(items[-1])
    companies = [name for name in (_CONJUNCTION.sub("", item).strip(" .") for item in items) if name]
    return (theme, companies) if companies else None
