"""Organisations named in a claim (companies, not products), as written.

Two sources of evidence, as in SPEC.md `entities` (companies, their cloud/research units, research
firms, regulators and state bodies; never products, places, people, events or indicators):
1. a gazetteer: every name and alias of the reference companies (dbt seed `companies`) plus the
   regulators and state bodies below, longest match first, on word boundaries;
2. heuristics for organisations the reference lacks: a capitalised name ending in an
   organisation word ("Flashcore Technology", "Horizon Aircraft", "Ministry of Commerce"), or a name
   in a context only organisations take: subject of a corporate verb ("Prismark estimates"), owner
   of a business noun or a product ("Innolight's revenue", "Hygon's DCU"), after an organisation noun
   ("trading arm IXM", "suppliers such as Leaderdrive"), before `its` ("Lazada narrowed its losses")
   or a stock code, the counterparty of a licence, or listed next to an organisation; and the short
   forms of a name the report gave in full ("Atour Lifestyle Holdings", then "Atour").
The words these rules read are a table, name_vocabulary.csv.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path

from pipelines.extraction.metric_vocabulary import currency_acronyms
from pipelines.extraction.phrases import alternation
from pipelines.extraction.reference import company_names, read_seed


@dataclass(frozen=True)
class EntitySpan:
    name: str
    start: int  # offsets into the text given to find_entities
    end: int


# Regulators, central banks and other state bodies the reports cite as actors.
INSTITUTIONS = (
    "PBOC", "PBoC", "People's Bank of China",
    "NDRC", "National Development and Reform Commission",
    "MIIT", "Ministry of Industry and Information Technology",
    "MOFCOM", "Ministry of Commerce",
    "MOF", "Ministry of Finance",
    "MOST", "Ministry of Science and Technology",
    "MOHURD", "Ministry of Housing and Urban-Rural Development",
    "Ministry of Natural Resources", "Ministry of Transport", "Ministry of Ecology and Environment",
    "CSRC", "China Securities Regulatory Commission",
    "NFRA", "National Financial Regulatory Administration",
    "CBIRC", "China Banking and Insurance Regulatory Commission",
    "SAFE", "State Administration of Foreign Exchange",
    "SASAC", "State-owned Assets Supervision and Administration Commission",
    "SAMR", "State Administration for Market Regulation",
    "NHSA", "National Healthcare Security Administration",
    "NHC", "National Health Commission",
    "NMPA", "National Medical Products Administration",
    "NPPA", "National Press and Publication Administration",
    "NEA", "National Energy Administration",
    "NBS", "National Bureau of Statistics",
    "CAC", "Cyberspace Administration of China",
    "GACC", "General Administration of Customs",
    "State Council", "State Taxation Administration",
    "Shanghai Stock Exchange", "Shenzhen Stock Exchange", "Beijing Stock Exchange",
    "Fed", "Federal Reserve",
    "FDA", "Food and Drug Administration",
    "SEC", "Securities and Exchange Commission",
    "USTR", "US Department of Commerce", "Commerce Department",
    "ECB", "European Central Bank", "European Commission",
    "EMA", "European Medicines Agency",
    "BOJ", "Bank of Japan", "Bank of England",
    "IMF", "International Monetary Fund", "World Bank",
    "WTO", "World Trade Organization",
    "OPEC", "OPEC+", "IEA", "International Energy Agency",
)  # fmt: skip

# The words the rules below read, by kind (name_vocabulary.csv, one `kind,word` row each):
# company_suffix / institution_suffix  last word that makes a capitalised name an organisation
#     ("Soulmate Technology", "Horizon Aircraft"); an institution suffix does so even after generic
#     words ("National Health Commission"), a company suffix needs a distinctive word before it;
# of_head        head of "<head> of <place or field>" names (Bank of Ningbo, Ministry of Commerce);
# generic        words that are not distinctive before a company suffix ("Information Technology");
# non_name       capitalised words that never name an organisation on their own (openers, calendar);
# place          countries, regions and cities: "China's", "Guangdong's average" are not owners;
# corporate_verb verbs whose subject is an organisation ("TFC Optical reported", "Prismark estimates");
# business_noun  nouns an organisation owns ("Innolight's revenue", "Broadcom's CEO");
# organisation_noun  nouns that put an organisation right after them ("trading arm IXM");
# non_organisation_head  last word that makes a capitalised name an event, programme, list or index
#     ("World Artificial Intelligence Conference", "Entity List"), not an organisation.
VOCABULARY_CSV = Path(__file__).with_name("name_vocabulary.csv")


def _read_vocabulary() -> dict[str, tuple[str, ...]]:
    kinds: dict[str, list[str]] = {}
    with VOCABULARY_CSV.open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            kinds.setdefault(row["kind"], []).append(row["word"])
    return {kind: tuple(words) for kind, words in kinds.items()}


_VOCABULARY = _read_vocabulary()
INSTITUTION_SUFFIXES = frozenset(_VOCABULARY["institution_suffix"])
ORG_SUFFIXES = frozenset(_VOCABULARY["company_suffix"]) | INSTITUTION_SUFFIXES
OF_HEADS = frozenset(_VOCABULARY["of_head"])
GENERIC_WORDS = frozenset(w.lower() for w in _VOCABULARY["generic"]) | {s.lower() for s in ORG_SUFFIXES}
NON_NAME_WORDS = frozenset(w.lower() for w in _VOCABULARY["non_name"])
PLACES = frozenset(w.lower() for w in _VOCABULARY["place"])
NON_ORGANISATION_HEADS = frozenset(_VOCABULARY["non_organisation_head"])
# "We upgrade the sector to Overweight": rating words (dbt seed `rating_scale`) are never names.
RATING_WORDS = frozenset(word.lower() for word in read_seed("rating_scale")["rating_word"].to_list())
_PLACES_AND_NON_NAME_WORDS = PLACES | NON_NAME_WORDS
# Acronyms of indicators, products and technologies that look like organisation acronyms.
NON_ORG_ACRONYMS = (
    frozenset(
        [
            "AI",
            "AIGC",
            "AGI",
            "LLM",
            "LLMs",
            "GPU",
            "GPUs",
            "CPU",
            "ASIC",
            "ASICs",
            "HBM",
            "DRAM",
            "NAND",
            "PCB",
            "PCBs",
            "CCL",
            "HDI",
            "HVLP",
            "UHV",
            "DC",
            "AC",
            "PE",
            "PB",
            "PS",
            "EPS",
            "ROE",
            "ROA",
            "NIM",
            "NPL",
            "LPR",
            "RRR",
            "MLF",
            "AUM",
            "ARPU",
            "DAU",
            "MAU",
            "GMV",
            "SKU",
            "IPO",
            "R&D",
            "ETF",
            "ETFs",
            "GDP",
            "CPI",
            "PPI",
            "PMI",
            "NEV",
            "NEVs",
            "EV",
            "EVs",
            "BEV",
            "PHEV",
            "EREV",
            "HEV",
            "ICE",
            "SUV",
            "MPV",
            "ADAS",
            "NOA",
            "OTA",
            "PV",
            "ESS",
            "BESS",
            "TOPCon",
            "PERC",
            "HJT",
            "IT",
            "ICT",
            "IoT",
            "SaaS",
            "PaaS",
            "IaaS",
            "API",
            "APP",
            "MDI",
            "TDI",
            "PVC",
            "PTA",
            "HFC",
            "HFCs",
            "LNG",
            "LPG",
            "EBITDA",
            "CAGR",
            "YoY",
            "QoQ",
            "MoM",
            "FY",
            "TTM",
            "ADC",
            "ADCs",
            "GLP",
            "TCE",
            "CDMO",
            "CRO",
            "CXO",
            "BD",
            "NRDL",
            "VBP",
            "KOL",
            "IP",
            "IPs",
            "AAA",
            "MMO",
            "CEO",
            "CFO",
            "CTO",
            "COO",
            "SOE",
            "SOEs",
            "SME",
            "SMEs",
            "CSI",
            "HSI",
            "STAR",
            "ESG",
            "REIT",
            "REITs",
            "LGFV",
            "BAT",
            "FAANG",
            "DCU",
            "TPU",
            "NPU",
            "SoC",
            "MCU",
            "IGBT",
            "SiC",
            "GaN",
            "OLED",
            "LCD",
            "LED",
            "VR",
            "AR",
            "XR",
            "MR",
            "HPC",
            "IDC",
            "AIDC",
            "CAPEX",
            "OPEX",
            "ASP",
            "ASPs",
            "NAV",
            "TAM",
            "OEM",
            "OEMs",
            "ODM",
            "EMS",
            "PD",
            "VEGF",
            "MMA",
            "GW",
            "MW",
            "GWh",
            "MWh",
            "TWh",
            "KWh",
            "kWh",
            "RMBbn",
            "PP",
            "BPS",
            "NII",
            "NPLs",
        ]
    )
    | currency_acronyms()
)
CORPORATE_VERBS = frozenset(_VOCABULARY["corporate_verb"])
AUXILIARIES = r"(?:has|have|had|will|would|also|both|together|jointly|each|all|recently|already|further|now)"
BUSINESS_NOUNS = frozenset(_VOCABULARY["business_noun"])
ORG_NOUNS = alternation(_VOCABULARY["organisation_noun"])
CUE_BEFORE = re.compile(
    rf"(?:\b(?:{ORG_NOUNS})(?:\s+(?:such\s+as|including|like|led\s+by))?"
    r"|\b(?:merger|acquisition|takeover|capex|expenditure|shares|stock|shareholders?|stake|subsidiary|parent"
    r"|coverage)\s+(?:of|in)"
    r"|\w-based"
    r"|\b(?:collaboration|partnership|cooperation|agreements?|deals?|contracts?|alliance|partnered"
    r"|teamed\s+up|joint\s+venture)\s+with)\s+(?:the\s+)?$"
)
CUE_AFTER = re.compile(
    r"^,?\s+(?:in\s+collaboration|in\s+partnership|together|jointly|along)\s+with\b"
    # "Veltrix is one of the few vendors ...", "Kestrel has become a core supplier"
    r"|^\s+(?:is|was|remains|has\s+become|became)\s+(?:now\s+)?(?:one\s+of\s+)?(?:the|a|an)\s+(?:[\w-]+\s+){0,3}?"
    rf"(?:{ORG_NOUNS})\b"
    # a stock code in brackets: "Orbix Holdings (1364.HK)", "Veltrix (NASDAQ: VLTX)"
    r"|^\s*[(（]\s*(?:\d{4,6}(?:\.[A-Z]{2})?|[A-Z]{1,5}\.[A-Z]{1,2}"
    r"|(?:NASDAQ|NYSE|HKEX|SSE|SZSE)\s*:\s*[A-Z0-9.]+)\s*[)）]"
)
# The counterparty of a licence or a sale: "licensed its antibody to Pfizer".
COUNTERPARTY = re.compile(r"\b(?:licensed|out-licensed|sold|granted|transferred|awarded)\b[^.;]{0,80}?\bto\s+$")
COUNTERPARTY_WINDOW = 120  # characters before a name that COUNTERPARTY looks at
# "Veltrix raised its guidance": `its` within two words refers back to the name, which is not a person.
ITS_AFTER = re.compile(  # matched at the end of the name; not "Overweight since its valuation"
    r"\s+(?!(?:since|as|because|with|for|of|in|on|at|by|to|and|but|while|when|given|despite|after|before)\b)"
    r"[a-z][\w-]*(?:\s+[a-z][\w-]*)?\s+its\b"
)
# Before a place that ends a headline: "in Southeast Asia", "to Europe" (an opener such as Southeast may come between).
PLACE_PREPOSITION = re.compile(r"\b(?:in|into|to|from|across|throughout|outside|inside)\s+(?:[A-Z][a-z]+\s+)?$")
PERSON_TITLE = re.compile(
    r"\b(?:CEO|CFO|CTO|chairman|chairwoman|chair|founder|president|chief\s+executive|executive|analyst"
    r"|Mr|Ms|Mrs|Dr)\.?\s+$",
    re.I,
)
POSSESSIVE = re.compile(r"^['’](?:s\b|(?=\s))")  # "Tenvora's", "Orbix Labs' "
LIST_END = re.compile(r"\band\b|&")  # the separator before a list's last item
LIST_SEPARATOR = re.compile(r"^(?:\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+)(?:the\s+)?$")

TOKEN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9&.\-+]*[A-Za-z0-9+])?")
# The tokens of TOKEN.finditer that _runs must look at: a superset of name tokens, and `of`. Every
# other token only ends a run, which the gap before the next candidate shows too, so the regex
# engine skips them. A token starts at an alphanumeric that no earlier token reaches through
# `&.-+` (hence the look-behind and the leading separators); the look-ahead lists the shapes
# _is_name_token can accept.
RUN_TOKEN_CANDIDATE = re.compile(
    rf"(?<![A-Za-z0-9&.\-+])[&.\-+]*(?=[A-Z]|\d+[A-Z]|[a-z]{{1,3}}-?[A-Z]|of)({TOKEN.pattern})"
)
ROMAN_NUMERAL = re.compile(r"[IVX]{2,}")
# A single capital letter is a name token ("H World"); _trim drops it at the end of a run ("Series A").
MODEL_CODE = re.compile(r"^(?:[A-Za-z]{1,4}\d[\w.]*|\d+(?:\.\d+)?[A-Za-z]{0,2}|[A-Z]\d+)$")


@lru_cache(maxsize=1 << 16)  # a few thousand distinct capitalised words recur in every report
def _is_name_token(token: str) -> bool:
    """Capitalised, acronym or camel-case word (iFlytek, 3SBio); not a model code or a plain word."""
    parts = token.split("-")
    if any(MODEL_CODE.match(part) for part in parts if part) and not re.match(r"^\d+[A-Z]+[a-z]", token):
        return False
    if any(part.islower() for part in parts[1:]):  # AI-generated, Tesla-style, A-share
        return False
    first = token[0]
    return first.isupper() or bool(re.match(r"^\d+[A-Z]+[a-z]|^[a-z]{1,3}-?[A-Z]", token))


def _is_plain_word(token: str) -> bool:
    """Title-case word without inner capitals: the shape of people's names and sentence openers."""
    return token[:1].isupper() and token[1:].islower()


