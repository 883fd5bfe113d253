"""Organisations named in a claim (companies, not products), as written.

Two sources of evidence, as in SPEC.md `entities` (companies, their cloud/research units, research
firms, regulators and state bodies; never products, places, people, events or indicators):
1. a gazetteer: every name and alias of the reference companies (dbt seed `companies`) plus the
   regulators and state bodies below, longest match first, on word boundaries;
2. heuristics for organisations the reference lacks: a capitalised name ending in an
   organisation word ("Flashcore Technology", "Ministry of Commerce"), or a name in a context
   only organisations take: subject of a corporate verb ("Prismark estimates"), owner of a
   business noun or a product ("Innolight's revenue", "Hygon's DCU"), after an organisation noun
   ("trading arm IXM", "suppliers such as Leaderdrive"), or listed next to an organisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache

from pipelines.extraction.metric_vocabulary import currency_acronyms
from pipelines.extraction.phrases import alternation
from pipelines.extraction.reference import company_names


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

# Last words that make a capitalised name an organisation ("Soulmate Technology").
ORG_SUFFIXES = frozenset("""
    Technology Technologies Tech Group Holdings Holding Company Corporation Corp Inc Co Ltd Limited
    LLC PLC AG SA NV SE GmbH Bank Banking Securities Insurance Financial Capital Investment
    Investments Partners Ventures Fund Trust Motors Motor Automobile Automobiles Auto Automotive
    Energy Power Electric Electrical Electronics Electronic Chemical Chemicals Mining Minerals
    Metals Resources Materials Copper Gold Aluminium Aluminum Lithium Cobalt Steel Cement Pharma
    Pharmaceutical Pharmaceuticals Therapeutics Biologics Biotech Biotechnology Bio Biopharma
    Biosciences Healthcare Medical Semiconductor Semiconductors Microelectronics Micro Software
    Network Networks Systems Communications Communication Telecom Optical Optics Photonics Solar
    Brewery Beverage Beverages Foods Dairy Media Entertainment Interactive Games Studios Robotics
    Machinery Precision Manufacturing Logistics Shipping Airlines Industries Industry Cloud Labs
    Laboratories Research Consulting Instruments Devices Circuit Circuits Display Construction
    Wireless Equipment
    Engineering Properties Development Commission Administration Ministry Bureau Agency Authority
    Council Department Committee Exchange
""".split())
# Heads of "<head> of <place or field>" names: Bank of Ningbo, Ministry of Commerce.
OF_HEADS = frozenset("""
    Bank Ministry Department Bureau Administration Commission Corporation Company Office Academy
    Institute Exchange Council
""".split())
# Institutional suffixes name an organisation even when every word is generic ("National Health
# Commission"); company suffixes need one distinctive word ("Information Technology" is a field).
INSTITUTION_SUFFIXES = frozenset(
    "Commission Administration Ministry Bureau Agency Authority Council Department Committee Exchange".split()
)
GENERIC_WORDS = frozenset(w.lower() for w in """
    New Clean Green Renewable Digital Smart Global International National Domestic Overseas China
    Chinese Asia Asian Traditional Medicine Information Internet Artificial Intelligence Intelligent
    Heavy Industrial Leading Listed Major State State-owned Large Private Public High-tech Advanced
    Consumer Commercial Central Local Regional Key Core Main Total Several Other Emerging Modern
    Storage Data Computing Hardware Services Service Vehicle Vehicles Battery Batteries
    Equipment Food Retail Real Estate Healthcare
    Inference Distribution Transmission Thermal Hydro Hydropower Nuclear Wind Precious Minor Base
    Rare Earth Grid Meter Meters Chip Chips Edge Mobile Parts Components Robot Robots Humanoid
    Photovoltaic Wafer Wafers Module Modules Cell Cells Polysilicon Application Applications Gaming
    Game Film Content Innovative Drug Drugs Devices Liquor Baijiu Beer Condiments Banks Brokerage
    Fertilizer Fertilizers Refrigerant Refrigerants Excavator Excavators Infrastructure Utilities
    Utility Gas Coal Oil Silver Transportation Aviation Airport Airports Port Ports Property Tourism
    Travel Hotel Hotels Education Agriculture Defense Defence Military Aerospace Satellite Satellites
    Platform Platforms Center Centers Centre Centres Server Servers Export Exports Optical Sector
    Sectors Segment Business Market Capital Expenditure Demand Supply Pharmaceutical Medical Dairy
