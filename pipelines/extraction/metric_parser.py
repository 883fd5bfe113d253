"""The figures of one folded bullet: each number parsed left to right by small anchored patterns.

A figure's value is computed exactly from its stated digits (`decimal.Decimal`) and stored as the nearest
double: "67.6 billion" is 67600000000.0, not 67599999999.99999. Every pattern looks at most `WINDOW`
characters from a number, so work is linear in the text whatever the input.
"""

from __future__ import annotations

import bisect
import decimal
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from pipelines.extraction.metric_patterns import (
    ATTACHED_WORD,
    BETWEEN_BEFORE,
    CODE_TAIL,
    CURRENCY_BEFORE,
    DATE,
    ENUMERATION_GAP,
    ENUMERATION_TAIL,
    FROM_BEFORE,
    HYPHEN_WORD,
    ITEM_UNIT,
    LABEL_BEFORE,
    NOUN_PHRASE_TOKEN,
    NUMBER,
    PER,
    PER_SHARE_CONTEXT,
    PREV_WORD,
    QUALIFIER_BEFORE,
    RANGE_HEAD,
    RANGE_SEP,
    RELATIVE_YEAR_AFTER,
    SCALE_WORD,
    SHARED_NOUN_LINK,
    SLASH_ITEM,
    TRAILING_OVER,
    TRAILING_UNDER,
    UNIT_AFTER,
    WORD,
    YEAR,
    expand_years,
    is_year_like,
)
from pipelines.extraction.metric_vocabulary import (
    ATTACHED_MEASURES,
    ATTACHED_SCALES,
    CURRENCIES,
    MEASURE_NOUNS,
    NOUN_PHRASE_STOPWORDS,
    PER_ARTICLE_NOUNS,
    PER_SCALES,
    RANK_WORDS,
    SCALE_MULTIPLIERS,
    TIME_NOUNS,
    WORDS_BEFORE_A_COUNT,
    WRITTEN_CURRENCY_AFTER,
    WRITTEN_CURRENCY_BEFORE,
    is_plural,
    singular,
)

WINDOW = 80  # the farthest any rule looks from a number
NEAR = 32  # the window of rules about the words right before a number
_MAX_DIGITS = 40  # longer digit runs are identifiers or noise, never quantities
_MAX_LIST_ITEMS = 8  # "1.2/1.5/1.9": forecast lists are short; "1/2/3/.../99" is not a forecast
_LIST_YEAR_REACH = 300  # "35/28/22x" takes its years from a range stated this close, before or after
_EXACT = decimal.Context(prec=80)  # more digits than any stated number times any scale: no rounding
_ONE, _HUNDRED = Decimal(1), Decimal(100)


@dataclass
class Figure:
    """A figure found in the folded bullet; `year` is settled by `fiscal_years` once all are known."""

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
    scale: Decimal | None
    unit: str | None
    divisor: Decimal = _ONE  # basis points are stored as percentage points


class Spans:
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


def _exact(digits: str) -> Decimal | None:
    """The number `digits` states, exactly ("1,200.5" -> Decimal("1200.5")); None for an overlong digit run."""
    return None if len(digits) > _MAX_DIGITS else Decimal(digits.replace(",", ""))


def _base_units(number: Decimal, scale: Decimal | None, divisor: Decimal) -> float:
    """The nearest double to number x scale / divisor, computed exactly: "67.6 billion" is 67600000000.0."""
    if scale is None and divisor is _ONE:  # "85%", "35x": the stated number itself
        return float(number)
    return float(_EXACT.divide(_EXACT.multiply(number, scale or _ONE), divisor))


# --- figures -----------------------------------------------------------------------------------------------


