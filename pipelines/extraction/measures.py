"""What each figure of a claim measures, whether it is a level or a change, and which way it points (SPEC).

All figures of a claim are read in one pass: the claim is lower-cased once (same length, so a figure's offsets
still hold), every cue phrase of every table below is found by one precompiled scan, and each figure then
looks only at the cues of its own sentence. The vocabulary lives in the tables; the functions only say how
near a cue must stand and which one wins.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from pipelines.extraction.phrases import alternation

MEASURES = (
    "target_price",
    "eps",
    "pe",
    "valuation_other",
    "dividend",
    "revenue",
    "net_profit",
    "profit_other",
    "margin",
    "return_ratio",
    "capex",
    "market_size",
    "market_share",
    "volume",
    "price",
    "stock_return",
    "macro",
    "other",
)  # the SPEC's order of precedence
CHANGE_BASES = ("level", "yoy", "qoq", "mom", "cagr", "change")
DIRECTIONS = ("up", "down")
FORECAST_SERIES_MEASURES = frozenset({"revenue", "net_profit", "eps", "pe", "target_price"})  # forecast_series


class Figure(Protocol):
    raw_text: str
    value: float
    unit: str
    per_unit: str | None
    fiscal_year: int | None
    start: int  # offsets into the claim text
    end: int


@dataclass(frozen=True)
class Reading:
    measure: str
    change_basis: str
    direction: str | None

    @property
    def metric_kind(self) -> str | None:
        """The forecast series a stated level belongs to (its measure), else None: growth rates are not levels."""
        return self.measure if self.change_basis == "level" and self.measure in FORECAST_SERIES_MEASURES else None


# --- vocabulary ---------------------------------------------------------------------------------------------

# Words that name what a figure is about, per measure in the SPEC's order. A phrase names one measure; the
# longest phrase wins where phrases overlap ("market share" over "market", "gross margin" over "margin").
MEASURE_CUES: dict[str, tuple[str, ...]] = {
    "target_price": ("target price", "target prices", "price target", "reasonable value", "fair value", "value range"),
    "eps": ("eps", "earnings per share"),
    "pe": ("pe", "p/e", "forward pe", "price-to-earnings", "price/earnings", "earnings multiple"),
    "valuation_other": (
        "pb",
        "p/b",
        "ps",
        "p/s",
        "ev/ebitda",
        "peg",
        "market cap",
        "market capitalization",
        "market value",
        "valuation",
    ),
    "dividend": (
        "dividend",
        "dividends",
        "dividend yield",
        "dividend yields",
        "payout",
        "payout ratio",
        "paying out",
        "paid out",
    ),
    "revenue": (
        "revenue",
        "revenues",
        "sales revenue",
        "operating revenue",
        "operating income",
        "income from",
        "interest income",
        "grossed",
        "gross revenue",
        "sales of",
        "turnover",
    ),
    "net_profit": (
        "net profit",
        "net profits",
        "net income",
        "attributable",
        "net loss",
        "profit",
        "profits",
        "earnings",
        "loss",
        "losses",
    ),
    "profit_other": (
        "gross profit",
        "operating profit",
        "ebit",
        "ebitda",
        "total profit",
        "pre-tax profit",
        "profit before tax",
    ),
    "margin": (
        "margin",
        "margins",
        "gross margin",
        "gross margins",
        "net margin",
        "nim",
        "net interest margin",
        "operating margin",
        "profitability",
    ),
    "return_ratio": ("roe", "roa", "roic", "return on equity", "return on assets"),
    "capex": (
        "capex",
        "capital expenditure",
        "capital spending",
        "investment",
        "invest",
        "construction in progress",
        "tenders",
        "tender",
    ),
    "market_size": (
        "market",
        "markets",
        "market size",
        "industry revenue",
        "output value",
        "exports",
        "box office",
        "deal value",
        "tam",
        "gmv",
        "market demand",
    ),
    "market_share": (
        "market share",
        "share",
        "penetration",
        "concentration",
        "substitution rates",
        "substitution rate",
        "localization rate",
        "of the total",
        "hold",
        "account for",
        "accounted for",
        "accounting for",
        "made up",
        "contributing",
    ),
    "volume": (
        "shipments",
        "shipment",
        "sales volume",
        "output",
        "capacity",
        "deliveries",
        "delivered",
        "orders",
        "users",
        "players",
        "installations",
        "production",
        "generated",
        "generation",
        "units",
        "sales",
        "accounts",
        "applications",
        "holdings",
        "inventories",
        "token usage",
        "consumption",
        "volume",
        "approved",
    ),
    "price": (
        "price",
        "prices",
        "priced",
        "asp",
        "selling price",
        "fee",
        "fees",
        "charges",
        "charge",
        "tariff",
        "tariffs for",
        "on-grid tariff",
        "traded at",
        "deposit cost",
        "funding cost",
        "funding costs",
        "hardware cost",
        "cost advantage",
        "loan yield",
        "pricing",
        "premium",
        "treatment charge",
        "contract prices",
        "capacity price",
        "payment of",
        "value per",
    ),
    "stock_return": (
        "index",
        "csi 300",
        "stock market",
        "outperforming",
        "outperformed",
        "upside",
        "downside",
        "excess return",
        "share price rose",
        "stocks rose",
    ),
    "macro": (
        "gdp",
        "cpi",
        "ppi",
        "pmi",
        "total retail sales",
        "retail sales of consumer goods",
        "fixed-asset investment",
        "industrial output",
        "a-share turnover",
        "daily turnover",
        "margin financing",
        "etf",
        "etfs",
        "funds",
        "bond yield",
        "treasury bonds",
        "special bonds",
        "government debt",
        "deficit",
        "deficit ratio",
        "subsidies",
        "subsidy",
        "trade-in",
        "trade-ins",
        "trade-in funding",
        "tariffs",
        "tariff rate",
        "duties",
        "reserve requirement ratio",
        "policy rates",
        "repo rate",
        "lpr",
        "unemployment rate",
        "urban jobs",
        "mortgages",
        "etf holdings",
        "retail sales growth",
        "growth target",
        "cpi target",
        "injection",
    ),
    "other": (
        "r&d",
        "r&d investment",
        "cost",
        "costs",
        "expenses",
        "debt",
        "inventory",
        "upfront",
        "milestones",
        "npl ratio",
        "provision coverage",
        "aum",
        "total assets",
        "tier-1 ratio",
        "tier-1 ratios",
        "new business value",
        "efficiency",
        "prepayments",
        "equipment value",
        "value of",
    ),
}

# Cues whose figures are themselves negatives of their measure: a level is `down`, a change points the other way.
NEGATIVE_CUES = frozenset({"net loss", "loss", "losses", "deficit", "deficit ratio", "outflow", "outflows"})

UNITS_OF = {  # the units a measure's own figure can carry; changes (%, pp, x) fit most measures
    "target_price": {"money"},
    "eps": {"money"},
    "pe": {"x"},
    "valuation_other": {"x", "%", "money"},
    "dividend": {"money", "%"},
    "revenue": {"money", "%", "x"},
    "net_profit": {"money", "%", "x"},
    "profit_other": {"money", "%"},
    "margin": {"%", "pp"},
    "return_ratio": {"%", "pp"},
    "capex": {"money", "%", "x"},
    "market_size": {"money", "%", "x"},
    "market_share": {"%", "pp"},
    "volume": {"count", "%", "x"},
    "price": {"money", "%", "pp", "x"},
    "stock_return": {"%", "pp"},
    "macro": {"money", "%", "pp", "x", "count"},
    "other": {"money", "%", "pp", "x", "count"},
}
SALES_BY_UNIT = {"money": "revenue"}  # "sales of 5 billion yuan" is revenue; "sales of 5 million units" volume

# Words right before a figure that make it a change, and which way it points.
CHANGE_WORDS = {
    "up": (
        "rose",
        "rise",
        "rising",
        "risen",
        "grew",
        "grow",
        "growing",
        "up",
        "increase",
        "increased",
        "increasing",
        "increases",
        "jumped",
        "surged",
        "climbed",
        "gained",
        "added",
        "add",
        "adds",
        "lift",
        "lifts",
        "lifted",
        "lifting",
        "raise",
        "raised",
        "raises",
        "boost",
        "boosted",
        "expanded",
        "expanding",
        "expand",
        "improved",
        "improve",
        "rebounded",
        "doubled",
        "widened",
        "outperforming",
        "outperformed",
        "edged up",
        "higher",
        "accelerated",
        "upside",
    ),
    "down": (
        "fell",
        "fall",
        "falling",
        "fallen",
        "down",
        "declined",
        "decline",
        "declining",
        "decreased",
        "decrease",
        "dropped",
        "drop",
        "slumped",
        "cut",
        "cuts",
        "cutting",
        "lowered",
        "lower",
        "reduce",
        "reduced",
        "reduces",
        "narrow",
        "narrowed",
        "narrowing",
        "shrank",
        "shrink",
        "slipped",
        "slid",
        "contracted",
        "underweight",
        "downside",
    ),
}
# Nouns that make the figure attached to them a growth rate ("growth of 5%", "slowed to 0.7%").
RATE_NOUNS = {
    "up": (
        "growth",
        "growth rate",
        "annual rate",
        "cpi target",
        "growth target",
        "cpi",
        "ppi",
        "inflation",
        "cagr",
        "compound annual growth",
    ),
    "down": ("price cuts", "cuts in"),
}
# Words right after a figure that make it a change: "85% lower", "a 33-fold increase", "6 times that of".
CHANGE_AFTER = {
    "up": ("higher", "more", "increase", "rise", "above the", "larger", "greater", "upside", "times", "fold"),
    "down": ("lower", "less", "decline", "drop", "below the", "smaller", "fewer", "cheaper", "downside"),
}
# Nouns that make the figure after them a difference between two items: "a premium of US$1,000 per ton".
DIFFERENCE_NOUNS = {"gap": "up", "premium": "up", "spread": "up", "cost advantage": "down", "discount": "down"}
# Rates that are year-on-year changes by definition: "the CPI target was lowered to around 2%".
YEAR_ON_YEAR_RATES = frozenset({"cpi target", "growth target", "annual rate"})
# Explicit periods of a change, strongest first.
BASIS_CUES = {
    "cagr": ("cagr", "compound annual", "compound growth"),
    "qoq": ("quarter on quarter", "quarter-on-quarter", "qoq", "q/q", "sequentially"),
    "mom": ("month on month", "month-on-month", "mom", "m/m", "monthly"),
    "yoy": (
        "year on year",
        "year-on-year",
        "yoy",
        "y/y",
        "a year earlier",
        "a year ago",
        "the prior year",
        "the previous year",
        "last year",
        "annual rate",
        "year earlier",
    ),
}
# A change measured against another item or from a point in time, not over a reporting period.
COMPARISON_CUES = (
    "than",
    "compared with",
    "versus",
    "that of",
    "since",
    "low",
    "peak",
    "within",
    "trading days",
    "weeks to",
    "over peers",
    "from late",
    "from its",
    "from their",
    "the level of",
    "the average",
    "the list price",
    "of the list price",
    "previous round",
    "previous rounds",
    "by the end of",
    "release",
)
# A reporting period named in the claim makes growth year-on-year (SPEC: "up 19.2% in 2024", "H1 revenue rose").
_PERIOD = re.compile(
    r"\b(?:(?:19|20)\d\d|h[12]|[1-4]h|q[1-4]|first half|second half|first three quarters"
    r"|(?:first|second|third|fourth) quarter|year-to-date|ytd|full[- ]year|this year"
    r"|for the year|january|february|march|april|may|june|july|august|september"
    r"|october|november|december)\b"
)
_NOT_A_PERIOD_BEFORE = re.compile(r"(?:since|from|end of|by|before|after)\s+(?:the\s+)?(?:early\s+|late\s+|mid-)?$")

STATED_AS = {"in volume": "volume", "in value": "market_size"}  # "exports rose 20% in volume"
ATTACHED_CUES = frozenset({"priced", "traded at", "payment of", "generated"})
EARNINGS_AS_PE = frozenset({"earnings"})  # "22x 2025 earnings" is a PE
SALES_CUES = frozenset({"sales", "sales revenue", "revenue", "revenues"})
TIME_NOUNS = frozenset({"year", "month", "quarter", "week", "day", "annum"})  # "300 billion yuan a year" is a flow


# --- scanning -----------------------------------------------------------------------------------------------

_MEASURE_OF = {phrase: measure for measure in reversed(MEASURES) for phrase in MEASURE_CUES[measure]}
_CUE = re.compile(r"(?<![\w&/-])(?:" + alternation(_MEASURE_OF) + r")(?![\w&/-])")
_DIRECTION_OF = {w: d for d, words in CHANGE_WORDS.items() for w in words}
_CHANGE_BEFORE = re.compile(
    r"(?<![\w-])(" + alternation(_DIRECTION_OF) + r")(?:\s+(?:by|of|only|just|another"
    r"|a further|an?|to))*\s*$"
)
_RATE_DIRECTION = {w: d for d, words in RATE_NOUNS.items() for w in words}
_RATE_NOUN = re.compile(r"(?<![\w-])(" + alternation(_RATE_DIRECTION) + r")(?![\w-])")
_AFTER_DIRECTION = {w: d for d, words in CHANGE_AFTER.items() for w in words}
_CHANGE_FOLLOWS = re.compile(
    r"^[\s-]*(?:(?:percentage points?|pp|of)\s+)?(" + alternation(_AFTER_DIRECTION) + r")(?![\w-])"
)
_BASIS_OF = {p: basis for basis, phrases in BASIS_CUES.items() for p in phrases}
_BASIS = re.compile(r"(?<![\w-])(?:" + alternation(_BASIS_OF) + r")(?![\w-])")
_COMPARISON = re.compile(r"(?<![\w-])(?:" + alternation(COMPARISON_CUES) + r")(?![\w-])")
_SHARE_OF = re.compile(r"^\s*of\s+(?!which)")
_OF_YEAR_END = re.compile(r"\bof\s+(?:19|20)\d\d$")
_SUBJECT_AFTER = re.compile(
    r"^\s*(?:percentage points?\s+|pp\s+)?(?:(?:rise|increase|decline|drop|fall|cut|gain)\s+in"
    r"|to)\s"
)
_ATTACHED_REACH = 4
_FROM_OR_TO = re.compile(r"(?<![\w-])(?:from|to)\s*$")
_MULTIPLE = re.compile(r"times|fold", re.I)
_THRESHOLD = re.compile(r"(?:above|below)\b", re.I)
_STATED_AS = re.compile(r"^\s*(" + alternation(STATED_AS) + r")(?![\w-])")
_ANY_DIGIT = re.compile(r"\d")
_NOT_A_CHANGE = re.compile(
    r"(?<![\w-])(?:made|make|makes|making|set|sets|taken|take|takes|took) up"
    r"(?:\s+(?:only|just))?\s*$"
)
# `.` between non-digits, `;` or a blank line; each branch opens with its character (the look-behind
# follows it), which lets the regex engine skip any other character quickly.
_SENTENCE_BREAK = re.compile(r"\.(?<!\d\.)(?!\d)|;|\n\s*\n")
_UPPER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

_NEAR = 40  # how far before a figure a change word still governs it
_AFTER = 45  # how far after a figure its period ("year on year") or its subject ("of revenue") may stand


def _unit_class(figure: Figure) -> str:
    if figure.unit in ("%", "pp", "x", "count"):
        return figure.unit
    return "money"


_Cue = tuple[int, int, str, str]  # start, end, phrase, measure


@dataclass
class _Claim:
    text: str  # lower-cased, same offsets as the claim
    cues: list[_Cue]
    cue_starts: list[int]
    breaks: list[int]


def _scan(claim: str) -> _Claim:
    text = claim.translate(_UPPER)
    cues = [(m.start(), m.end(), m.group(), _MEASURE_OF[m.group()]) for m in _CUE.finditer(text)]
    return _Claim(text, cues, [c[0] for c in cues], [m.start() for m in _SENTENCE_BREAK.finditer(text)])


def _sentence(claim: _Claim, start: int, end: int) -> tuple[int, int]:
    i = bisect.bisect_left(claim.breaks, start)
    lo = claim.breaks[i - 1] + 1 if i else 0
    j = bisect.bisect_left(claim.breaks, end)
    hi = claim.breaks[j] if j < len(claim.breaks) else len(claim.text)
    return lo, hi


def _fits(measure: str, unit: str) -> bool:
    return unit in UNITS_OF[measure]


def _cue_measure(phrase: str, measure: str, unit: str) -> str | None:
    if phrase in SALES_CUES - {"revenue", "revenues", "sales revenue"}:
        return SALES_BY_UNIT.get(unit, "volume")
    return measure if _fits(measure, unit) else None


# --- deciding -----------------------------------------------------------------------------------------------


def _measure(
    claim: _Claim,
    figure: Figure,
    unit: str,
    lo: int,
    hi: int,
    is_change: bool,
    previous: tuple[Figure, str] | None,
    section_cues: list[_Cue],
) -> tuple[str, str | None]:
    """The figure's measure and the cue phrase that named it (None when no phrase did)."""
    text = claim.text
    after = text[figure.end : min(hi, figure.end + _AFTER)]
    first = bisect.bisect_left(claim.cue_starts, lo)
    sentence = [c for c in claim.cues[first:] if c[0] < hi]
    # a participle cue ("priced at", "traded at") names only the figure right after it
    before = [
        c
        for c in sentence
        if c[1] <= figure.start and (c[2] not in ATTACHED_CUES or figure.start - c[1] <= _ATTACHED_REACH)
    ]
    following = [c for c in sentence if c[0] >= figure.end]
    in_span = [c for c in sentence if figure.start <= c[0] < figure.end]
    if unit == "x":
        if any(m == "pe" or p in EARNINGS_AS_PE for _, _, p, m in in_span + following[:1]) or any(
            m == "pe" for _, _, _, m in sentence
        ):
            return "pe", None
        for _, _, phrase, measure in in_span + following[:2]:
            if measure == "valuation_other":
                return measure, phrase
    if unit == "money" and figure.per_unit == "share":
        for _, _, phrase, measure in reversed(before):
            if measure in ("target_price", "dividend"):
                return measure, phrase
        return "eps", None
    if unit == "money" and any(m == "target_price" for _, _, _, m in before[-2:]):
        return "target_price", None
    stated_as = _STATED_AS.match(after)
    if stated_as:
        return STATED_AS[stated_as.group(1)], None
    subject_after = _SUBJECT_AFTER.match(after)
    if (
        subject_after
        and following
        and not _ANY_DIGIT.search(text, figure.end, following[0][0])
        and following[0][0] - figure.end <= 30
    ):
        _, _, phrase, measure = following[0]
        found = _cue_measure(phrase, measure, unit)
        if found:
            return found, phrase
    if _is_share_of(after, figure.raw_text) and unit == "%" and not is_change:
        if any(m == "dividend" for _, _, _, m in before):
            return "dividend", None
        for _, _, phrase, measure in following[:1]:
            if phrase in SALES_CUES or measure == "revenue":
                return "revenue", None
            if measure in ("market_share", "volume", "market_size"):
                return "market_share", phrase
            if measure == "other":
                return "other", phrase
        if any(m == "market_share" for _, _, _, m in before):
            return "market_share", None
    if unit == "count":
        for _, _, phrase, measure in in_span + before[-1:]:
            if measure == "macro":
                return measure, phrase
        return "volume", None
    if unit == "money" and figure.per_unit is not None and figure.per_unit not in TIME_NOUNS:
        for _, end, phrase, measure in reversed(before[-2:]):
            if measure in ("net_profit", "macro") and figure.start - end < 50:
                return measure, phrase
        return "price", None
    if (
        previous
        and not any(previous[0].end <= c[0] and c[1] <= figure.start for c in sentence)
        and previous[0].start >= lo
        and _fits(previous[1], unit)
    ):
        return previous[1], None
    for _, _, phrase, measure in [
        *reversed(before),
        *following,
        *reversed([c for c in claim.cues if c[1] <= lo]),
        *section_cues,
    ]:
        found = _cue_measure(phrase, measure, unit)
        if found:
            return found, phrase
    return _DEFAULT_BY_UNIT.get(unit, "other"), None


