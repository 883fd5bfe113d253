"""Patterns and scans written for speed find exactly what their plain forms find.

Each reference below is the straightforward form a fast one replaced; the fast form must agree with it on
any text (spans of every match, from any start, within any bounds), so the extraction output cannot move.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.extraction import entities, measures, metric_patterns, sections
from pipelines.extraction.reference import company_names

SETTINGS = settings(max_examples=200, deadline=None)


def texts(pieces: list[str]) -> st.SearchStrategy[str]:
    """Texts glued from pieces that exercise a pattern's edges, plus look-alike Unicode letters."""
    return st.lists(
        st.sampled_from([*pieces, " ", "  ", "\n", "\t", "a", "Z", "9", "ſ", "K", "İ", "ı", "é"]), max_size=30
    ).map("".join)


def spans(pattern: re.Pattern[str], text: str, *bounds: int) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text, *bounds)]


def agree(fast: re.Pattern[str], plain: re.Pattern[str], text: str) -> None:
    assert spans(fast, text) == spans(plain, text)
    for pos in range(len(text) + 1):
        assert [m.span() for m in (fast.match(text, pos),) if m] == [m.span() for m in (plain.match(text, pos),) if m]
        assert spans(fast, text, pos, len(text) - pos // 2) == spans(plain, text, pos, len(text) - pos // 2)


PLAIN_CITATION_RUN = re.compile(r"(?:\s*[\[［]\s*\d{1,6}(?:\s*[,，、]\s*\d{1,6})*\s*[\]］])+")
PLAIN_INLINE_MARKER = re.compile(rf"(?<=\s)[{sections._DASHES}](?=\s)|[{sections._GLYPHS}]")
PLAIN_SENTENCE_BREAK = re.compile(r"(?<!\d)\.(?!\d)|;|\n\s*\n")
PLAIN_QUALIFIER_BEFORE = re.compile(
    r"(?<![A-Za-z])(?:(?P<up_to>no\s+more\s+than|up\s+to|as\s+(?:much|many)\s+as|at\s+most|capped\s+at"
    r"|a\s+maximum\s+of)|(?P<over>no\s+less\s+than|more\s+than|greater\s+than|higher\s+than|over"
    r"|exceed(?:s|ed|ing)?|surpass(?:es|ed|ing)?|above|beyond|in\s+excess\s+of|upwards\s+of|at\s+least"
    r"|north\s+of|topp(?:ed|ing))|(?P<under>less\s+than|fewer\s+than|lower\s+than|under|below|short\s+of)"
    r"|(?P<approx>approximately|approx\.?|about|around|nearly|roughly|almost|close\s+to|some|circa|c\.|~"
    r"|an\s+estimated))\s*$",
    re.I,
)
PLAIN_CLAUSE_BREAK = re.compile(
    r"[,;:()!?]|\.(?=\s|$)|\s(?:while|whereas|but|although|though|from|after|versus"
    r"|vs\.?|compared\s+(?:with|to)|than|which|where)(?=\s)",
    re.I,
)


@SETTINGS
@given(texts(["[", "]", "［", "］", "1", "23", ",", "，", "、", "\u3000"]))
def test_citation_run(text: str) -> None:
    agree(sections.CITATION_RUN, PLAIN_CITATION_RUN, text)


@SETTINGS
@given(texts(["-", "–", "—", "*", "•", "●", "·", "\u00a0"]))
def test_inline_marker(text: str) -> None:
    agree(sections._INLINE_MARKER, PLAIN_INLINE_MARKER, text)


@SETTINGS
@given(
    texts(
        [
            ",",
            ";",
            ".",
            "(",
            ")",
            "!",
            "?",
            ":",
            "while",
            "WHILE",
            "than",
            "vs",
            "vs.",
            "compared",
            "with",
            "to",
            "where",
            "which",
            "but",
        ]
    )
)
def test_clause_break(text: str) -> None:
    agree(metric_patterns.CLAUSE_BREAK, PLAIN_CLAUSE_BREAK, text)


@SETTINGS
@given(texts(["[12]", " [1, 3]", "［4］", "x\u3000y", "a\u00a0b", "\r\n", "\x0b", "\u2028"]))
def test_clean_text_collapses_whitespace_as_the_regex_did(text: str) -> None:
    assert sections.clean_text(text) == re.sub(r"\s+", " ", sections.CITATION.sub(" ", text)).strip()


def plain_runs(text: str) -> list[entities._Run]:
    """_runs looking at every token, as it did before it skipped the ones that cannot be part of a name."""
    runs: list[list[tuple[str, int, int]]] = []
    current: list[tuple[str, int, int]] = []
    previous_end = 0
    for match in entities.TOKEN.finditer(text):
        word, gap = match.group(), text[previous_end : match.start()]
        previous_end = match.end()
        joins = bool(current) and gap == " "
        if word == "of" and joins and current[-1][0] in entities.OF_HEADS:
            current.append((word, match.start(), match.end()))
            continue
        if not entities._is_name_token(word) or text.startswith("$", match.end()):
            current = []
            continue
        if not joins:
            current = []
            runs.append(current)
        current.append((word, match.start(), match.end()))
    return [trimmed for words in runs if (trimmed := entities._trim(words))]


@settings(max_examples=600, deadline=None)
@given(
    texts(
        [
            "of",
            "Of",
            "ofx",
            "offer",
            "Bank",
            "Ministry",
            "Commerce",
            "US",
            "$",
            "&",
            ".",
            "-",
            "+",
            "'s",
            "iFlytek",
            "3SBio",
            "AI",
            "eVTOL",
            "GB200",
            "o1",
            "Ltd",
            "and",
            "the",
            "Tesla-style",
            "C++",
            "+AI",
            "e-",
            "Hock",
            "Tan",
            "China",
            "x",
            "A",
        ]
    )
)
def test_runs_skip_only_tokens_that_end_a_run(text: str) -> None:
    assert entities._runs(text) == plain_runs(text)


@SETTINGS
@given(texts([".", ";", "1", "\n", "\n\n", "\n \n", "2.5", "a.b"]))
def test_sentence_break(text: str) -> None:
    agree(measures._SENTENCE_BREAK, PLAIN_SENTENCE_BREAK, text)


def flat_alternation(phrases: list[str]) -> str:
    """The alternation phrases.alternation replaced: every phrase in turn, longest first."""
    return "(?:" + "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True)) + ")"


