"""The optional rating header that opens a summary, kept as written (mapping to the scale is in dbt).

Forms: `Industry Investment Rating - Overweight (Maintained) [11]`, `Investment Rating: Buy (Maintained)`,
`Rating：Accumulate（Maintained）［1］`, `行业评级：增持（维持）`, and `Rating: Buy, Maintained` without brackets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipelines.extraction.citations import CITATION_RUN, citation_pages
from pipelines.extraction.reference import read_seed


@dataclass(frozen=True)
class RatingHeader:
    scope: str | None  # industry | company when the header says so (`Industry Rating`), else None
    rating_raw: str
    action_raw: str | None
    pages: tuple[int, ...]
    start: int  # span of the header without its citation markers
    end: int
    body_start: int  # where the summary continues after the header and its citations


_LABEL = (
    r"(?:(?P<scope>Industry|Sector|Company|Stock)\s+)?(?:Investment\s+)?Rating"
    r"|(?P<scope_cn>行业|公司|个股)?(?:投资)?评级"
)
_BRACKETED = re.compile(
    rf"[\s\ufeff]*(?P<label>{_LABEL})\s*(?P<separator>[-–—:：])?\s*"
    r"(?P<raw>[^()（）\[\]［］\r\n:：]{1,40}?)\s*[(（]\s*(?P<action>[^()（）\[\]［］\r\n]{1,40}?)\s*[)）]",
    re.I,
)
_LABELLED = re.compile(rf"[\s\ufeff]*(?P<label>{_LABEL})\s*[-–—:：]?\s*", re.I)
_ACTION_SEPARATOR = re.compile(r"\s*[,，;；]\s*")
_MAX_RATING_WORDS = 4
_SCOPES = {
    "industry": "industry",
    "sector": "industry",
    "行业": "industry",
    "company": "company",
    "stock": "company",
    "公司": "company",
    "个股": "company",
}


@cache
def _word_pattern(seed: str, column: str) -> re.Pattern[str]:
    """Seed words, longest first, as one alternation that ends on a word boundary."""
    words = sorted({w for w in read_seed(seed)[column].to_list() if w}, key=len, reverse=True)
    return re.compile("(?:" + "|".join(re.escape(w) for w in words) + r")(?![A-Za-z])", re.I)


def find_rating_header(text: str, start: int, end: int) -> RatingHeader | None:
    """The rating header at the start of `text[start:end]`, or None when the summary has none."""
    match = _BRACKETED.match(text, start, end)
    if match and _is_whole_rating(match["raw"], bool(match["separator"])):
        raw, action, header_end = match["raw"], match["action"], match.end()
    else:  # no brackets: only a known rating word tells where the rating ends
        match = _LABELLED.match(text, start, end)
        rating = match and _word_pattern("rating_scale", "rating_word").match(text, match.end(), end)
        if not rating:
            return None
        raw, action, header_end = rating.group(), None, rating.end()
        separator = _ACTION_SEPARATOR.match(text, header_end, end)
        verb = separator and _word_pattern("rating_actions", "action_word").match(text, separator.end(), end)
        if verb:
            action, header_end = verb.group(), verb.end()
    citations = CITATION_RUN.match(text, header_end, end)
    body_start = citations.end() if citations else header_end
    scope_word = (match["scope"] or match["scope_cn"] or "").lower()
    return RatingHeader(
        _SCOPES.get(scope_word),
        raw.strip(),
        action.strip() if action else None,
        citation_pages(text[header_end:body_start]),
        match.start("label"),
        header_end,
        body_start,
    )


def _is_whole_rating(raw: str, after_separator: bool) -> bool:
    """True for a known rating word, or a short capitalised word after `Rating -`/`Rating:` (`Top Pick`).

    False when the words before a bracket run past the rating (`Buy Core Views (…`) or the label was
    a sentence's subject (`Rating agencies (…`).
    """
    rating_words = _word_pattern("rating_scale", "rating_word")
    if rating_words.fullmatch(raw.strip()):
        return True
    return (
        after_separator
        and len(raw.split()) <= _MAX_RATING_WORDS
        and not rating_words.match(raw)
        and not raw[:1].islower()
    )


def resolve_scope(header: RatingHeader, has_subject_company: bool) -> str:
    """industry | company: as the header says, else company when the title names a subject company."""
    if header.scope:
        return header.scope
    return "company" if has_subject_company else "industry"