class FigureParser:
    """The figures of one folded bullet `t`, in reading order."""

    def __init__(self, t: str) -> None:
        self.t = t
        self.n = len(t)
        self.found: list[Figure] = []
        self.dates = Spans(m.span() for m in DATE.finditer(t))
        self.year_matches = [m for m in YEAR.finditer(t) if not self.dates.covers(m.start())]
        self.year_starts = [m.start() for m in self.year_matches]

    def before(self, pos: int, width: int = NEAR) -> str:
        return self.t[max(0, pos - width) : pos]

    def match(self, pattern: re.Pattern[str], pos: int) -> re.Match[str] | None:
        return pattern.match(self.t, pos, min(self.n, pos + WINDOW))

    def skip_code(self, end: int) -> int:
        return self.match(CODE_TAIL, end).end()

    def run(self) -> list[Figure]:
        resume = 0
        for m in NUMBER.finditer(self.t):
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
        low = _exact(m.group())
        if low is None or self.is_code(s, e):
            return self.skip_code(e)
        negative = s >= 1 and t[s - 1] == "-" and (s == 1 or t[s - 2] in " ($")
        start = s - 1 if negative else s
        low = -low if negative else low
        currency = None
        symbol = CURRENCY_BEFORE.search(self.before(start, 12))
        if symbol:
            written = "".join((symbol.group("symbol") or symbol.group("code")).split())
            currency = WRITTEN_CURRENCY_BEFORE[written]
            start -= len(symbol.group())
        item_suffix = self.match(ITEM_UNIT, e)
        if self.match(SLASH_ITEM, item_suffix.end() if item_suffix else e):
            return self.parse_list(m, start, currency, negative)
        amount = self.amount_at(e, currency is not None)
        if amount is None:
            return self.skip_code(e)
        if (
            amount.unit is None
            and amount.scale is None
            and currency is None
            and is_year_like(m.group())
            and not QUALIFIER_BEFORE.search(self.before(start))
        ):  # "over 2000 stores" counts
            return e  # a year; what it dates is settled once every figure is known
        high = None
        separator = self.match(RANGE_SEP, amount.end)
        if separator and (separator.group().strip() != "and" or BETWEEN_BEFORE.search(self.before(start))):
            high = self.range_end(separator.end(), amount, currency is not None)
        if high and amount.unit is None:  # "600 to 900 billion dollars": the scale and unit cover both ends
            amount.unit, amount.scale = high[1].unit, amount.scale or high[1].scale
        if high and separator.group().strip() == "to" and FROM_BEFORE.search(self.before(start)):
            high = None  # "from 1.5 to 1.3%" is a move between two figures, not a range
        if high:
            amount.unit = amount.unit or currency
            return self.emit(start, s, low, amount, *high)
        if amount.unit is None and currency is None:
            self.borrow_from_enumeration(amount)
        amount.unit = amount.unit or currency or self.listed_currency(start, amount)
        return self.emit(start, s, low, amount)

    def borrow_from_enumeration(self, amount: _Amount) -> None:
        """ "1.2, 1.5 and 1.9 billion yuan": an unscaled bare item takes the last item's scale and unit."""
        tail = self.match(ENUMERATION_TAIL, amount.end)
        last = self.amount_at(tail.end(), False) if tail else None
        if last is not None and last.unit not in (None, "count"):
            amount.unit, amount.scale, amount.divisor = last.unit, amount.scale or last.scale, last.divisor

    def range_end(self, pos: int, low: _Amount, has_currency: bool) -> tuple[float, _Amount] | None:
        """Value and amount of a range's upper end starting at `pos`, or None when no range follows."""
        head = self.match(RANGE_HEAD, pos)
        number = self.match(NUMBER, head.end())
        if number is None:
            return None
        value = _exact(number.group())
        amount = self.amount_at(number.end(), has_currency or bool(head.group("currency")))
        if value is None or amount is None or (low.unit is not None and amount.unit != low.unit):
            return None
        return (-value if head.group("neg") else value), amount

    def listed_currency(self, start: int, amount: _Amount) -> str | None:
        """The currency of the figure before, in an enumeration like "RMB 1.2bn, 1.5bn and 1.9bn"."""
        if amount.scale is None or not self.found or self.found[-1].unit not in CURRENCIES:
            return None
        previous = self.found[-1]
        return previous.unit if ENUMERATION_GAP.fullmatch(self.t, previous.number_end, start) else None

    def amount_at(self, pos: int, has_currency: bool) -> _Amount | None:
        """Scale and unit written after a number ending at `pos`; None when the number is part of a code."""
        scale = None
        attached = ATTACHED_WORD.match(self.t, pos, min(self.n, pos + WINDOW))
        if attached:
            word, lower = attached.group(), attached.group().lower()
            if lower == "x":
                return _Amount(attached.end(), None, "x")
            if lower in ("pp", "ppt", "ppts", "pps"):
                return _Amount(attached.end(), None, "pp")
            if lower in ("bp", "bps"):
                return _Amount(attached.end(), None, "pp", _HUNDRED)
            if lower in ATTACHED_MEASURES:
                return _Amount(attached.end(), None, "count")
            scale_word = ATTACHED_SCALES.get(word) or ATTACHED_SCALES.get(lower)
            if (
                scale_word is None
                or (scale_word.case_sensitive and word != scale_word.word)
                or (scale_word.needs_currency and not has_currency)
            ):
                return None  # 800G, 1.6T, 11th, 5nm, 5t: codes, ordinals and measures
            scale, pos = scale_word.multiplier, attached.end()
        elif self.t.startswith("-", pos):
            hyphen = self.match(HYPHEN_WORD, pos)
            if hyphen and hyphen.group(1):
                return _Amount(hyphen.end(1), None, "x")
            if hyphen:
                return None  # 10-year, 7-day, 5-star
        if scale is None:
            word = self.match(SCALE_WORD, pos)
            if word:
                scale, pos = SCALE_MULTIPLIERS[word.group(1).lower()], word.end()
        unit = self.match(UNIT_AFTER, pos)
        if unit is None:
            return _Amount(pos, scale, None)
        kind, end = unit.lastgroup, unit.end()
        if kind == "currency":
            return _Amount(end, scale, WRITTEN_CURRENCY_AFTER[" ".join(unit.group("currency").split())])
        if kind == "bp":
            return _Amount(end, scale, "pp", _HUNDRED)
        return _Amount(end, scale, {"pct": "%", "pp": "pp", "times": "x", "counter": "count"}[kind])

    def emit(
        self,
        start: int,
        num_start: int,
        low: Decimal,
        amount: _Amount,
        high: Decimal | None = None,
        high_amount: _Amount | None = None,
    ) -> int:
        """Record a single figure or a range; return where scanning resumes."""
        end = (high_amount or amount).end
        unit = amount.unit
        if unit is None:
            scaled = amount.scale is not None or (high_amount is not None and high_amount.scale is not None)
            counted_end = self.counted_noun(num_start, end, scaled)
            if counted_end is None:
                return self.skip_code(end)
            end, unit = counted_end, "count"
        value = _base_units(low, amount.scale, amount.divisor)
        value_high = (
            None if high_amount is None else _base_units(high, high_amount.scale or amount.scale, high_amount.divisor)
        )
        per, end = self.per_unit(end, unit, start)
        previous = self.found[-1] if self.found else None
        if (
            per is None
            and previous
            and previous.unit == unit
            and ENUMERATION_GAP.fullmatch(self.t, previous.number_end, start)
        ):
            per = previous.per  # "EPS of 1.20, 1.45 and 1.73 yuan": every item is per share
        qualifier, start, end = self.qualifier(start, end)
        self.found.append(Figure(start, end, end, value, value_high, unit, per, qualifier))
        return end

    def counted_noun(self, num_start: int, end: int, scaled: bool) -> int | None:
        """End of what a bare number counts ("18 satellites", "4 trillion"), or None if it counts nothing."""
        previous = PREV_WORD.search(self.before(num_start))
        if previous:
            word = previous.group(1)
            if word.lower() in RANK_WORDS:
                return None
            if not scaled and any(c.isupper() for c in word) and word.lower() not in WORDS_BEFORE_A_COUNT:
                return None  # CSI 300, Section 301, Ne Zha 2, iPhone 16: part of a name
        phrase_end = self.noun_phrase(end)
        if phrase_end is not None:
            return phrase_end if phrase_end >= 0 else None
        return end if scaled or self.shares_noun(end) else None

    def noun_phrase(self, pos: int) -> int | None:
        """End of a counted noun phrase starting at `pos`; -1 for a time span ("18 months"); else None."""
        previous = ""
        for count, token in enumerate(NOUN_PHRASE_TOKEN.finditer(self.t, pos, min(self.n, pos + WINDOW))):
            if count >= 4 or token.start() != pos or token.group(2):
                return None
            word = token.group(1)
            if word[0].isdigit() and not previous[:1].isupper():  # "Class 1 drugs" is a name; "16 reached 50" not
                return None
            lower = word.lower()
            if lower in NOUN_PHRASE_STOPWORDS:
                return None
            singular_word = singular(lower)
            if singular_word in TIME_NOUNS:
                return -1
            if is_plural(word) or singular_word in MEASURE_NOUNS:
                return token.end()
            previous, pos = word, token.end()
        return None

    def shares_noun(self, pos: int) -> bool:
        """True for "51,443 and 38,177 vehicles", "14 rotary and 14 linear joints": the noun comes later."""
        link = self.match(SHARED_NOUN_LINK, pos)
        number = self.match(NUMBER, link.end()) if link else None
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
        clause = self.before(start, WINDOW)
        clause = clause[max(clause.rfind(","), clause.rfind(";")) + 1 :]
        if unit in CURRENCIES and PER_SHARE_CONTEXT.search(clause):
            return "share", end
        return None, end

    def written_per(self, end: int) -> tuple[str, int] | None:
        """The denominator written after `end` and where it ends, or None."""
        per = self.match(PER, end)
        if per is None:
            return None
        words = []
        for word in WORD.finditer(self.t, per.end(), min(self.n, per.end() + 40)):
            if (
                len(words) == 3
                or word.group(1).lower() in NOUN_PHRASE_STOPWORDS
                or (words and word.start() != words[-1].end())
            ):
                break
            words.append(word)
        if not words:
            return None
        head = next(
            (w for w in words if is_plural(w.group(1)) or singular(w.group(1).lower()) in MEASURE_NOUNS), words[0]
        )
        noun = head.group(1)
        linker = (per.group("linker") or "/").lower()
        if linker in ("a", "an", "each") and (
            singular(noun.lower()) not in PER_ARTICLE_NOUNS or self.match(RELATIVE_YEAR_AFTER, end)
        ):
            return None  # "a record", "a year earlier"
        if noun.lower() == "annum":
            noun = "year"
        elif not any(c.isupper() for c in noun):  # kWh, MWh, W stay as written
            noun = singular(noun)
        scale = per.group("scale")
        if scale:
            factor = PER_SCALES.get(scale.lower()) or int(scale.replace(",", ""))
            noun = f"{factor} {noun}"
        return noun, head.end()

    def qualifier(self, start: int, end: int) -> tuple[str | None, int, int]:
        """Qualifier written before (or as "or more" after) the figure; the span widens over it."""
        before = QUALIFIER_BEFORE.search(self.before(start))
        if before:
            kind, length = before
            return kind, start - length, end
        for name, pattern in (("over", TRAILING_OVER), ("under", TRAILING_UNDER)):
            trailing = self.match(pattern, end)
            if trailing:
                return name, start, trailing.end()
        return None, start, end

    def parse_list(self, m: re.Match[str], start: int, currency: str | None, negative: bool) -> int:
        """ "1.2/1.5/1.9 billion yuan for 2024-2026", "PE of -3.1/-6.4/35x": one figure per listed year."""
        suffix = self.match(ITEM_UNIT, m.end())
        items = [(("-" if negative else "") + m.group(), suffix.group() if suffix else None)]
        pos = suffix.end() if suffix else m.end()
        while (item := self.match(SLASH_ITEM, pos)) is not None:
            items.append((item.group(1), item.group(2)))
            pos = item.end()
        if len(items) > _MAX_LIST_ITEMS:
            return pos
        amount = self.amount_at(pos, currency is not None)
        if amount is None:
            return self.skip_code(pos)
        suffixes = {suffix.lower() for _, suffix in items if suffix}
        label = LABEL_BEFORE.search(self.before(start))
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
        shared_scale = amount.scale or SCALE_MULTIPLIERS.get((items[-1][1] or "").lower())  # "1.2/1.5/1.9bn"
        for (digits, suffix), year in zip(items, years, strict=False):
            value = _exact(digits)
            if value is not None:
                scale = SCALE_MULTIPLIERS.get((suffix or "").lower()) or shared_scale
                self.found.append(
                    Figure(
                        span_start,
                        end,
                        end,
                        _base_units(value, scale, amount.divisor),
                        None,
                        unit,
                        per,
                        None,
                        year,
                        True,
                    )
                )
        return end

    def list_years(self, end: int, start: int, count: int) -> list[int] | None:
        """Years of a slash list: a year range right after it, else the nearest range before, else after."""
        i = bisect.bisect_left(self.year_starts, end)
        if i < len(self.year_matches) and self.year_starts[i] - end <= 40:
            gap = self.t[end : self.year_starts[i]].strip(" ,").lower()
            years = expand_years(self.year_matches[i])
            if gap in ("", "for", "in", "over", "during") and years and len(years) > 1:
                return years if len(years) == count else None
        first = bisect.bisect_left(self.year_starts, start - _LIST_YEAR_REACH)
        last = bisect.bisect_left(self.year_starts, end + _LIST_YEAR_REACH)
        before = range(bisect.bisect_left(self.year_starts, start) - 1, first - 1, -1)
        for index in itertools.chain(before, range(i, last)):
            years = expand_years(self.year_matches[index])
            if years and len(years) > 1:
                return years if len(years) == count else None
        return None
