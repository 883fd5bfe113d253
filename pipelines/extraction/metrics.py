"""Quantities stated in a bullet: value in base units, unit, rate denominator, fiscal year, qualifier.

The text is first folded into a same-length copy (full-width forms, dashes, whitespace, citation markers),
so an offset into the copy is an offset into the caller's text. Numbers are found in one scan; each is
parsed left to right by small anchored patterns over bounded windows, and fiscal years are settled in one
ordered pass over the year phrases and clause breaks. Work is linear in the text and no pattern can
backtrack over more than a window, whatever the input.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    raw_text: str
    value: float
    value_high: float | None
    unit: str
    per_unit: str | None
    fiscal_year: int | None
    qualifier: str | None
    start: int  # offsets into the text given to find_metrics
    end: int


CURRENCIES = frozenset({"CNY", "USD", "HKD", "EUR", "JPY", "GBP", "KRW", "INR", "CHF", "SGD", "AUD", "CAD", "TWD"})
UNITS = CURRENCIES | {"%", "pp", "x", "count"}
QUALIFIER_PHRASES = {  # words right before a figure that qualify it ("more than 10%"), by qualifier
    "up_to": ("no more than", "up to", "as much as", "as many as", "at most", "capped at", "a maximum of"),
    "over": ("no less than", "more than", "greater than", "higher than", "over", "exceed", "exceeds", "exceeded",
             "exceeding", "surpass", "surpasses", "surpassed", "surpassing", "above", "beyond", "in excess of",
             "upwards of", "at least", "north of", "topped", "topping"),
    "under": ("less than", "fewer than", "lower than", "under", "below", "short of"),
    "approx": ("approximately", "approx", "approx.", "about", "around", "nearly", "roughly", "almost", "close to",
               "some", "circa", "c.", "~", "an estimated"),
}
QUALIFIERS = frozenset(QUALIFIER_PHRASES)

_WINDOW = 80  # the farthest any rule looks from a number
_NEAR = 32  # the window of rules about the words right before a number
_MAX_DIGITS = 40  # longer digit runs are identifiers or noise, never quantities
_MAX_LIST_ITEMS = 8  # "1.2/1.5/1.9": forecast lists are short; "1/2/3/.../99" is not a forecast
_MONTH_YEAR_REACH = 30  # "21 models with ... in February 2025": an event month dates only what is right before it
_YEAR_REACH = 90  # how far before a year phrase a figure may stand and still be dated by it
_LIST_YEAR_REACH = 300  # "35/28/22x" takes its years from a range stated this close, before or after

# --- normalisation -----------------------------------------------------------------------------------------

_FOLD = {c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}  # full-width ASCII: ［12］ ％ ＄ ，
_FOLD.update({ord(c): " " for c in "\t\n\r\v\f\u00a0\u2007\u2009\u202f\u3000"})
_FOLD.update({ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2212"})  # hyphens, en dash, minus; not em dash
_FOLD.update({0x2018: "'", 0x2019: "'", 0xFFE5: "¥", 0x3001: ",", 0x3002: "."})
_CITATION = re.compile(r"\[\s*\d{1,4}\s*\]")


def _normalise(text: str) -> str:
    folded = text.translate(_FOLD)
    if "[" in folded:
        folded = _CITATION.sub(lambda m: " " * len(m.group()), folded)
    return folded


# --- vocabulary --------------------------------------------------------------------------------------------

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6, "billion": 1e9,
           "bn": 1e9, "bln": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "trn": 1e12, "t": 1e12,
           "千": 1e3, "万": 1e4, "亿": 1e8, "万亿": 1e12}
_CURRENCY_ONLY_SCALES = frozenset({"m", "b", "t"})  # "$5m", "US$3b", "US$1.6T"; alone they are codes (1.6T)
_ATTACHED_MEASURES = frozenset({"gw", "mw", "kw", "gwh", "mwh", "kwh", "twh", "kg", "km"})  # "10GW"
_CURRENCY_SYMBOLS = {"US$": "USD", "U.S.$": "USD", "$": "USD", "HK$": "HKD", "NT$": "TWD", "S$": "SGD",
                     "A$": "AUD", "C$": "CAD", "€": "EUR", "£": "GBP", "¥": "CNY", "RMB": "CNY", "Rmb": "CNY",
                     "rmb": "CNY", "CNH": "CNY"}
_CURRENCY_WORDS = {"yuan": "CNY", "renminbi": "CNY", "rmb": "CNY", "euro": "EUR", "euros": "EUR", "yen": "JPY",
                   "won": "KRW", "rupee": "INR", "rupees": "INR", "元": "CNY", "人民币": "CNY", "美元": "USD",
                   "港元": "HKD", "港币": "HKD", "欧元": "EUR", "日元": "JPY", "英镑": "GBP"}
_DOLLAR_COUNTRIES = {"hong kong": "HKD", "hk": "HKD", "new taiwan": "TWD", "nt": "TWD", "singapore": "SGD",
                     "australian": "AUD", "canadian": "CAD"}
_ISO_CODES = "|".join(sorted(CURRENCIES))
_TIME_NOUNS = frozenset({"second", "minute", "hour", "day", "week", "month", "quarter", "year", "decade",
                         "century", "session", "trading", "weekend", "night", "yr", "mo"})
_MEASURE_NOUNS = frozenset({
    "ton", "tonne", "kg", "kilogram", "gram", "ounce", "oz", "lb", "barrel", "kwh", "mwh", "gwh", "twh", "kw",
    "mw", "gw", "w", "t", "watt", "kilowatt", "megawatt", "gigawatt", "unit", "share", "item", "piece",
    "vehicle", "bottle", "user", "person", "head", "capita", "sqm", "hectare", "mu", "litre", "liter", "meter",
    "metre", "km", "teu", "token", "box", "bag", "set", "seat", "bed", "room", "store", "card"})
_NOT_PLURAL = frozenset({
    "is", "was", "has", "its", "this", "thus", "plus", "less", "across", "versus", "various", "previous", "as",
    "us", "does", "yes", "always", "perhaps", "whereas", "besides", "news", "gas", "bonus", "status", "basis",
    "analysis", "focus", "census", "consensus", "corpus", "campus", "bus", "gross", "overseas", "sales"})
_IRREGULAR_PLURALS = frozenset({"people", "staff", "personnel", "children", "men", "women", "cattle", "sheep",
                                "fish", "aircraft", "kwh", "mwh", "gwh", "twh", "mw", "gw", "kw"})
_NP_STOPWORDS = frozenset({
    "the", "a", "an", "of", "to", "in", "on", "at", "by", "for", "from", "with", "and", "or", "but", "nor",
    "as", "than", "that", "which", "who", "whom", "whose", "is", "are", "was", "were", "be", "been", "being",
    "has", "have", "had", "will", "would", "could", "should", "can", "may", "might", "must", "per", "each",
    "while", "its", "their", "his", "her", "this", "these", "those", "after", "before", "since", "until",
    "over", "under", "about", "into", "onto", "including", "up", "down", "against", "via", "within",
    "respectively", "yoy", "year-on-year", "quarter-on-quarter", "month-on-month", "versus", "vs", "if",
    "so", "such", "more", "less", "higher", "lower", "above", "below", "only", "also", "not", "no", "it",
    "we", "they", "our", "between", "during", "through", "among", "amid", "following", "ahead", "when"})
_NAME_PREFIX_OK = frozenset({  # capitalised words that may stand before a count without naming it
    "in", "on", "at", "by", "for", "of", "to", "with", "about", "over", "under", "nearly", "around",
    "approximately", "roughly", "almost", "some", "only", "just", "another", "all", "total", "up", "down",
    "below", "above", "more", "less", "fewer", "exceeding", "exceeded", "the", "a", "an", "and", "or", "from",
    "between", "each", "every", "approx", "those", "these", "its", "their", "our", "we", "it", "they",
    "there", "estimated", "circa", "as", "than", "after", "before", "since"})
_RANK_WORDS = frozenset({"top", "bottom", "no", "no.", "number", "phase", "batch", "tier", "level", "grade",
                         "class", "section", "article", "chapter", "item", "version", "round", "stage",
                         "model", "series", "gen", "generation", "rank", "ranked", "ranking", "figure",
                         "table", "page", "line", "step", "part", "type", "zone", "district"})
_PER_ARTICLE_NOUNS = frozenset({"year", "month", "week", "day", "ton", "tonne", "share", "unit", "head",
                                "person", "vehicle", "annum"})  # "300 billion yuan a year", not "a record"
_PER_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}

# --- patterns (each applied at a known position, inside a bounded window) ----------------------------------

class _PhrasesBefore:
    """Which phrase of a table ends a text (trailing whitespace aside), not inside a longer word.

    Searching `(?<![A-Za-z])(?:phrases)\\s*$` in a window tries every phrase at every start; matching the
    phrases reversed at the start of the reversed window tries them once. The phrases with more words come
    first, so the match is the one that search finds, the leftmost: "no less than" (over), not "less than".
    """

    def __init__(self, table: dict[str, tuple[str, ...]], flags: int = 0) -> None:
        phrases = sorted(((phrase, kind) for kind, phrases in table.items() for phrase in phrases),
                         key=lambda entry: len(entry[0].split()), reverse=True)
        self.kinds = [kind for _, kind in phrases]  # of each phrase's group, in order
        reversed_phrases = "|".join(
            "(" + r"\s+".join(re.escape(word[::-1]) for word in reversed(phrase.split())) + ")" for phrase, _ in phrases)
        self.pattern = re.compile(rf"\s*(?:{reversed_phrases})(?![A-Za-z])", flags)

    def search(self, text: str) -> tuple[str, int] | None:
        """The kind of the phrase ending `text` and how many characters it takes with the whitespace after."""
        m = self.pattern.match(text[::-1])
        return (self.kinds[m.lastindex - 1], m.end()) if m else None


_NUMBER_TEXT = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?"
_NUMBER = re.compile(r"(?=\d)(?:(?<![A-Za-z0-9_.])|(?<=RMB|Rmb|USD|HKD|CNY|EUR|GBP|JPY))" + _NUMBER_TEXT)
_ANY_DIGIT = re.compile(r"\d")
_CODE_TAIL = re.compile(r"[\w./-]*")
_SPACES = re.compile(r"\s*")
_ATTACHED_WORD = re.compile(r"[A-Za-z]+")
_HYPHEN_WORD = re.compile(r"-\s?(?:(fold)\b|[A-Za-z])")
_SCALE_WORD = re.compile(r"\s*(?:(thousand|million|billion|trillion|bn|mn|mln|bln|tn|trn)\b|(万亿|亿|万|千))",
                         re.I)
_UNIT_AFTER = re.compile(
    r"""\s*(?:
        (?P<pp>(?:percent(?:age)?|pct)[\s-]*(?:points?|pts?)\b|pp(?:ts?|s)?\b|个?百分点)
      | (?P<pct>%|per\s?cent\b|percent\b|pct\b)
      | (?P<bp>basis[\s-]points?\b|bps?\b)
      | (?P<times>times\b|-?\s?fold\b|倍)
      | (?P<dollar>(?P<country>US|U\.S\.|Hong\s+Kong|HK|New\s+Taiwan|NT|Singapore|Australian|Canadian)?
                   \s*dollars?\b)
      | (?P<sterling>(?:pounds?\s+)?sterling\b)
      | (?P<word>yuan\b|renminbi\b|RMB\b|euros?\b|yen\b|won\b|rupees?\b|人民币|美元|港元|港币|欧元|日元|英镑|元)
      | (?P<iso>(?:""" + _ISO_CODES + r""")\b)
      | (?P<counter>吨|辆|台|家|个|人|户|件|套|张|部|座|颗|片|只)
    )""", re.X)
_CURRENCY_BEFORE = re.compile(
    r"(?:(?P<sym>US\s?\$|U\.S\.\$|HK\s?\$|NT\s?\$|S\$|A\$|C\$|\$|€|£|¥)|(?<![A-Za-z])(?P<code>RMB|Rmb|rmb|CNH|"
    + _ISO_CODES + r"))\s*$")
_RANGE_SEP = re.compile(r"\s*(?:-|~|to)\s*|\s+and\s+")
_RANGE_HEAD = re.compile(r"(?P<cur>US\$|HK\$|RMB\s*|\$|€|£|¥)?(?P<neg>-)?")
_ITEM_SUFFIX = r"(?:[xX%]|bn|mn|k)(?![A-Za-z])"  # what each item of "25x/20x", "1.2bn/1.5bn" may carry
_SLASH_ITEM = re.compile(r"\s?/\s?(" + _NUMBER_TEXT + ")(" + _ITEM_SUFFIX + ")?")
_ITEM_UNIT = re.compile(_ITEM_SUFFIX)
_PER = re.compile(r"(?:\s*(?P<slash>/)\s*|\s+(?P<linker>per|a|an|each)\s+)(?:(?P<scale>hundred|thousand|million|"
                  r"billion|\d{1,3}(?:,\d{3})+|\d+)\s+)?(?=[A-Za-z])", re.I)
_WORD = re.compile(r"\s*([A-Za-z][A-Za-z0-9-]*)")
_TRAILING_OVER = re.compile(r"\+(?![\d\w])|\s+or\s+(?:more|above|higher|greater)\b")
_TRAILING_UNDER = re.compile(r"\s+or\s+(?:less|below|lower|fewer)\b")
_QUALIFIER_BEFORE = _PhrasesBefore(QUALIFIER_PHRASES, re.I)
_FROM_BEFORE = re.compile(r"(?<![A-Za-z])from\s*$", re.I)
_BETWEEN_BEFORE = re.compile(r"(?<![A-Za-z])between\s*$", re.I)
_LABEL_BEFORE = re.compile(r"(?<![A-Za-z])(?:(?P<multiple>P/?E|P/?B|P/?S|EV/EBITDA)|(?P<per_share>EPS|DPS|BVPS))"
                           r"(?:\s+(?:ratios?|forecasts?|estimates?))?(?:\s+(?:of|at|to)|\s*:)?\s*$")
_PER_SHARE_CONTEXT = re.compile(
    r"\b(?:EPS|DPS|BVPS|(?i:(?:earnings|dividends?|book\s+value)\s+per\s+share|per-share))\b")
_PREV_WORD = re.compile(r"([A-Za-z][\w.'&-]*)\s+$")
_NP_TOKEN = re.compile(r"\s+([A-Za-z][A-Za-z0-9'&-]*|\d+(?:\.\d+)?)|\s*([,;:()./])")
_SHARED_NOUN_LINK = re.compile(r"(?:\s+[A-Za-z-]+)?(?:\s*,\s*|\s+(?:and|or)\s+)(?=\d)")
_ENUMERATION_GAP = re.compile(r"\s*(?:,|,?\s+(?:and|or))\s*")
_ENUMERATION_TAIL = re.compile(r"(?:\s*,\s*" + _NUMBER_TEXT + r")*\s*,?\s+(?:and|or)\s+" + _NUMBER_TEXT)

_DATE = re.compile(
    r"\b(?:19|20)\d\d[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])(?!\d)"
    r"|\b" + _MONTH + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:\s*-\s*\d{1,2}(?!\d))?(?!\d|,\d{3})"
    r"(?:,?\s+(?:19|20)\d\d(?!\d))?"
    r"|\b\d{1,2}(?:st|nd|rd|th)?(?:\s*-\s*\d{1,2})?\s+" + _MONTH + r"\b(?:\s+(?:19|20)\d\d(?!\d))?"
    r"|\b\d{1,2}:\d\d\b")
_YEAR = re.compile(
    r"(?=[\dFQH])(?<![A-Za-z0-9_.,$])(?:(?:FY\s?'?)?(?P<first>(?:19[5-9]|20\d)\d)(?:[EAF](?![A-Za-z])|年)?"
    r"(?P<rest>(?:\s*(?:-|~|to|/)\s*(?:FY\s?'?)?(?:(?:19[5-9]|20\d)\d|\d\d)(?:[EAF](?![A-Za-z])|年)?"
    r"|\s*(?:,|,?\s+and)\s+(?:19[5-9]|20\d)\d[EAF]?(?![A-Za-z]))*)"
    r"|(?:FY\s?'?|[1-4]Q|[12]H|[QH][1-4]\s?')(?P<short>\d\d)(?:[EAF](?![A-Za-z]))?"
    r"(?P<short_rest>(?:\s*-\s*(?:FY\s?'?)?\d\d(?:[EAF](?![A-Za-z]))?)?))(?![\d%]|[.,]\d)")
_YEAR_IN_REST = re.compile(r"(-|~|to|/|,|and)\s*(?:FY\s?'?)?(\d{4}|\d\d)")
_MONTH_BEFORE = re.compile(r"\b" + _MONTH + r"\.?\s+$|\b" + _MONTH + r"-" + _MONTH + r"\s+$")
_IGNORED_YEAR_BEFORE = re.compile(  # start points and comparison bases: "since 2019", "versus H1 2024"
    r"(?<![A-Za-z])(?:since|from|after|before|until|till|through|starting|beginning|than|versus|vs\.?"
    r"|compared\s+(?:with|to))\s+(?:the\s+)?(?:(?:start|end|beginning|middle|first\s+half|second\s+half)\s+of\s+)?"
    r"(?:(?:early|mid|late)[\s-]+)?(?:" + _MONTH + r"\s+|[QH][1-4]\s+)?$", re.I)
_SINCE_BEFORE = re.compile(r"(?<![A-Za-z])since(?:\s+[A-Za-z'-]+){0,4}\s+$", re.I)  # "since its peak in 2021"
_IGNORED_YEAR_AFTER = re.compile(r"\s+(?:level|levels|high|highs|low|lows|peak|base|baseline|average)\b")
_YEAR_TAIL = re.compile(
    r"\s+(?:in|for|by|during|of)\s+(?:the\s+)?(?:(?:end|start|beginning|middle|first\s+half|second\s+half"
    r"|first\s+quarter|full\s+year)\s+of\s+)?(?:(?:early|mid|late)[\s-]+)?"
    r"(?:(?:[QH][1-4](?:-[QH][1-4])?|[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\s+)?")
_YEAR_HEAD = re.compile(r"\s+[A-Za-z][A-Za-z/]*")  # the noun after "16x 2025": PE, earnings
_RELATIVE_YEAR_AFTER = re.compile(
    r"\s+(?:a\s+year\s+(?:earlier|ago|before)|(?:in\s+)?(?:the\s+)?(?:previous|prior|preceding)\s+year"
    r"|(?:this|last|next)\s+year)\b", re.I)
# `[,;:()!?]`, `.` before a space or the end, or a space before a conjunction; written to open with the
# class of the three first characters, which lets the regex engine skip any other character quickly.
_CLAUSE_BREAK = re.compile(r"[,;:()!?.\s](?:(?<=[,;:()!?])|(?<=\.)(?=\s|$)|(?<=\s)(?:while|whereas|but|although"
                           r"|though|from|after|versus|vs\.?|compared\s+(?:with|to)|than|which|where)(?=\s))", re.I)
_CONTEXT_RESET = re.compile(r"(?<![A-Za-z])(?:current|currently|today|at\s+present|compared\s+(?:with|to)|versus"
                            r"|than(?!\s+(?:expected|anticipated|forecast|estimated|consensus|planned)))(?![A-Za-z])",
                            re.I)
_QUALIFYING_THAN = re.compile(r"(?:more|less|fewer|rather|other|no\s+later|no\s+earlier)\s+$", re.I)


# --- small pieces ------------------------------------------------------------------------------------------

@dataclass
class _Found:
    start: int
    end: int
    number_end: int  # end of the quantity proper, before a year phrase folded into the span
    value: float
    value_high: float | None
    unit: str
    per: str | None
    qualifier: str | None
    year: int | None = None
    year_settled: bool = False  # the figure settled its own year: a slash list, "16x 2025 PE", "a year earlier"


@dataclass
class _Amount:
    end: int
    scale: float | None
    unit: str | None
    divisor: float = 1.0  # basis points are stored as percentage points


@dataclass
class _YearMention:
    start: int
    end: int
    years: list[int]
    kind: str  # "point", "month" (an event month: short reach), "range", "ignored"


class _Spans:
    """Answers "is this position inside one of these spans" in O(log n)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [start for start, _ in ordered]
        self.reach = list(itertools.accumulate((end for _, end in ordered), max))

    def covers(self, pos: int) -> bool:
        if not self.starts:
            return False
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and self.reach[i] > pos