""".split()) | {s.lower() for s in ORG_SUFFIXES}

# Capitalised words that never name an organisation on their own (sentence openers, calendar).
NON_NAME_WORDS = frozenset(w.lower() for w in """
    The A An This That These Those It Its Their Our We They He She His Her You In On At For As
    With By From To Of And Or But If While After Before Since Despite Although Amid Under Over
    Among Between During Through Into Per Via Than Then Also Yet So Not No Only Even Still Both
    Each Every All Some Many Most More Much Several Other Another Such Same Any Leading Major
    Listed Domestic Overseas Global Total Net Gross New Large Top First Second Third Fourth
    Fifth Last Next Higher Lower Rising Falling Strong Weak Average Annual Overall Further Key
    Core Main Management Consensus Demand Supply Policy Policies Government Market Markets
    Industry Company Companies Board Capex Revenue Sales Growth Production Output Capacity
    Inventory Profit Profits Pricing Competition Data Results Shipments Exports Imports Risk
    Risks Investment Investments Valuation Earnings Margins Prices Price Costs Cost Funding
    Year Years Month Months Quarter Quarters Week Day Days Today Mr Ms Mrs Dr God Sir
    January February March April May June July August September October November December
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Spring Summer Autumn Winter
    Festival Gala Christmas Lunar Golden Double Singles
    Core Views Points Section Summary Recommendations Warning Warnings Factors
    Trump Biden Powell Musk Xi Putin Lagarde Yellen Bessent
    Chinese American European Japanese Korean Congolese Indian British German French Western
    Eastern Northern Southern Asian African Latin Middle Southeast
""".split())
# Countries, regions, provinces and cities: "China's", "Guangdong's average" are not owners.
PLACES = frozenset(w.strip().lower() for w in """
    China|US|U.S.|USA|United States|America|UK|Britain|Europe|EU|Japan|Korea|South Korea|Taiwan|
    Hong Kong|Macau|Singapore|India|Indonesia|Vietnam|Thailand|Malaysia|Philippines|Brazil|Mexico|
    Canada|Australia|Germany|France|Italy|Spain|Russia|Ukraine|Saudi Arabia|UAE|Chile|Peru|
    Argentina|Congo|DRC|Democratic Republic of Congo|Democratic Republic of the Congo|Zambia|
    Uzbekistan|Kazakhstan|Turkey|Israel|Iran|Africa|Asia|Southeast Asia|Middle East|Latin America|
    North America|South America|Beijing|Shanghai|Shenzhen|Guangzhou|Hangzhou|Nanjing|Suzhou|
    Chengdu|Chongqing|Wuhan|Tianjin|Xiamen|Qingdao|Yantai|Ningbo|Hefei|Xi'an|Guangdong|Jiangsu|
    Zhejiang|Shandong|Fujian|Hubei|Hunan|Henan|Hebei|Sichuan|Yunnan|Guizhou|Guangxi|Anhui|Jiangxi|
    Shanxi|Shaanxi|Inner Mongolia|Xinjiang|Tibet|Qinghai|Gansu|Ningxia|Hainan|Liaoning|Jilin|
    Heilongjiang|Yangtze|Yangtze River|Pearl River Delta|Greater Bay Area|Qinhuangdao|Brussels|
    Washington|London|Tokyo|Seoul|New York|Silicon Valley|North|South|East|West
