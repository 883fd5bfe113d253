"""Patterns of the metric parser, each applied at a known position inside a bounded window.

The currency and scale-word patterns are generated from the tables of `metric_vocabulary`; the rest are
the shapes of numbers, years, dates, ranges, lists and the phrases around them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipelines.extraction.metric_vocabulary import (
    QUALIFIER_PHRASES,
    SCALE_WORDS,
    WRITTEN_CURRENCY_AFTER,
    WRITTEN_CURRENCY_BEFORE,
)
from pipelines.extraction.phrases import alternation

_WORD_END = r"(?:(?<=[A-Za-z])\b|(?<![A-Za-z]))"  # an English word ends at a word boundary; CJK anywhere
# Currencies written before a number: in letters (RMB, USD: the start of a word) or with a sign (US$, ¥, €).
_LETTER_CURRENCIES = frozenset(written for written in WRITTEN_CURRENCY_BEFORE if written.isalpha())
# A sign after two or more letters may stand apart ("US $5"); after one it may not ("A $5 deal" is no A$).
_SIGN_CURRENCIES = frozenset(WRITTEN_CURRENCY_BEFORE.keys() - _LETTER_CURRENCIES) | {
    written.replace("$", " $") for written in WRITTEN_CURRENCY_BEFORE if re.fullmatch(r"[A-Za-z]{2,}\$", written)
}


def _phrases(phrases: Iterable[str], space: str = r"\s+") -> str:
    """A prefix-tree alternation of `phrases`, a space in a phrase matching `space`."""
    return alternation(phrases).replace(re.escape(" "), space)


def _longest_first(phrases: Iterable[str], space: str) -> str:
    """A flat alternation of `phrases`, longest first: where a pattern is searched rather than matched at a
    position, the regex engine skips ahead on the phrases' first characters, which a prefix tree's guards hide."""
    ordered = sorted(set(phrases), key=lambda phrase: (-len(phrase), phrase))
    return "(?:" + "|".join(re.escape(phrase).replace(re.escape(" "), space) for phrase in ordered) + ")"


def _lookbehind(words: Iterable[str]) -> str:
    """`(?<=...)` for any of `words` (Python's look-behinds are of fixed width: one per length)."""
    by_length: dict[int, list[str]] = {}
    for word in words:
        by_length.setdefault(len(word), []).append(word)
    return "|".join(f"(?<={alternation(group)})" for _, group in sorted(by_length.items()))


MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)


class PhrasesBefore:
    """Which phrase of a table ends a text (trailing whitespace aside), not inside a longer word.

    Searching `(?<![A-Za-z])(?:phrases)\\s*$` in a window tries every phrase at every start; matching the
    phrases reversed at the start of the reversed window tries them once. The phrases with more words come
    first, so the match is the one that search finds, the leftmost: "no less than" (over), not "less than".
    """

    def __init__(self, table: dict[str, tuple[str, ...]], flags: int = 0) -> None:
        phrases = sorted(
            ((phrase, kind) for kind, phrases in table.items() for phrase in phrases),
            key=lambda entry: len(entry[0].split()),
            reverse=True,
        )
        self.kinds = [kind for _, kind in phrases]  # of each phrase's group, in order
        reversed_phrases = "|".join(
            "(" + r"\s+".join(re.escape(word[::-1]) for word in reversed(phrase.split())) + ")" for phrase, _ in phrases
        )
        self.pattern = re.compile(rf"\s*(?:{reversed_phrases})(?![A-Za-z])", flags)

    def search(self, text: str) -> tuple[str, int] | None:
        """The kind of the phrase ending `text` and how many characters it takes with the whitespace after."""
        m = self.pattern.match(text[::-1])
        return (self.kinds[m.lastindex - 1], m.end()) if m else None