@dataclass(frozen=True)
class _Run:
    """A maximal sequence of name tokens, e.g. `Bank of Ningbo`, with each token's offsets."""

    words: tuple[tuple[str, int, int], ...]

    @cached_property  # asked for by most checks of every run
    def tokens(self) -> tuple[str, ...]:
        return tuple(word for word, _, _ in self.words)

    @property
    def start(self) -> int:
        return self.words[0][1]

    @property
    def end(self) -> int:
        return self.words[-1][2]

    @property
    def last(self) -> str:
        return self.words[-1][0]


def _runs(text: str) -> list[_Run]:
    """Name-token sequences joined by single spaces (and `of` after an organisation head)."""
    runs: list[list[tuple[str, int, int]]] = []
    current: list[tuple[str, int, int]] = []
    previous_end = 0
    for match in RUN_TOKEN_CANDIDATE.finditer(text):
        word, start, end = match.group(1), match.start(1), match.end(1)
        # A skipped token in between leaves letters or digits in the gap, so it never joins.
        joins = bool(current) and text[previous_end:start] == " "
        previous_end = end
        if word == "of" and joins and current[-1][0] in OF_HEADS:
            current.append((word, start, end))
            continue
        if not _is_name_token(word) or text.startswith("$", end):  # US$, HK$
            current = []
            continue
        if not joins:
            current = []
            runs.append(current)
        current.append((word, start, end))
    return [trimmed for words in runs if (trimmed := _trim(words))]