def _to_float(digits: str) -> float | None:
    if len(digits) > _MAX_DIGITS:
        return None
    value = float(digits.replace(",", ""))
    return value if math.isfinite(value) else None


def _finite(*values: float | None) -> bool:
    return all(v is None or (math.isfinite(v) and abs(v) < 1e300) for v in values)


def _singular(word: str) -> str:
    lower = word.lower()
    if lower in _IRREGULAR_PLURALS or len(word) <= 3 or not lower.endswith("s") or lower.endswith("ss"):
        return word
    if lower.endswith("ies"):
        return word[:-3] + "y"
    if lower.endswith(("ches", "shes", "xes")):
        return word[:-2]
    return word[:-1]


def _is_plural(word: str) -> bool:
    lower = word.lower()
    if lower in _IRREGULAR_PLURALS or (len(word) > 2 and word[-1] == "s" and word[-2].isupper()):  # GPUs
        return True
    return len(lower) > 2 and lower[-1] == "s" and not lower.endswith(("ss", "us", "is")) and lower not in _NOT_PLURAL


def _is_year_like(digits: str) -> bool:
    return len(digits) == 4 and digits.isdigit() and 1950 <= int(digits) <= 2099


def _expand_years(m: re.Match[str]) -> list[int] | None:
    """Years a _YEAR match names: one, a range (2024-2026, 2024E-26E) or a list (2024/25/26, 2024 and 2025)."""
    if m.group("short"):  # FY24, 1Q25, 2H24, FY24-26
        first, last = 2000 + int(m.group("short")), m.group("short_rest")
        last = 2000 + int(last[-2:] if last[-1].isdigit() else last[-3:-1]) if last else first
        return list(range(first, last + 1)) if 0 <= last - first <= 10 else None
    years = [int(m.group("first"))]
    for separator, digits in _YEAR_IN_REST.findall(m.group("rest")):
        year = int(digits) if len(digits) == 4 else years[0] // 100 * 100 + int(digits)
        if not 0 < year - years[-1] <= 10:
            return None  # "2024-12" is a date, not a range
        years.extend(range(years[-1] + 1, year + 1) if separator in ("-", "~", "to") else [year])
    return years


