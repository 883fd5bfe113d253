"""The words figures are written with: currencies, scale words, qualifiers, units and the nouns a count may name.

Currencies and scale words are tables (`data/currencies.csv`, `data/scale_words.csv`): adding a currency or a
scale word is one row, and every pattern that reads one (`metric_patterns`) is generated from them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _listed(cell: str) -> tuple[str, ...]:
    return tuple(item for item in cell.split("|") if item)


# --- currencies --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Currency:
    code: str  # ISO 4217, also read as written: "USD 5 billion", "5 billion USD", "USD5 billion"
    symbols: tuple[str, ...]  # written before the number: US$, ¥, RMB
    words: tuple[str, ...]  # written after the number: yuan, 美元, Swiss francs
    dollar_names: tuple[str, ...]  # "<name> dollars": Hong Kong, Singapore

    def words_after(self) -> tuple[str, ...]:
        """Every way this currency is written after a number, dollar names included."""
        return self.words + tuple(f"{name} {noun}" for name in self.dollar_names for noun in ("dollar", "dollars"))


CURRENCY_TABLE = tuple(
    Currency(row["code"], _listed(row["symbols"]), _listed(row["words"]), _listed(row["dollar_names"]))
    for row in _rows("currencies.csv")
)
CURRENCIES = frozenset(currency.code for currency in CURRENCY_TABLE)
# What a written currency means, keyed by the text with its spaces removed ("US $" is "US$").
WRITTEN_CURRENCY_BEFORE = {
    **{code: code for code in CURRENCIES},
    **{symbol.replace(" ", ""): c.code for c in CURRENCY_TABLE for symbol in c.symbols},
}
WRITTEN_CURRENCY_AFTER = {
    **{code: code for code in CURRENCIES},
    **{word: c.code for c in CURRENCY_TABLE for word in c.words_after()},
}


def currency_acronyms() -> frozenset[str]:
    """Currency codes and all-capital symbols (CNY, RMB): acronyms that never name an organisation."""
    return CURRENCIES | {
        symbol for currency in CURRENCY_TABLE for symbol in currency.symbols if symbol.isalpha() and symbol.isupper()
    }


# --- scale words -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScaleWord:
    word: str
    multiplier: Decimal
    attached_only: bool  # read only right after the digits: "5k", "$5m"
    needs_currency: bool  # "$5m", "US$1.6T"; without a currency "1.6T" is a code
    case_sensitive: bool  # "US$1.6T" is a trillion, "5t" is tonnes
    list_suffix: bool  # may close each item of a slash list: "1.2bn/1.5bn"


SCALE_WORDS = tuple(
    ScaleWord(
        row["word"],
        Decimal(row["multiplier"]),
        row["attached_only"] == "yes",
        row["needs_currency"] == "yes",
        row["case_sensitive"] == "yes",
        row["list_suffix"] == "yes",
    )
    for row in _rows("scale_words.csv")
)
# Scale words read right after the digits, by their text as written ("T") and lower-cased ("bn").
ATTACHED_SCALES = {
    **{s.word.lower(): s for s in SCALE_WORDS if not s.case_sensitive},
    **{s.word: s for s in SCALE_WORDS if s.case_sensitive},
}
SCALE_MULTIPLIERS = {s.word.lower() if not s.case_sensitive else s.word: s.multiplier for s in SCALE_WORDS}

# --- units and qualifiers ----------------------------------------------------------------------------------

UNITS = CURRENCIES | {"%", "pp", "x", "count"}
QUALIFIER_PHRASES = {  # words right before a figure that qualify it ("more than 10%"), by qualifier
    "up_to": ("no more than", "up to", "as much as", "as many as", "at most", "capped at", "a maximum of"),
    "over": (
        "no less than",
        "more than",
        "greater than",
        "higher than",
        "over",
        "exceed",
        "exceeds",
        "exceeded",
        "exceeding",
        "surpass",
        "surpasses",
        "surpassed",
        "surpassing",
        "above",
        "beyond",
        "in excess of",
        "upwards of",
        "at least",
        "north of",
        "topped",
        "topping",
    ),
    "under": ("less than", "fewer than", "lower than", "under", "below", "short of"),
    "approx": (
        "approximately",
        "approx",
        "approx.",
        "about",
        "around",
        "nearly",
        "roughly",
        "almost",
        "close to",
        "some",
        "circa",
        "c.",
        "~",
        "an estimated",
    ),
}
QUALIFIERS = frozenset(QUALIFIER_PHRASES)
ATTACHED_MEASURES = frozenset({"gw", "mw", "kw", "gwh", "mwh", "kwh", "twh", "kg", "km"})  # "10GW" counts
PER_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}  # "per thousand"

# --- the nouns after a number ------------------------------------------------------------------------------

TIME_NOUNS = frozenset(
    {
        "second",
        "minute",
        "hour",
        "day",
        "week",
        "month",
        "quarter",
        "year",
        "decade",
        "century",
        "session",
        "trading",
        "weekend",
        "night",
        "yr",
        "mo",
    }
)
MEASURE_NOUNS = frozenset(
    {
        "ton",
        "tonne",
        "kg",
        "kilogram",
        "gram",
        "ounce",
        "oz",
        "lb",
        "barrel",
        "kwh",
        "mwh",
        "gwh",
        "twh",
        "kw",
        "mw",
        "gw",
        "w",
        "t",
        "watt",
        "kilowatt",
        "megawatt",
        "gigawatt",
        "unit",
        "share",
        "item",
        "piece",
        "vehicle",
        "bottle",
        "user",
        "person",
        "head",
        "capita",
        "sqm",
        "hectare",
        "mu",
        "litre",
        "liter",
        "meter",
        "metre",
        "km",
        "teu",
        "token",
        "box",
        "bag",
        "set",
        "seat",
        "bed",
        "room",
        "store",
        "card",
    }
)
NOT_PLURAL = frozenset(
    {
        "is",
        "was",
        "has",
        "its",
        "this",
        "thus",
        "plus",
        "less",
        "across",
        "versus",
        "various",
        "previous",
        "as",
        "us",
        "does",
        "yes",
        "always",
        "perhaps",
        "whereas",
        "besides",
        "news",
        "gas",
        "bonus",
        "status",
        "basis",
        "analysis",
        "focus",
        "census",
        "consensus",
        "corpus",
        "campus",
        "bus",
        "gross",
        "overseas",
        "sales",
    }
)
IRREGULAR_PLURALS = frozenset(
    {
        "people",
        "staff",
        "personnel",
        "children",
        "men",
        "women",
        "cattle",
        "sheep",
        "fish",
        "aircraft",
        "kwh",
        "mwh",
        "gwh",
        "twh",
        "mw",
        "gw",
        "kw",
    }
)
NOUN_PHRASE_STOPWORDS = frozenset(
    {
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "and",
        "or",
        "but",
        "nor",
        "as",
        "than",
        "that",
        "which",
        "who",
        "whom",
        "whose",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "will",
        "would",
        "could",
        "should",
        "can",
        "may",
        "might",
        "must",
        "per",
        "each",
        "while",
        "its",
        "their",
        "his",
        "her",
        "this",
        "these",
        "those",
        "after",
        "before",
        "since",
        "until",
        "over",
        "under",
        "about",
        "into",
        "onto",
        "including",
        "up",
        "down",
        "against",
        "via",
        "within",
        "respectively",
        "yoy",
        "year-on-year",
        "quarter-on-quarter",
        "month-on-month",
        "versus",
        "vs",
        "if",
        "so",
        "such",
        "more",
        "less",
        "higher",
        "lower",
        "above",
        "below",
        "only",
        "also",
        "not",
        "no",
        "it",
        "we",
        "they",
        "our",
        "between",
        "during",
        "through",
        "among",
        "amid",
        "following",
        "ahead",
        "when",
    }
)
WORDS_BEFORE_A_COUNT = frozenset(
    {  # capitalised words that may stand before a count without naming it
        "in",
        "on",
        "at",
        "by",
        "for",
        "of",
        "to",
        "with",
        "about",
        "over",
        "under",
        "nearly",
        "around",
        "approximately",
        "roughly",
        "almost",
        "some",
        "only",
        "just",
        "another",
        "all",
        "total",
        "up",
        "down",
        "below",
        "above",
        "more",
        "less",
        "fewer",
        "exceeding",
        "exceeded",
        "the",
        "a",
        "an",
        "and",
        "or",
        "from",
        "between",
        "each",
        "every",
        "approx",
        "those",
        "these",
        "its",
        "their",
        "our",
        "we",
        "it",
        "they",
        "there",
        "estimated",
        "circa",
        "as",
        "than",
        "after",
        "before",
        "since",
    }
)
RANK_WORDS = frozenset(
    {
        "top",
        "bottom",
        "no",
        "no.",
        "number",
        "phase",
        "batch",
        "tier",
        "level",
        "grade",
        "class",
        "section",
        "article",
        "chapter",
        "item",
        "version",
        "round",
        "stage",
        "model",
        "series",
        "gen",
        "generation",
        "rank",
        "ranked",
        "ranking",
        "figure",
        "table",
        "page",
        "line",
        "step",
        "part",
        "type",
        "zone",
        "district",
    }
)
PER_ARTICLE_NOUNS = frozenset(
    {"year", "month", "week", "day", "ton", "tonne", "share", "unit", "head", "person", "vehicle", "annum"}
)  # "300 billion yuan a year", not "a record"


def singular(word: str) -> str:
    """ "tokens" -> "token", "batteries" -> "battery"; short words and irregular plurals as they are."""
    lower = word.lower()
    if lower in IRREGULAR_PLURALS or len(word) <= 3 or not lower.endswith("s") or lower.endswith("ss"):
        return word
    if lower.endswith("ies"):
        return word[:-3] + "y"
    if lower.endswith(("ches", "shes", "xes")):
        return word[:-2]
    return word[:-1]


def is_plural(word: str) -> bool:
    """Whether a word after a number reads as a plural noun (GPUs, stores), so the number counts it."""
    lower = word.lower()
    if lower in IRREGULAR_PLURALS or (len(word) > 2 and word[-1] == "s" and word[-2].isupper()):  # GPUs
        return True
    return len(lower) > 2 and lower[-1] == "s" and not lower.endswith(("ss", "us", "is")) and lower not in NOT_PLURAL
