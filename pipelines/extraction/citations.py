"""Citation markers: the one syntax of the page references a bullet carries (`[11]`, `[3, 5]`, `［12］`, `[1、2]`).

Sections read a bullet's pages from them and cut them off its text; ratings read the pages of the rating
line; metrics blank them out so that cited page numbers are never read as figures.
"""

from __future__ import annotations

import re

_OPEN, _CLOSE = r"[\[［]", r"[\]］]"
_PAGES = r"\d{1,6}(?:\s*[,，、]\s*\d{1,6})*"  # one page or several, separated by any comma
CITATION = re.compile(rf"{_OPEN}\s*({_PAGES})\s*{_CLOSE}")
_CITATION_BODY = rf"\s*{_PAGES}\s*{_CLOSE}"
# `(?:\s*[\[［]<body>)+`, its first `\s*[\[［]` written as one character class and what follows it:
# a pattern that opens with a class lets the regex engine skip the other characters without trying a match.
CITATION_RUN = re.compile(rf"[\s\[［](?:(?<=[\[［])|(?<=\s)\s*{_OPEN}){_CITATION_BODY}(?:\s*{_OPEN}{_CITATION_BODY})*")
LAST_CITATION = re.compile(rf"{_OPEN}\s*{_PAGES}\s*{_CLOSE}\s*$")
CITATION_BEFORE = re.compile(rf"{_CLOSE}\s*$")  # a citation marker ends right before


def citation_pages(text: str) -> tuple[int, ...]:
    """Page numbers of the citation markers in `text`, in order (`[1][25]`, `［12］`, `[3, 5]`)."""
    return tuple(int(n) for m in CITATION.finditer(text) for n in re.findall(r"\d+", m.group(1)))


def blank_citations(text: str) -> str:
    """`text` with every citation marker replaced by as many spaces, so offsets stay valid."""
    if "[" not in text and "［" not in text:
        return text
    return CITATION.sub(lambda m: " " * len(m.group()), text)