# --- figures -----------------------------------------------------------------------------------------------

class _Parser:
    """The figures of one folded bullet `t`, in reading order."""

    def __init__(self, t: str) -> None:
        self.t = t
        self.n = len(t)
        self.found: list[_Found] = []
        self.dates = _Spans(m.span() for m in _DATE.finditer(t))
        self.year_matches = [m for m in _YEAR.finditer(t) if not self.dates.covers(m.start())]
        self.year_starts = [m.start() for m in self.year_matches]

    def before(self, pos: int, width: int = _NEAR) -> str:
        return self.t[max(0, pos - width):pos]

    def match(self, pattern: re.Pattern[str], pos: int) -> re.Match[str] | None:
        return pattern.match(self.t, pos, min(self.n, pos + _WINDOW))

    def skip_code(self, end: int) -> int:
        return self.match(_CODE_TAIL, end).end()

    def run(self) -> list[_Found]:
        resume = 0
        for m in _NUMBER.finditer(self.t):
            if m.start() >= resume and not self.dates.covers(m.start()):
                resume = self.parse_at(m)
        return self.found

    def is_code(self, s: int, e: int) -> bool:
        """Digits of a name or code: GLP-1, top-10, PDE3/4, section 1.2.3."""
        t = self.t
        if s >= 2 and t[s - 1] in "-/" and t[s - 2].isalnum() and not (t[s - 1] == "-" and t[s - 2].isdigit()):
            return True
        return e + 1 < self.n and t[e] == "." and t[e + 1].isdigit()

    def parse_at(self, m: re.Match[str]) -> int:
        """Record the figure that starts with number `m`, if it is one; return where scanning resumes."""
        t, s, e = self.t, m.start(), m.end()
        low = _to_float(m.group())
        if low is None or self.is_code(s, e):
            return self.skip_code(e)
        negative = s >= 1 and t[s - 1] == "-" and (s == 1 or t[s - 2] in " ($")
        start = s - 1 if negative else s
        low = -low if negative else low
        currency = None
        symbol = _CURRENCY_BEFORE.search(self.before(start, 12))
        if symbol:
            written = "".join((symbol.group("sym") or symbol.group("code")).split())
            currency = _CURRENCY_SYMBOLS.get(written, symbol.group("code"))
            start -= len(symbol.group())
        item_suffix = self.match(_ITEM_UNIT, e)
        if self.match(_SLASH_ITEM, item_suffix.end() if item_suffix else e):
            return self.parse_list(m, start, currency)
        amount = self.amount_at(e, currency is not None)
        if amount is None:
            return self.skip_code(e)
        if (amount.unit is None and amount.scale is None and currency is None and _is_year_like(m.group())
                and not _QUALIFIER_BEFORE.search(self.before(start))):  # "over 2000 stores" counts
            return e  # a year; what it dates is settled once every figure is known
        high = None
        separator = self.match(_RANGE_SEP, amount.end)
        if separator and (separator.group().strip() != "and" or _BETWEEN_BEFORE.search(self.before(start))):
            high = self.range_end(separator.end(), amount, currency is not None)
        if high and amount.unit is None:  # "600 to 900 billion dollars": the scale and unit cover both ends
            amount.unit, amount.scale = high[1].unit, amount.scale or high[1].scale
        if high and separator.group().strip() == "to" and _FROM_BEFORE.search(self.before(start)):
            high = None  # "from 1.5 to 1.3%" is a move between two figures, not a range
        if high:
            amount.unit = amount.unit or currency
            return self.emit(start, s, low, amount, *high)
        if amount.unit is None and currency is None:
            self.borrow_from_enumeration(amount)
        amount.unit = amount.unit or currency or self.listed_currency(start, amount)
        return self.emit(start, s, low, amount)

    def borrow_from_enumeration(self, amount: _Amount) -> None:
        """"1.2, 1.5 and 1.9 billion yuan": an unscaled bare item takes the last item's scale and unit."""
        tail = self.match(_ENUMERATION_TAIL, amount.end)
        last = self.amount_at(tail.end(), False) if tail else None
        if last is not None and last.unit not in (None, "count"):
            amount.unit, amount.scale, amount.divisor = last.unit, amount.scale or last.scale, last.divisor

    def range_end(self, pos: int, low: _Amount, has_currency: bool) -> tuple[float, _Amount] | None:
        """Value and amount of a range's upper end starting at `pos`, or None when no range follows."""
        head = self.match(_RANGE_HEAD, pos)
        number = self.match(_NUMBER, head.end())
        if number is None:
            return None
        value = _to_float(number.group())
        amount = self.amount_at(number.end(), has_currency or bool(head.group("cur")))
        if value is None or amount is None or (low.unit is not None and amount.unit != low.unit):
            return None
        return (-value if head.group("neg") else value), amount

    def listed_currency(self, start: int, amount: _Amount) -> str | None:
        """The currency of the figure before, in an enumeration like "RMB 1.2bn, 1.5bn and 1.9bn"."""
        if amount.scale is None or not self.found or self.found[-1].unit not in CURRENCIES:
            return None
        previous = self.found[-1]
        return previous.unit if _ENUMERATION_GAP.fullmatch(self.t, previous.number_end, start) else None

    def amount_at(self, pos: int, has_currency: bool) -> _Amount | None:
        """Scale and unit written after a number ending at `pos`; None when the number is part of a code."""
        scale = None
        attached = _ATTACHED_WORD.match(self.t, pos, min(self.n, pos + _WINDOW))
        if attached:
            word, lower = attached.group(), attached.group().lower()
            if lower == "x":
                return _Amount(attached.end(), None, "x")
            if lower in ("pp", "ppt", "ppts", "pps"):
                return _Amount(attached.end(), None, "pp")
            if lower in ("bp", "bps"):
                return _Amount(attached.end(), None, "pp", 100.0)
            if lower in _ATTACHED_MEASURES:
                return _Amount(attached.end(), None, "count")
            if lower not in _SCALES or (lower in _CURRENCY_ONLY_SCALES and not has_currency) or word == "t":
                return None  # 800G, 1.6T, 11th, 5nm: codes and ordinals
            scale, pos = _SCALES[lower], attached.end()
        elif self.t.startswith("-", pos):
            hyphen = self.match(_HYPHEN_WORD, pos)
            if hyphen and hyphen.group(1):
                return _Amount(hyphen.end(1), None, "x")
            if hyphen:
                return None  # 10-year, 7-day, 5-star
        if scale is None:
            word = self.match(_SCALE_WORD, pos)
            if word:
                scale, pos = _SCALES[(word.group(1) or word.group(2)).lower()], word.end()
        unit = self.match(_UNIT_AFTER, pos)
        if unit is None:
            return _Amount(pos, scale, None)
        kind, end = unit.lastgroup, unit.end()
        if kind == "dollar":
            country = " ".join((unit.group("country") or "").lower().split())
            return _Amount(end, scale, _DOLLAR_COUNTRIES.get(country, "USD"))
        simple = {"pct": "%", "pp": "pp", "bp": "pp", "times": "x", "sterling": "GBP", "counter": "count"}
        if kind in simple:
            return _Amount(end, scale, simple[kind], 100.0 if kind == "bp" else 1.0)
        if kind == "word":
            return _Amount(end, scale, _CURRENCY_WORDS[unit.group("word").lower()])
        return _Amount(end, scale, unit.group("iso"))

    def emit(self, start: int, num_start: int, low: float, amount: _Amount, high: float | None = None,
             high_amount: _Amount | None = None) -> int:
        """Record a single figure or a range; return where scanning resumes."""
        end = (high_amount or amount).end
        unit = amount.unit
        if unit is None:
            scaled = amount.scale is not None or (high_amount is not None and high_amount.scale is not None)
            counted_end = self.counted_noun(num_start, end, scaled)
            if counted_end is None:
                return self.skip_code(end)
            end, unit = counted_end, "count"
        scale = amount.scale or 1.0
        value = low * scale / amount.divisor
        value_high = None if high_amount is None else high * (high_amount.scale or scale) / high_amount.divisor
        if not _finite(value, value_high):
            return end
        per, end = self.per_unit(end, unit, start)
        previous = self.found[-1] if self.found else None
        if per is None and previous and previous.unit == unit and _ENUMERATION_GAP.fullmatch(
                self.t, previous.number_end, start):
            per = previous.per  # "EPS of 1.20, 1.45 and 1.73 yuan": every item is per share
        qualifier, start, end = self.qualifier(start, end)
        self.found.append(_Found(start, end, end, value, value_high, unit, per, qualifier))
        return end

    def counted_noun(self, num_start: int, end: int, scaled: bool) -> int | None:
        """End of what a bare number counts ("18 satellites", "4 trillion"), or None if it counts nothing."""
        previous = _PREV_WORD.search(self.before(num_start))
        if previous:
            word = previous.group(1)
            if word.lower() in _RANK_WORDS:
                return None
            if not scaled and any(c.isupper() for c in word) and word.lower() not in _NAME_PREFIX_OK:
                return None  # CSI 300, Section 301, Ne Zha 2, iPhone 16: part of a name
        phrase_end = self.noun_phrase(end)
        if phrase_end is not None:
            return phrase_end if phrase_end >= 0 else None
        return end if scaled or self.shares_noun(end) else None

    def noun_phrase(self, pos: int) -> int | None:
        """End of a counted noun phrase starting at `pos`; -1 for a time span ("18 months"); else None."""
        previous = ""
        for count, token in enumerate(_NP_TOKEN.finditer(self.t, pos, min(self.n, pos + _WINDOW))):
            if count >= 4 or token.start() != pos or token.group(2):
                return None
            word = token.group(1)
            if word[0].isdigit() and not previous[:1].isupper():  # "Class 1 drugs" is a name; "16 reached 50" not
                return None
            lower = word.lower()
            if lower in _NP_STOPWORDS:
                return None
            singular = _singular(lower)
            if singular in _TIME_NOUNS:
                return -1
            if _is_plural(word) or singular in _MEASURE_NOUNS:
                return token.end()
            previous, pos = word, token.end()
        return None

    def shares_noun(self, pos: int) -> bool:
        """True for "51,443 and 38,177 vehicles", "14 rotary and 14 linear joints": the noun comes later."""
        link = self.match(_SHARED_NOUN_LINK, pos)
        number = self.match(_NUMBER, link.end()) if link else None
        amount = self.amount_at(number.end(), False) if number else None
        if amount is None or amount.unit not in (None, "count"):
            return False
        phrase_end = self.noun_phrase(amount.end)
        return phrase_end is not None and phrase_end >= 0

    def per_unit(self, end: int, unit: str, start: int) -> tuple[str | None, int]:
        """Rate denominator after a money or count figure ("per ton", "/kg", "a year"), or implied by EPS."""
        if unit not in CURRENCIES and unit != "count":
            return None, end
        written = self.written_per(end)
        if written:
            return written
        clause = self.before(start, _WINDOW)
        clause = clause[max(clause.rfind(","), clause.rfind(";")) + 1:]
        if unit in CURRENCIES and _PER_SHARE_CONTEXT.search(clause):
            return "share", end
        return None, end

    def written_per(self, end: int) -> tuple[str, int] | None:
        """The denominator written after `end` and where it ends, or None."""
        per = self.match(_PER, end)
        if per is None:
            return None
        words = []
        for word in _WORD.finditer(self.t, per.end(), min(self.n, per.end() + 40)):
            if len(words) == 3 or word.group(1).lower() in _NP_STOPWORDS or (words and word.start() != words[-1].end()):
                break
            words.append(word)
        if not words:
            return None
        head = next((w for w in words if _is_plural(w.group(1)) or _singular(w.group(1).lower()) in _MEASURE_NOUNS),
                    words[0])
        noun = head.group(1)
        linker = (per.group("linker") or "/").lower()
        if linker in ("a", "an", "each") and (_singular(noun.lower()) not in _PER_ARTICLE_NOUNS
                                              or self.match(_RELATIVE_YEAR_AFTER, end)):
            return None  # "a record", "a year earlier"
        if noun.lower() == "annum":
            noun = "year"
        elif not any(c.isupper() for c in noun):  # kWh, MWh, W stay as written
            noun = _singular(noun)
        scale = per.group("scale")
        if scale:
            factor = _PER_SCALES.get(scale.lower()) or int(scale.replace(",", ""))
            noun = f"{factor} {noun}"
        return noun, head.end()

    def qualifier(self, start: int, end: int) -> tuple[str | None, int, int]:
        """Qualifier written before (or as "or more" after) the figure; the span widens over it."""
        before = _QUALIFIER_BEFORE.search(self.before(start))
        if before:
            kind, length = before
            return kind, start - length, end
        for name, pattern in (("over", _TRAILING_OVER), ("under", _TRAILING_UNDER)):
            trailing = self.match(pattern, end)
            if trailing:
                return name, start, trailing.end()
        return None, start, end

    def parse_list(self, m: re.Match[str], start: int, currency: str | None) -> int:
        """"1.2/1.5/1.9 billion yuan for 2024-2026", "PE of 35/28/22x": one figure per listed year."""
        suffix = self.match(_ITEM_UNIT, m.end())
        items = [(m.group(), suffix.group() if suffix else None)]
        pos = suffix.end() if suffix else m.end()
        while (item := self.match(_SLASH_ITEM, pos)) is not None:
            items.append((item.group(1), item.group(2)))
            pos = item.end()
        if len(items) > _MAX_LIST_ITEMS:
            return pos
        amount = self.amount_at(pos, currency is not None)
        if amount is None:
            return self.skip_code(pos)
        suffixes = {suffix.lower() for _, suffix in items if suffix}
        label = _LABEL_BEFORE.search(self.before(start))
        unit = amount.unit or currency or ("%" if "%" in suffixes else "x" if "x" in suffixes else None)
        if unit is None and label:
            unit = "x" if label.group("multiple") else "CNY"  # "PE of 35/28/22", "EPS of 1.2/1.5/1.9"
        if unit is None:
            return pos  # "24/7", "3/4": not quantities
        span_start = start - len(self.before(start)) + label.start() if label else start
        per, end = self.per_unit(amount.end, unit, start)
        if per is None and unit in CURRENCIES and label and label.group("per_share"):
            per = "share"
        years = self.list_years(end, start, len(items)) or [None] * len(items)
        shared_scale = amount.scale or _SCALES.get((items[-1][1] or "").lower())  # "1.2/1.5/1.9bn"
        for (digits, suffix), year in zip(items, years):
            value = _to_float(digits)
            scale = _SCALES.get((suffix or "").lower()) or shared_scale or 1.0
            if value is not None and _finite(value * scale):
                self.found.append(_Found(span_start, end, end, value * scale / amount.divisor, None, unit, per,
                                         None, year, True))
        return end

    def list_years(self, end: int, start: int, count: int) -> list[int] | None:
        """Years of a slash list: a year range right after it, else the nearest range before, else after."""
        i = bisect.bisect_left(self.year_starts, end)
        if i < len(self.year_matches) and self.year_starts[i] - end <= 40:
            gap = self.t[end:self.year_starts[i]].strip(" ,").lower()
            years = _expand_years(self.year_matches[i])
            if gap in ("", "for", "in", "over", "during") and years and len(years) > 1:
                return years if len(years) == count else None
        first = bisect.bisect_left(self.year_starts, start - _LIST_YEAR_REACH)
        last = bisect.bisect_left(self.year_starts, end + _LIST_YEAR_REACH)
        before = range(bisect.bisect_left(self.year_starts, start) - 1, first - 1, -1)
        for index in itertools.chain(before, range(i, last)):
            years = _expand_years(self.year_matches[index])
            if years and len(years) > 1:
                return years if len(years) == count else None
        return None