def _joined(text: str, runs: list[_Run]) -> list[_Run]:
    """Runs that one name spans: `Huace Film & TV`, `Bureau of Industry and Security` (an institution
    head, `of` and one word before the `and`)."""
    joined: list[_Run] = []
    for run in runs:
        if joined:
            previous = joined[-1]
            gap = text[previous.end : run.start]
            institution_and = (
                gap == " and "
                and len(previous.tokens) == 3
                and previous.tokens[1] == "of"
                and previous.tokens[0] in INSTITUTION_SUFFIXES
            )
            if gap == " & " or institution_and:
                joined[-1] = _Run(previous.words + run.words)
                continue
        joined.append(run)
    return joined


def _is_filler(word: str) -> bool:
    return word.lower() in NON_NAME_WORDS or word in NON_ORG_ACRONYMS or word == "of"


def _is_trailing_place(words: list[tuple[str, int, int]]) -> bool:
    """`Hengrui Pharma US` (from `US$500`) but not `Bank of China`."""
    return len(words) > 1 and words[-1][0].lower() in PLACES and words[-2][0] != "of"


def _is_trailing_filler(words: list[tuple[str, int, int]]) -> bool:
    last = words[-1][0]
    return last in NON_ORG_ACRONYMS or last == "of" or len(last) == 1 or _is_trailing_place(words)