""".split("|"))
_PLACES_AND_NON_NAME_WORDS = PLACES | NON_NAME_WORDS
# Acronyms of indicators, products and technologies that look like organisation acronyms.
NON_ORG_ACRONYMS = frozenset("""
    AI AIGC AGI LLM LLMs GPU GPUs CPU ASIC ASICs HBM DRAM NAND PCB PCBs CCL HDI HVLP UHV DC AC
    PE PB PS EPS ROE ROA NIM NPL LPR RRR MLF AUM ARPU DAU MAU GMV SKU IPO R&D ETF ETFs
    GDP CPI PPI PMI NEV NEVs EV EVs BEV PHEV EREV HEV ICE SUV MPV ADAS NOA OTA PV ESS
    BESS TOPCon PERC HJT IT ICT IoT SaaS PaaS IaaS API APP MDI TDI PVC PTA HFC HFCs LNG LPG
    EBITDA CAGR YoY QoQ MoM FY TTM ADC ADCs GLP TCE CDMO CRO CXO BD NRDL VBP KOL IP IPs AAA MMO
    CEO CFO CTO COO SOE SOEs SME SMEs CSI HSI STAR ESG REIT REITs LGFV BAT FAANG DCU TPU NPU SoC
    MCU IGBT SiC GaN OLED LCD LED VR AR XR MR HPC IDC AIDC CAPEX OPEX ASP ASPs NAV TAM OEM OEMs
    ODM EMS PD VEGF MMA GW MW GWh MWh TWh KWh kWh RMBbn PP BPS NII NPLs
""".split()) | currency_acronyms()
# Verbs whose subject is an organisation ("TFC Optical reported", "Prismark estimates").
CORPORATE_VERBS = frozenset("""
    reported reports posted posts announced announces launched launches released releases
    unveiled unveils plans planned intends intended aims aimed expects expected estimates
    estimated forecasts forecast predicts predicted projects guided guides delivered delivers
    shipped ships signed signs agreed agrees acquired acquires licensed licenses licences granted
    grants invested invests filed files partnered teamed introduced introduces won secured
    completed approved approves issued issues lifted raised cut cuts raises booked recorded
    announcing launching integrated deployed deploys opened opens listed entered
""".split())
AUXILIARIES = r"(?:has|have|had|will|would|also|both|together|jointly|each|all|recently|already|further|now)"
# Nouns owned by an organisation: "Innolight's revenue", "Broadcom's CEO".
BUSINESS_NOUNS = frozenset("""
    revenue revenues sales profit profits earnings results margin margins capex expenditure
    investment investments shares share stock valuation dividend dividends payout ceo chairman
    founder president management board subsidiary unit arm parent shareholders customers orders
    backlog shipments deliveries output production capacity plant plants factory factories
    guidance ipo listing pipeline eps roe cash debt expenses workforce employees stake
    acquisition merger business segment division operations headquarters market order
    draft rules guidelines measures data statistics approval announcement policy budget balance
    income loss losses growth deal deals agreement partnership strategy target targets
    product products throughput volume volumes utilisation utilization stores users
    subscribers fleet reserves mine mines project projects contract contracts tender