# --- fiscal years ------------------------------------------------------------------------------------------

def _year_mentions(t: str, parser: _Parser) -> list[_YearMention]:
    """Year phrases of the bullet that are not part of a figure, each with how it may date figures."""
    figures = _Spans((f.start, f.number_end) for f in parser.found)
    mentions = []
    for m in parser.year_matches:
        s, e = m.span()
        years = _expand_years(m)
        if years is None or figures.covers(s):
            continue
        before = t[max(0, s - _WINDOW):s]
        if len(years) > 1:
            kind = "range"
        elif (_IGNORED_YEAR_BEFORE.search(before) or _SINCE_BEFORE.search(before)
              or _IGNORED_YEAR_AFTER.match(t, e, min(len(t), e + 20))):
            kind = "ignored"
        elif _MONTH_BEFORE.search(before):
            kind = "month"
        else:
            kind = "point"
        mentions.append(_YearMention(s, e, years, kind))
    return mentions


def _settle_own_years(t: str, found: list[_Found], mentions: list[_YearMention]) -> None:
    """Years a figure carries itself: "16x 2025 PE" (that multiple only) and "21.1% a year earlier" (none)."""
    by_start = {y.start: y for y in mentions if y.kind == "point"}
    for f in found:
        if f.year_settled:
            continue
        gap_end = _SPACES.match(t, f.number_end, min(len(t), f.number_end + _WINDOW)).end()
        adjacent = by_start.get(gap_end) if gap_end > f.number_end else None
        head = _YEAR_HEAD.match(t, adjacent.end, min(len(t), adjacent.end + 20)) if adjacent else None
        if f.unit == "x" and head:
            f.year, f.year_settled, f.end = adjacent.years[0], True, head.end()
            adjacent.kind = "ignored"
        elif _RELATIVE_YEAR_AFTER.match(t, f.number_end, min(len(t), f.number_end + 40)):
            f.year, f.year_settled = None, True