def _is_share_of(after: str, raw_text: str) -> bool:
    """ "40% of its revenue", "90% of 2024 revenue": the figure is a part of what follows."""
    return bool(_SHARE_OF.match(after) or _OF_YEAR_END.search(raw_text))


_DEFAULT_BY_UNIT = {"count": "volume", "x": "other", "%": "other", "pp": "other", "money": "other"}


def _change(claim: _Claim, figure: Figure, unit: str, lo: int, previous_end: int) -> str | None:
    """`up` or `down` when the words make the figure a change, else None (a level)."""
    text = claim.text
    after = text[figure.end : figure.end + _AFTER]
    follows = _CHANGE_FOLLOWS.match(after)
    if follows and not (
        unit == "money"
        and follows.group(1) in ("more", "less")
        and "than" in after[:15]
        and "than the" not in after[:20]
    ):
        return _AFTER_DIRECTION[follows.group(1)]
    if unit == "x":  # "6 times that of", "a 33-fold increase"; "25x PE" is the multiple itself
        return "up" if _MULTIPLE.search(figure.raw_text) else None
    rate = None
    for m in _RATE_NOUN.finditer(text, max(lo, figure.start - 70), figure.start):
        rate = _RATE_DIRECTION[m.group(1)]
    if _THRESHOLD.match(figure.raw_text) and not rate:  # "fell below 1.8%": where it stands, not how far it moved
        return None
    for m in _DIFFERENCE_NOUN.finditer(text, max(lo, previous_end, figure.start - _NEAR), figure.start):
        return DIFFERENCE_NOUNS[m.group(1)]
    window_start = max(lo, previous_end, figure.start - _NEAR)
    before = text[window_start : figure.start]
    changed = _CHANGE_BEFORE.search(before)
    if changed and not before.rstrip().endswith(" to") and not _NOT_A_CHANGE.search(before):
        return _DIRECTION_OF[changed.group(1)]
    if rate and unit != "count" and unit != "money":
        return rate
    if unit in ("pp",):
        last = None
        for m in _VERB.finditer(text, lo, figure.start):
            last = m.group(1)
        return _DIRECTION_OF[last] if last else "up"
    if before.rstrip().endswith(" by"):
        last = None
        for m in _VERB.finditer(text, lo, figure.start):
            last = m.group(1)
        if last:
            return _DIRECTION_OF[last]
    return None