""".split())
# Nouns that put the organisation right after them ("trading arm IXM", "suppliers such as X").
ORG_NOUNS = (
    "companies|company|makers|maker|producers|producer|suppliers|supplier|players|player|firms|firm|"
    "vendors|vendor|banks|bank|brokers|broker|insurers|insurer|lenders|lender|"
    "operators|operator|manufacturers|manufacturer|automakers|automaker|carmakers|carmaker|"
    "chipmakers|chipmaker|miners|miner|developers|developer|studios|studio|peers|peer|rivals|rival|"
    "competitors|competitor|customers|customer|clients|client|partners|partner|giants|giant|"
    "leaders|leader|startups|startup|start-ups|start-up|unicorns|unicorn|subsidiary|subsidiaries|"
    "arm|unit|affiliate|consultancy|agency|institutions|brokerage|OEMs|OEM|enterprises"
)
CUE_BEFORE = re.compile(
    rf"(?:\b(?:{ORG_NOUNS})(?:\s+(?:such\s+as|including|like|led\s+by))?"
    r"|\b(?:merger|acquisition|capex|expenditure|shares|stock|shareholders?|stake|subsidiary|parent"
    r"|coverage)\s+(?:of|in)"
    r"|\w-based"
    r"|\b(?:collaboration|partnership|cooperation|agreements?|deals?|contracts?|alliance|partnered"
    r"|teamed\s+up|joint\s+venture)\s+with)\s+(?:the\s+)?$"
)
CUE_AFTER = re.compile(r"^,?\s+(?:in\s+collaboration|in\s+partnership|together|jointly|along)\s+with\b")
PERSON_TITLE = re.compile(
    r"\b(?:CEO|CFO|CTO|chairman|chairwoman|chair|founder|president|chief\s+executive|executive|analyst"
    r"|Mr|Ms|Mrs|Dr)\.?\s+$",
    re.I,
)
POSSESSIVE = re.compile(r"^['’]s\b")
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
MODEL_CODE = re.compile(r"^(?:[A-Za-z]{1,4}\d[\w.]*|\d+(?:\.\d+)?[A-Za-z]{0,2}|[A-Z]\d*)$")


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


def _is_filler(word: str) -> bool:
    return word.lower() in NON_NAME_WORDS or word in NON_ORG_ACRONYMS or word == "of"


def _is_trailing_place(words: list[tuple[str, int, int]]) -> bool:
    """`Hengrui Pharma US` (from `US$500`) but not `Bank of China`."""
    return len(words) > 1 and words[-1][0].lower() in PLACES and words[-2][0] != "of"


def _trim(words: list[tuple[str, int, int]]) -> _Run | None:
    """Drop sentence openers and indicator acronyms from both ends (`In 2024`, `AI ByteDance`)."""
    first = next((i for i, (word, _, _) in enumerate(words) if not _is_filler(word)), len(words))
    kept = words[first:]
    while kept and (kept[-1][0] in NON_ORG_ACRONYMS or kept[-1][0] == "of" or _is_trailing_place(kept)):
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
    """Places, calendar words, openers, generic words, indicator acronyms, plural nouns, numerals."""
    name = " ".join(run.tokens)
    if name.lower() in PLACES or all(t.lower() in _PLACES_AND_NON_NAME_WORDS for t in run.tokens):
        return True
    if len(run.tokens) == 1:
        token = run.last
        if token in NON_ORG_ACRONYMS or token.lower() in GENERIC_WORDS or ROMAN_NUMERAL.fullmatch(token):
            return True
        if re.fullmatch(r"[A-Z]{2,}s", token) or (_is_plain_word(token) and re.search(r"[^s]s$", token)):
            return True  # "ETFs", "Operators expect", "Analysts estimate"
    return False


def _looks_like_person(run: _Run) -> bool:
    """Two or three plain title-case words without an organisation word: `Hock Tan`."""
    return (
        2 <= len(run.tokens) <= 3
        and all(_is_plain_word(t) for t in run.tokens)
        and not _has_org_suffix(run)
        and run.tokens[0].lower() not in PLACES
    )


def _owns_business_noun(after: str) -> bool:
    """`'s` followed within a few words by something only an organisation has: revenue, CEO, orders."""
    return bool(POSSESSIVE.match(after)) and any(
        word.strip(",.;:").lower() in BUSINESS_NOUNS for word in after[2:].split()[:5]
    )


def _has_strong_cue(text: str, run: _Run) -> bool:
    """Contexts that hold for organisations only, whatever the name looks like."""
    before, after = text[: run.start], text[run.end :]
    return bool(CUE_BEFORE.search(before) or CUE_AFTER.match(after)) or _owns_business_noun(after)


def _has_weak_cue(text: str, run: _Run) -> bool:
    """Contexts shared with people: subject of a corporate verb, owner of a named product."""
    after = text[run.end :]
    verb = re.match(rf"^,?(?:\s+{AUXILIARIES})*\s+([a-z]+)\b", after)
    if verb and verb.group(1) in CORPORATE_VERBS:
        return True
    if not POSSESSIVE.match(after) or not after[2:].split():
        return False
    owned = after[2:].split()[0]
    # "Hygon's DCU", "NVIDIA's GB200", "OpenAI's o1": an organisation's product
    return _is_name_token(owned) or (bool(MODEL_CODE.match(owned)) and not owned.isdigit())


def _is_owned(text: str, run: _Run) -> bool:
    """What follows an owner (`ByteDance's Doubao`) is its product or unit, not another organisation."""
    return bool(re.search(r"['’]s\s+$", text[: run.start]))


def _heuristic_spans(text: str, known: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Unknown organisations from their shape or their context, plus list-mates of organisations."""
    runs = [run for run in _runs(text) if not _is_rejected(run) and not _is_owned(text, run)]
    accepted: set[tuple[int, int]] = set(known)
    for run in runs:
        person_like = _looks_like_person(run) or bool(PERSON_TITLE.search(text[: run.start]))
        weak_cue = not person_like and _has_weak_cue(text, run)
        if _has_org_suffix(run) or _has_strong_cue(text, run) or weak_cue:
            accepted.add((run.start, run.end))
    candidates = sorted({(run.start, run.end) for run in runs} | accepted)
    for group in _list_groups(text, candidates):
        if len(group) > 1 and any(span in accepted for span in group):
            accepted.update(group)
    return sorted(accepted)