def _trim(words: list[tuple[str, int, int]]) -> _Run | None:
    """Drop sentence openers, indicator acronyms and letters from both ends (`In 2024`, `AI ByteDance`,
    `Series A`)."""
    first = next((i for i, (word, _, _) in enumerate(words) if not _is_filler(word)), len(words))
    kept = words[first:]
    while kept and _is_trailing_filler(kept):
        kept = kept[:-1]
    return _Run(tuple(kept)) if kept else None


def _has_org_suffix(run: _Run) -> bool:
    """Ends in an organisation word with something distinctive before it."""
    head = run.tokens[: run.tokens.index("of")] if "of" in run.tokens else run.tokens
    suffix = head[-1] if "of" not in run.tokens or head[-1] in OF_HEADS else ""
    if suffix not in ORG_SUFFIXES or len(run.tokens) < 2:
        return False
    if suffix in INSTITUTION_SUFFIXES:
        return True
    return any(t.lower() not in GENERIC_WORDS and t.lower() not in NON_NAME_WORDS for t in head[:-1])


def _is_rejected(run: _Run) -> bool:
    """Places, rating words, calendar words, openers, events and lists, generic words, indicator acronyms,
    numerals."""
    name = " ".join(run.tokens)
    if name.lower() in PLACES or name.lower() in RATING_WORDS:
        return True
    if all(t.lower() in _PLACES_AND_NON_NAME_WORDS for t in run.tokens):
        return True
    if len(run.tokens) > 1 and run.last in NON_ORGANISATION_HEADS:
        return True
    if len(run.tokens) == 1:
        token = run.last
        if token in NON_ORG_ACRONYMS or token.lower() in GENERIC_WORDS or ROMAN_NUMERAL.fullmatch(token):
            return True
        if re.fullmatch(r"[A-Z]{2,}s", token):
            return True  # "ETFs"
    return False


