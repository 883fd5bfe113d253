"""Patterns and scans written for speed find exactly what their plain forms find.

Each reference below is the straightforward form a fast one replaced; the fast form must agree with it on
any text (spans of every match, from any start, within any bounds), so the extraction output cannot move.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.extraction import entities, metrics, sections

SETTINGS = settings(max_examples=200, deadline=None)


def texts(pieces: list[str]) -> st.SearchStrategy[str]:
    """Texts glued from pieces that exercise a pattern's edges, plus look-alike Unicode letters."""
    return st.lists(st.sampled_from([*pieces, " ", "  ", "\n", "\t", "a", "Z", "9", "ſ", "K", "İ", "ı", "é"]),
                    max_size=30).map("".join)


def spans(pattern: re.Pattern[str], text: str, *bounds: int) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text, *bounds)]


def agree(fast: re.Pattern[str], plain: re.Pattern[str], text: str) -> None:
    assert spans(fast, text) == spans(plain, text)
    for pos in range(len(text) + 1):
        assert [m.span() for m in (fast.match(text, pos),) if m] == [m.span() for m in (plain.match(text, pos),) if m]
        assert spans(fast, text, pos, len(text) - pos // 2) == spans(plain, text, pos, len(text) - pos // 2)


PLAIN_CITATION_RUN = re.compile(r"(?:\s*[\[［]\s*\d{1,6}(?:\s*[,，、]\s*\d{1,6})*\s*[\]］])+")
PLAIN_INLINE_MARKER = re.compile(rf"(?<=\s)[{sections._DASHES}](?=\s)|[{sections._GLYPHS}]")
PLAIN_CLAUSE_BREAK = re.compile(r"[,;:()!?]|\.(?=\s|$)|\s(?:while|whereas|but|although|though|from|after|versus"
                                r"|vs\.?|compared\s+(?:with|to)|than|which|where)(?=\s)", re.I)


@SETTINGS
@given(texts(["[", "]", "［", "］", "1", "23", ",", "，", "、", "\u3000"]))
def test_citation_run(text: str) -> None:
    agree(sections.CITATION_RUN, PLAIN_CITATION_RUN, text)


@SETTINGS
@given(texts(["-", "–", "—", "*", "•", "●", "·", "\u00a0"]))
def test_inline_marker(text: str) -> None:
    agree(sections._INLINE_MARKER, PLAIN_INLINE_MARKER, text)


@SETTINGS
@given(texts([",", ";", ".", "(", ")", "!", "?", ":", "while", "WHILE", "than", "vs", "vs.", "compared", "with",
              "to", "where", "which", "but"]))
def test_clause_break(text: str) -> None:
    agree(metrics._CLAUSE_BREAK, PLAIN_CLAUSE_BREAK, text)


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
        word, gap = match.group(), text[previous_end:match.start()]
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
@given(texts(["of", "Of", "ofx", "offer", "Bank", "Ministry", "Commerce", "US", "$", "&", ".", "-", "+", "'s",
              "iFlytek", "3SBio", "AI", "eVTOL", "GB200", "o1", "Ltd", "and", "the", "Tesla-style", "C++", "+AI",
              "e-", "Hock", "Tan", "China", "x", "A"]))
def test_runs_skip_only_tokens_that_end_a_run(text: str) -> None:
    assert entities._runs(text) == plain_runs(text)