NUMBER_TEXT = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?"
# A number starts after no letter, digit or point, except right after a currency written in letters: "USD5bn".
NUMBER = re.compile(r"(?=\d)(?:(?<![A-Za-z0-9_.])|" + _lookbehind(_LETTER_CURRENCIES) + ")" + NUMBER_TEXT)
ANY_DIGIT = re.compile(r"\d")
CODE_TAIL = re.compile(r"[\w./-]*")
SPACES = re.compile(r"\s*")
ATTACHED_WORD = re.compile(r"[A-Za-z]+")
HYPHEN_WORD = re.compile(r"-\s?(?:(fold)\b|[A-Za-z])")
SCALE_WORD = re.compile(r"\s*(" + _phrases(s.word for s in SCALE_WORDS if not s.attached_only) + ")" + _WORD_END, re.I)
UNIT_AFTER = re.compile(
    r"""\s*(?:
        (?P<pp>(?:percent(?:age)?|pct)[\s-]*(?:points?|pts?)\b|pp(?:ts?|s)?\b|个?百分点)
      | (?P<pct>%|per\s?cent\b|percent\b|pct\b)
      | (?P<bp>basis[\s-]points?\b|bps?\b)
      | (?P<times>times\b|-?\s?fold\b|倍)
      | (?P<currency>"""
    + _phrases(WRITTEN_CURRENCY_AFTER)
    + ")"
    + _WORD_END
    + r"""
      | (?P<counter>吨|辆|台|家|个|人|户|件|套|张|部|座|颗|片|只)
    )""",
    re.X,
)
# A currency right before a number ("US$", "RMB ", "USD"); a code or a symbol in letters must start a word.
CURRENCY_BEFORE = re.compile(
    "(?:(?P<symbol>" + _longest_first(_SIGN_CURRENCIES, r"\s?") + ")"
    "|(?<![A-Za-z])(?P<code>" + _longest_first(_LETTER_CURRENCIES, "") + r"))\s*$"
)
RANGE_SEP = re.compile(r"\s*(?:-|~|to)\s*|\s+and\s+")
RANGE_HEAD = re.compile(rf"(?P<currency>{_phrases(_SIGN_CURRENCIES | _LETTER_CURRENCIES)}\s*)?(?P<neg>-)?")
# What each item of "25x/20x", "1.2bn/1.5bn" may carry.
ITEM_SUFFIX = "(?:[xX%]|" + _phrases(s.word for s in SCALE_WORDS if s.list_suffix) + ")(?![A-Za-z])"
SLASH_ITEM = re.compile(r"\s?/\s?(-?" + NUMBER_TEXT + ")(" + ITEM_SUFFIX + ")?")  # "/-12.4" in "-25.6/-12.4"
ITEM_UNIT = re.compile(ITEM_SUFFIX)
PER = re.compile(
    r"(?:\s*(?P<slash>/)\s*|\s+(?P<linker>per|a|an|each)\s+)(?:(?P<scale>hundred|thousand|million|"
    r"billion|\d{1,3}(?:,\d{3})+|\d+)\s+)?(?=[A-Za-z])",
    re.I,
)
WORD = re.compile(r"\s*([A-Za-z][A-Za-z0-9-]*)")
TRAILING_OVER = re.compile(r"\+(?![\d\w])|\s+or\s+(?:more|above|higher|greater)\b")
TRAILING_UNDER = re.compile(r"\s+or\s+(?:less|below|lower|fewer)\b")
QUALIFIER_BEFORE = PhrasesBefore(QUALIFIER_PHRASES, re.I)
FROM_BEFORE = re.compile(r"(?<![A-Za-z])from\s*$", re.I)
BETWEEN_BEFORE = re.compile(r"(?<![A-Za-z])between\s*$", re.I)
LABEL_BEFORE = re.compile(
    r"(?<![A-Za-z])(?:(?P<multiple>P/?E|P/?B|P/?S|EV/EBITDA)|(?P<per_share>EPS|DPS|BVPS))"
    r"(?:\s+(?:ratios?|forecasts?|estimates?))?(?:\s+(?:of|at|to)|\s*:)?\s*$"
)
PER_SHARE_CONTEXT = re.compile(
    r"\b(?:EPS|DPS|BVPS|(?i:(?:earnings|dividends?|book\s+value)\s+per\s+share|per-share))\b"
)
PREV_WORD = re.compile(r"([A-Za-z][\w.'&-]*)\s+$")
NOUN_PHRASE_TOKEN = re.compile(r"\s+([A-Za-z][A-Za-z0-9'&-]*|\d+(?:\.\d+)?)|\s*([,;:()./])")
SHARED_NOUN_LINK = re.compile(r"(?:\s+[A-Za-z-]+)?(?:\s*,\s*|\s+(?:and|or)\s+)(?=\d)")
ENUMERATION_GAP = re.compile(r"\s*(?:,|,?\s+(?:and|or))\s*")
ENUMERATION_TAIL = re.compile(r"(?:\s*,\s*" + NUMBER_TEXT + r")*\s*,?\s+(?:and|or)\s+" + NUMBER_TEXT)