def _is_plural_noun(run: _Run) -> bool:
    """`Operators expect`, `Analysts estimate`: a capitalised plural, an organisation only on a strong cue."""
    return len(run.tokens) == 1 and _is_plain_word(run.last) and bool(re.search(r"[^s]s$", run.last))


def _looks_like_person(run: _Run) -> bool:
    """Two or three plain title-case words without an organisation word or a plural-looking last word:
    `Hock Tan`, not `Goldman Sachs`."""
    return (
        2 <= len(run.tokens) <= 3
        and all(_is_plain_word(t) for t in run.tokens)
        and not re.search(r"[^s]s$", run.last)
        and not _has_org_suffix(run)
        and run.tokens[0].lower() not in PLACES
    )


def _owned_words(run: _Run, after: str) -> list[str] | None:
    """The words after the run's possessive (`'s`, or `'` after a final s), None without one."""
    possessive = POSSESSIVE.match(after)
    if not possessive or (possessive.group() != "'s" and possessive.group() != "’s" and not run.last.endswith("s")):
        return None
    owned = after[possessive.end() :].split()
    # "Valentine's Day", "Singles' Day": an event's name, not an owner
    return None if owned and owned[0].strip(",.;:") in NON_ORGANISATION_HEADS else owned


def _owns_business_noun(run: _Run, after: str) -> bool:
    """A possessive followed within a few words by something only an organisation has: revenue, CEO."""
    owned = _owned_words(run, after)
    return bool(owned) and any(word.strip(",.;:").lower() in BUSINESS_NOUNS for word in owned[:5])


def _has_strong_cue(text: str, run: _Run) -> bool:
    """Contexts that hold for organisations only, whatever the name looks like."""
    before, after = text[: run.start], text[run.end :]
    return (
        bool(CUE_BEFORE.search(before) or CUE_AFTER.match(after))
        or _owns_business_noun(run, after)
        or (before.endswith("to ") and bool(COUNTERPARTY.search(before[-COUNTERPARTY_WINDOW:])))
    )


def _has_cue_unlike_a_person(text: str, run: _Run) -> bool:
    """`its` right after the name (people take his or her), or a weak cue for a name unlike a person's."""
    if ITS_AFTER.match(text, run.end):
        return True
    if _looks_like_person(run) or PERSON_TITLE.search(text[: run.start]):
        return False
    return _has_weak_cue(text, run)