_DIFFERENCE_NOUN = re.compile(r"(?<![\w-])(" + alternation(DIFFERENCE_NOUNS) + r")(?![\w-])")
_VERB = re.compile(r"(?<![\w-])(" + alternation(_DIRECTION_OF) + r")(?![\w-])")


def _basis(claim: _Claim, figure: Figure, lo: int, hi: int, next_start: int, measure: str) -> str:
    text = claim.text
    after = text[figure.end : min(hi, next_start, figure.end + _AFTER)]
    m = _BASIS.search(after)
    if m:
        return _BASIS_OF[m.group()]
    before = text[max(lo, figure.start - 60) : figure.start]
    m = next(reversed([*_BASIS.finditer(before)]), None)  # the cue nearest the figure
    if m and _BASIS_OF[m.group()] != "yoy":
        return _BASIS_OF[m.group()]
    if measure == "stock_return":
        return "change"
    if _names_period(text, figure.start, figure.end):  # "narrow by 0.15 pp in 2025"
        return "yoy"
    if _COMPARISON.search(after) or _COMPARISON.search(text, max(lo, figure.start - 60), figure.start):
        return "change"
    if any(p in YEAR_ON_YEAR_RATES for p in _RATE_NOUN.findall(text, max(lo, figure.start - 70), figure.start)):
        return "yoy"
    return "yoy" if _names_period(text, 0, len(text)) else "change"