def _case_key(char: str) -> str:
    """One trie key per case-insensitive letter, so at most one branch of a trie node can match."""
    lowered = char.lower()
    return lowered if len(lowered) == 1 else char


@cache
def _gazetteer() -> re.Pattern[str]:
    # A flat alternation of ~1,700 names tries every name at every position; a prefix tree shares
    # prefixes. Backtracking into the shorter names still keeps the boundary check below per name.
    names = alternation({*company_names(), *INSTITUTIONS}, key=_case_key)
    # Not inside a longer word, a hyphenated compound (DeepSeek-R1, Tesla-style) or a dotted name.
    return re.compile(rf"(?<![A-Za-z0-9\-.]){names}(?![A-Za-z0-9]|-[A-Za-z0-9]|\.[A-Za-z])", re.I)


@cache
def _canonical_spellings() -> frozenset[str]:
    return frozenset({*company_names(), *INSTITUTIONS})


def _gazetteer_spans(text: str) -> list[tuple[int, int]]:
    """Known names; case-insensitive, but a lower-case match must be a canonical spelling (iFlytek)."""
    return [
        (m.start(), m.end())
        for m in _gazetteer().finditer(text)
        if not m.group()[0].islower() or m.group() in _canonical_spellings()
    ]


def _list_groups(text: str, spans: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Runs of spans joined only by list separators: `A, B and C`."""
    groups: list[list[tuple[int, int]]] = []
    for span in spans:
        if groups and LIST_SEPARATOR.match(text[groups[-1][-1][1] : span[0]]):
            groups[-1].append(span)
        else:
            groups.append([span])
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


def _resolve_overlaps(
    text: str, known: list[tuple[int, int]], found: list[tuple[int, int]]
) -> list[tuple[int, int]]:
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


def find_entities(text: str) -> list[EntitySpan]:
    """Distinct organisations named in `text`, in order of first mention."""
    known = _gazetteer_spans(text)
    spans = _resolve_overlaps(text, known, _heuristic_spans(text, known))
    entities: dict[str, EntitySpan] = {}
    for start, end in spans:
        name = text[start:end]
        entities.setdefault(name, EntitySpan(name, start, end))
    return list(entities.values())