def _has_weak_cue(text: str, run: _Run) -> bool:
    """Contexts shared with people or products: subject of a corporate verb, owner of a named product."""
    after = text[run.end :]
    verb = re.match(rf"^,?(?:\s+{AUXILIARIES})*\s+([a-z]+)\b", after)
    if verb and verb.group(1) in CORPORATE_VERBS:
        return True
    owned = _owned_words(run, after)
    if not owned:
        return False
    # "Hygon's DCU", "NVIDIA's GB200", "OpenAI's o1": an organisation's product (not "Valentine's Day")
    first = owned[0].strip(",.;:")
    return (_is_name_token(first) and first.lower() not in NON_NAME_WORDS) or (
        bool(MODEL_CODE.match(first)) and not first.isdigit()
    )


def _is_owned(text: str, run: _Run) -> bool:
    """What follows an owner (`ByteDance's Doubao`) is its product or unit, not another organisation;
    what follows a place (`Brazil's Embraer`) may be either."""
    before = text[max(0, run.start - 60) : run.start]
    if not before.rstrip().endswith(("'s", "’s")):
        return False
    owner = re.search(r"((?:[A-Z][\w.]*\s+){0,2}[A-Z][\w.]*)['’]s\s+$", before)
    if owner is None:
        return True
    words = owner.group(1).split()
    return not any(" ".join(words[i:]).lower() in PLACES for i in range(len(words)))


def _without_leading_place(text: str, run: _Run) -> _Run:
    """`in Southeast Asia Orbix's ...`: a bullet's headline ends in a place and the body opens with a name."""
    for cut in range(len(run.words) - 1, 0, -1):
        if " ".join(run.tokens[:cut]).lower() in PLACES:
            if PLACE_PREPOSITION.search(text[max(0, run.start - 24) : run.start]):
                return _Run(run.words[cut:])
            return run
    return run


@lru_cache(maxsize=1 << 12)
def short_forms(name: str) -> frozenset[str]:
    """What a report calls a company after naming it in full: `Orbix Lifestyle Holdings` -> `Orbix
    Lifestyle`, `Orbix`; `Xiamen Orbix Technology` -> `Orbix Technology`, `Orbix`. Never a generic word,
    a place, an opener or a two-letter word alone (`Li Auto` has none)."""
    words = name.split()
    while len(words) > 1 and words[0].lower() in PLACES:
        words = words[1:]
    forms = {" ".join(words)}
    while len(words) > 1 and (words[-1] in ORG_SUFFIXES or words[-1].lower() in GENERIC_WORDS):
        words = words[:-1]
        forms.add(" ".join(words))
    return frozenset(form for form in forms if form != name and (" " in form or _is_distinctive_word(form)))


def _is_distinctive_word(word: str) -> bool:
    """A word that can name a company alone: not generic, a place or an opener, nor a surname-short `Li`."""
    return len(word) >= 3 and word.lower() not in GENERIC_WORDS and word.lower() not in _PLACES_AND_NON_NAME_WORDS


def _heuristic_spans(text: str, known: list[tuple[int, int]], named_before: Iterable[str]) -> list[tuple[int, int]]:
    """Unknown organisations from their shape or their context, list-mates of organisations, and the
    short forms of names found before (in earlier claims or earlier in this one)."""
    runs = [
        _without_leading_place(text, run)
        for run in _joined(text, _runs(text))
        if not _is_rejected(run) and not _is_owned(text, run)
    ]
    accepted: set[tuple[int, int]] = set(known)
    plural_nouns: set[tuple[int, int]] = set()
    for run in runs:
        if _is_plural_noun(run):
            plural_nouns.add((run.start, run.end))
            # a plural takes `their`: "Papergames shipped its game" is one organisation
            if _has_strong_cue(text, run) or ITS_AFTER.match(text, run.end):
                accepted.add((run.start, run.end))
        elif _has_org_suffix(run) or _has_strong_cue(text, run) or _has_cue_unlike_a_person(text, run):
            accepted.add((run.start, run.end))
    forms = {form for start, end in accepted for form in short_forms(text[start:end])}
    forms.update(form for name in named_before for form in (name, *short_forms(name)))
    if forms:
        # A short form right before a name or a code is a brand on a product: "Orbix AI A1", "Orbix X9".
        accepted.update(
            (run.start, run.end)
            for run in runs
            if " ".join(run.tokens) in forms and not re.match(r"\s+[A-Z0-9]", text[run.end : run.end + 2])
        )
    candidates = sorted({(run.start, run.end) for run in runs} - plural_nouns | accepted)
    for group in _list_groups(text, candidates):
        if len(group) > 1 and any(span in accepted for span in group):
            accepted.update(group)
    return sorted(accepted)