def _names_period(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] names a reporting period ("in 2024", "H1"), not a point ("since May", "by 2027")."""
    return any(
        not _NOT_A_PERIOD_BEFORE.search(text, max(0, p.start() - 20), p.start())
        for p in _PERIOD.finditer(text, start, end)
    )


def read_figures(
    claim: str, figures: Sequence[Figure], section: str | None = None, subsection: str | None = None
) -> list[Reading]:
    """One reading per figure of `claim` (figures in reading order, offsets into `claim`)."""
    if not figures:
        return []
    scanned = _scan(claim)
    section_cues = _scan(subsection).cues if subsection else []
    readings = []
    for k, figure in enumerate(figures):
        unit = _unit_class(figure)
        lo, hi = _sentence(scanned, figure.start, figure.end)
        previous_end = figures[k - 1].end if k else 0
        next_start = figures[k + 1].start if k + 1 < len(figures) else len(claim)
        direction = _change(scanned, figure, unit, lo, previous_end)
        follows_change = (
            k
            and readings[k - 1].change_basis != "level"
            and figures[k - 1].unit == figure.unit
            and figures[k - 1].start >= lo
            and _FROM_OR_TO.search(scanned.text, previous_end, figure.start)
        )
        if follows_change:  # "grew 3.2% year on year, up from 2.1%": the earlier rate is a change of the same kind
            direction = readings[k - 1].direction
        measure, phrase = _measure(
            scanned,
            figure,
            unit,
            lo,
            hi,
            direction is not None,
            (figures[k - 1], readings[k - 1].measure) if k else None,
            section_cues,
        )
        if direction is None:
            basis = "level"
            if phrase in NEGATIVE_CUES:
                direction = "down"
        else:
            basis = (
                readings[k - 1].change_basis if follows_change else _basis(scanned, figure, lo, hi, next_start, measure)
            )
            if phrase in NEGATIVE_CUES:
                direction = "up" if direction == "down" else "down"
        if figure.value < 0:
            direction = None
        readings.append(Reading(measure, basis, direction))
    return readings