def _assign_years(t: str, found: list[_Found], mentions: list[_YearMention]) -> None:
    """Date each figure: by a year phrase after it in its clause, else by the year in force before it.

    A year phrase dates the undated figures before it in the same clause ("rose 5% to 80 billion yuan in
    2024") and stays in force for later figures ("In 2024, ..."), until a comparison or the present ("than",
    "compared with", "current") or a multi-year range makes it unclear which year is meant.
    """
    _settle_own_years(t, found, mentions)
    runs = [(a.start, b.start) for a, b in zip(found, found[1:])  # "1.2bn, 1.5bn and 1.9bn" is one run
            if a.unit == b.unit and a.end <= b.start and _ENUMERATION_GAP.fullmatch(t, a.end, b.start)]
    figures = _Spans([(f.start, f.end) for f in found] + runs)  # breaks inside "1,200" or "more than" don't count
    events: list[tuple[int, int, object]] = [(f.start, 1, f) for f in found if not f.year_settled]
    events += [(y.start, 0, y) for y in mentions if y.kind != "ignored"]
    events += [(m.start(), 2, "break") for m in _CLAUSE_BREAK.finditer(t) if not figures.covers(m.start())]
    events += [(m.start(), 3, "reset") for m in _CONTEXT_RESET.finditer(t)
               if not figures.covers(m.start()) and not (
                   m.group().lower() == "than" and _QUALIFYING_THAN.search(t[max(0, m.start() - 20):m.start()]))]
    events.sort(key=lambda event: event[:2])
    context: int | None = None
    pending: list[tuple[_Found, int | None]] = []  # figures of the open clause, with the year in force at each

    def close_clause() -> None:
        for figure, year in pending:
            figure.year = year
        pending.clear()

    for _, _, event in events:
        if isinstance(event, _Found):
            pending.append((event, context))
        elif isinstance(event, _YearMention):
            if event.kind == "range":  # "1.2bn, 1.5bn and 1.9bn in 2024-2026": one year each, else unclear
                if len(pending) == len(event.years) and event.start - pending[0][0].number_end <= _YEAR_REACH:
                    for (figure, _), year in zip(pending, event.years):
                        figure.year = year
                    pending.clear()
                close_clause()
                context = None
                continue
            reach = _MONTH_YEAR_REACH if event.kind == "month" else _YEAR_REACH
            for figure, year in pending:
                near = event.start - figure.number_end <= reach
                figure.year = event.years[0] if near else year
                tail = _YEAR_TAIL.match(t, figure.end, event.start) if near else None
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


def find_metrics(text: str) -> list[Metric]:
    """Every metric in `text` (a bullet as it stands in the decoded report), in reading order."""
    if not _ANY_DIGIT.search(text):
        return []
    t = _normalise(text)
    parser = _Parser(t)
    found = parser.run()
    if found:
        _assign_years(t, found, _year_mentions(t, parser))
    return [Metric(text[f.start:f.end], f.value, f.value_high, f.unit, f.per, f.year, f.qualifier, f.start, f.end)
            for f in found]