@SETTINGS
@given(
    texts(
        [
            "market",
            "market share",
            "share",
            "gross margin",
            "margin",
            "margins",
            "r&d",
            "p/e",
            "pe",
            "eps",
            "-",
            "&",
            "/",
            "price",
            "prices",
            "price target",
            "市场",
            "市",
        ]
    )
)
def test_measure_cues_as_a_prefix_tree(text: str) -> None:
    plain = re.compile(r"(?<![\w&/-])" + flat_alternation(list(measures._MEASURE_OF)) + r"(?![\w&/-])")
    agree(measures._CUE, plain, text)


@settings(max_examples=100, deadline=None)
@given(
    texts(
        [
            "Bank of China",
            "bank of",
            "BYD",
            "byd",
            "Tencent",
            "iFlytek",
            "IFLYTEK",
            "Fed",
            "Federal Reserve",
            "MOST",
            "most",
            "OPEC+",
            "DeepSeek",
            "-R1",
            ".com",
            "小米",
            "华为",
            "长和",
            "Li Auto",
            "Kweichow",
        ]
    )
)
def test_gazetteer_as_a_prefix_tree(text: str) -> None:
    names = [*company_names(), *entities.INSTITUTIONS]
    plain = re.compile(rf"(?<![A-Za-z0-9\-.]){flat_alternation(names)}(?![A-Za-z0-9]|-[A-Za-z0-9]|\.[A-Za-z])", re.I)
    assert spans(entities.reference_gazetteer().pattern, text) == spans(plain, text)


@SETTINGS
@given(
    texts(
        [
            "no",
            "more",
            "less",
            "than",
            "up",
            "to",
            "over",
            "exceeds",
            "approx",
            "approx.",
            "c.",
            "~",
            "some",
            "handsome",
            "at least",
            "an estimated",
            "over ",
            "  ",
            ".",
            "x",
        ]
    )
)
def test_qualifier_before(text: str) -> None:
    plain = PLAIN_QUALIFIER_BEFORE.search(text)
    assert metric_patterns.QUALIFIER_BEFORE.search(text) == ((plain.lastgroup, len(plain.group())) if plain else None)