DATE = re.compile(
    r"\b(?:19|20)\d\d[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])(?!\d)"
    r"|\b" + MONTH + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:\s*-\s*\d{1,2}(?!\d))?(?!\d|,\d{3})"
    r"(?:,?\s+(?:19|20)\d\d(?!\d))?"
    r"|\b\d{1,2}(?:st|nd|rd|th)?(?:\s*-\s*\d{1,2})?\s+" + MONTH + r"\b(?:\s+(?:19|20)\d\d(?!\d))?"
    r"|\b\d{1,2}:\d\d\b"
)
YEAR = re.compile(
    r"(?=[\dFQH])(?<![A-Za-z0-9_.,$])(?:(?:FY\s?'?)?(?P<first>(?:19[5-9]|20\d)\d)(?:[EAF](?![A-Za-z])|年)?"
    r"(?P<rest>(?:\s*(?:-|~|to|/)\s*(?:FY\s?'?)?(?:(?:19[5-9]|20\d)\d|\d\d)(?:[EAF](?![A-Za-z])|年)?"
    r"|\s*(?:,|,?\s+and)\s+(?:19[5-9]|20\d)\d[EAF]?(?![A-Za-z]))*)"
    r"|(?:FY\s?'?|[1-4]Q|[12]H|[QH][1-4]\s?')(?P<short>\d\d)(?:[EAF](?![A-Za-z]))?"
    r"(?P<short_rest>(?:\s*-\s*(?:FY\s?'?)?\d\d(?:[EAF](?![A-Za-z]))?)?))(?![\d%]|[.,]\d)"
)
YEAR_IN_REST = re.compile(r"(-|~|to|/|,|and)\s*(?:FY\s?'?)?(\d{4}|\d\d)")
MONTH_BEFORE = re.compile(r"\b" + MONTH + r"\.?\s+$|\b" + MONTH + r"-" + MONTH + r"\s+$")
IGNORED_YEAR_BEFORE = re.compile(  # start points and comparison bases: "since 2019", "versus H1 2024"
    r"(?<![A-Za-z])(?:since|from|after|before|until|till|through|starting|beginning|than|versus|vs\.?"
    r"|compared\s+(?:with|to))\s+(?:the\s+)?(?:(?:start|end|beginning|middle|first\s+half|second\s+half)\s+of\s+)?"
    r"(?:(?:early|mid|late)[\s-]+)?(?:" + MONTH + r"\s+|[QH][1-4]\s+)?$",
    re.I,
)
SINCE_BEFORE = re.compile(r"(?<![A-Za-z])since(?:\s+[A-Za-z'-]+){0,4}\s+$", re.I)  # "since its peak in 2021"
IGNORED_YEAR_AFTER = re.compile(r"\s+(?:level|levels|high|highs|low|lows|peak|base|baseline|average)\b")
YEAR_TAIL = re.compile(
    r"\s+(?:in|for|by|during|of)\s+(?:the\s+)?(?:(?:end|start|beginning|middle|first\s+half|second\s+half"
    r"|first\s+quarter|full\s+year)\s+of\s+)?(?:(?:early|mid|late)[\s-]+)?"
    r"(?:(?:[QH][1-4](?:-[QH][1-4])?|[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\s+)?"
)
YEAR_HEAD = re.compile(r"\s+[A-Za-z][A-Za-z/]*")  # the noun after "16x 2025": PE, earnings
RELATIVE_YEAR_AFTER = re.compile(
    r"\s+(?:a\s+year\s+(?:earlier|ago|before)|(?:in\s+)?(?:the\s+)?(?:previous|prior|preceding)\s+year"
    r"|(?:this|last|next)\s+year)\b",
    re.I,
)
# `[,;:()!?]`, `.` before a space or the end, or a space before a conjunction; written to open with the
# class of the three first characters, which lets the regex engine skip any other character quickly.
CLAUSE_BREAK = re.compile(
    r"[,;:()!?.\s](?:(?<=[,;:()!?])|(?<=\.)(?=\s|$)|(?<=\s)(?:while|whereas|but|although"
    r"|though|from|after|versus|vs\.?|compared\s+(?:with|to)|than|which|where)(?=\s))",
    re.I,
)
CONTEXT_RESET = re.compile(
    r"(?<![A-Za-z])(?:current|currently|today|at\s+present|compared\s+(?:with|to)|versus"
    r"|than(?!\s+(?:expected|anticipated|forecast|estimated|consensus|planned)))(?![A-Za-z])",
    re.I,
)
QUALIFYING_THAN = re.compile(r"(?:more|less|fewer|rather|other|no\s+later|no\s+earlier)\s+$", re.I)


def is_year_like(digits: str) -> bool:
    return len(digits) == 4 and digits.isdigit() and 1950 <= int(digits) <= 2099


def expand_years(m: re.Match[str]) -> list[int] | None:
    """Years a YEAR match names: one, a range (2024-2026, 2024E-26E) or a list (2024/25/26, 2024 and 2025)."""
    if m.group("short"):  # FY24, 1Q25, 2H24, FY24-26
        first, last = 2000 + int(m.group("short")), m.group("short_rest")
        last = 2000 + int(last[-2:] if last[-1].isdigit() else last[-3:-1]) if last else first
        return list(range(first, last + 1)) if 0 <= last - first <= 10 else None
    years = [int(m.group("first"))]
    for separator, digits in YEAR_IN_REST.findall(m.group("rest")):
        year = int(digits) if len(digits) == 4 else years[0] // 100 * 100 + int(digits)
        if not 0 < year - years[-1] <= 10:
            return None  # "2024-12" is a date, not a range
        years.extend(range(years[-1] + 1, year + 1) if separator in ("-", "~", "to") else [year])
    return years