def _case_key(char: str) -> str:
    """One trie key per case-insensitive letter, so at most one branch of a trie node can match."""
    lowered = char.lower()
    return lowered if len(lowered) == 1 else char


class Gazetteer:
    """Known names: the company reference plus the regulators and state bodies of INSTITUTIONS."""

    def __init__(self, company_names: Iterable[str]) -> None:
        names = {*company_names, *INSTITUTIONS}
        # A flat alternation of ~1,700 names tries every name at every position; a prefix tree shares
        # prefixes. Backtracking into the shorter names still keeps the boundary check below per name.
        # Not inside a longer word, a hyphenated compound (DeepSeek-R1, Tesla-style) or a dotted name.
        self.pattern = re.compile(
            rf"(?<![A-Za-z0-9\-.]){alternation(names, key=_case_key)}(?![A-Za-z0-9]|-[A-Za-z0-9]|\.[A-Za-z])", re.I
        )
        self.canonical_spellings = frozenset(names)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Known names; case-insensitive, but a lower-case match must be a canonical spelling (iFlytek)."""
        return [
            (m.start(), m.end())
            for m in self.pattern.finditer(text)
            if not m.group()[0].islower() or m.group() in self.canonical_spellings
        ]


@cache
def reference_gazetteer() -> Gazetteer:
    """The gazetteer of the company reference seed (dbt seed `companies`)."""
    return Gazetteer(company_names())


def _list_groups(text: str, spans: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Runs of spans joined only by list separators: `A, B and C`, `A, B, and C`. `and` ends a list, and
    `, and` after a single name joins two clauses (`between A and B, and C secured orders`)."""
    groups: list[list[tuple[int, int]]] = []
    closed = True
    for span in spans:
        gap = text[groups[-1][-1][1] : span[0]] if groups else ""
        if not closed and LIST_SEPARATOR.match(gap):
            last_item = bool(LIST_END.search(gap))
            if not (last_item and "," in gap and len(groups[-1]) == 1):
                groups[-1].append(span)
                closed = last_item
                continue
        groups.append([span])
        closed = False
    return groups


def _extends_known(text: str, span: tuple[int, int], inside: list[tuple[int, int]]) -> bool:
    """The span only adds places or organisation words to known names (`Zhejiang Supcon`, `China CSSC`)."""
    covered = sorted(inside)
    if not covered or covered[0][0] < span[0] or covered[-1][1] > span[1]:
        return False
    pieces, cursor = [], span[0]
    for start, end in covered:
        pieces.append(text[cursor:start])
        cursor = end
    pieces.append(text[cursor : span[1]])
    added = " ".join(pieces).split()
    return all(word.lower() in PLACES or word in ORG_SUFFIXES for word in added)


def _resolve_overlaps(text: str, known: list[tuple[int, int]], found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Known names win over overlapping heuristic spans unless the span merely extends them."""
    chosen = set(known)
    for span in found:
        if span in known:
            continue
        inside = [k for k in known if k[0] < span[1] and span[0] < k[1]]
        if not inside:
            chosen.add(span)
        elif _extends_known(text, span, inside):
            chosen.difference_update(inside)
            chosen.add(span)
    return sorted(chosen)


def find_entities(text: str, gazetteer: Gazetteer | None = None, named_before: Iterable[str] = ()) -> list[EntitySpan]:
    """Distinct organisations named in `text`, in order of first mention; known names from `gazetteer`
    (the company reference by default), and the short forms of `named_before` (names the report gave
    earlier) count as names."""
    known = (gazetteer or reference_gazetteer()).spans(text)
    spans = _resolve_overlaps(text, known, _heuristic_spans(text, known, named_before))
    entities: dict[str, EntitySpan] = {}
    for start, end in spans:
        name = text[start:end]
        entities.setdefault(name, EntitySpan(name, start, end))
    return list(entities.values())
