"""Sections, sub-sections and bullets of a report summary, each bullet with its span in the decoded text.

A summary is a stream `<heading> - <bullet> [p] - <bullet> [p] <heading> - <bullet> ...`, on one line or
wrapped over several. Headings are found by position rather than by name: what stands between a
bullet's citation markers and the next bullet marker is heading material, and so is a Title-Case run
that ends a bullet without citations (`... in the fourth quarter Overseas - ...`). Known section
names (`Key Points by Section`, `Risk Warnings`, ...) only decide whether heading material opens a new
section, a sub-section, or both (`Key Points by Section Policy Effect`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.extraction.citations import CITATION, CITATION_BEFORE, CITATION_RUN, LAST_CITATION, citation_pages

_BLANK_LINE_END = re.compile(r"\n[ \t\u3000\r]*\n[ \t\u3000\r]*$")
_LOOK_BACK = 80  # characters any backward look may scan, so long texts stay linear
_WHITESPACE = re.compile(r"\s+")

# Dashes are bullets only with space on both sides (`AI+Hardware`, `15-20%`, `year-on-year` are text);
# glyphs are bullets wherever they stand. At the start of a line an en or em dash is a bullet even
# without a space (`–First point`), a hyphen is not (`-5% lower`, wrapped); `·` only counts there.
_DASHES = "-–—*"
_GLYPHS = "•●▪◦‣∙■◆►▶➢"
_SPACE = r"[ \t\u3000\u00a0]"
_LINE_MARKER = re.compile(rf"^{_SPACE}*(?P<mark>[-*](?={_SPACE})|[–—{_GLYPHS}·]){_SPACE}*", re.M)
# A dash between spaces, or a glyph; opening with the class of both makes the engine skip other characters.
_INLINE_MARKER = re.compile(rf"[{_DASHES}{_GLYPHS}](?:(?<=\s[{_DASHES}])(?=\s)|(?<=[{_GLYPHS}]))")
_SPACES = re.compile(f"{_SPACE}*")
_LINE_END = re.compile(r"[ \t\u3000\r]*(?:\n|$)")

_KNOWN_SECTION = re.compile(
    r"(?:Core\s+Views?|Key\s+Points(?:\s+by\s+Sections?)?|Main\s+Points|Key\s+Takeaways|(?:Executive\s+)?Summary"
    r"|Abstract|(?:Investment\s+)?Highlights|Investment\s+(?:Summary|Thesis|Logic)|Conclusions?"
    r"|(?:Profit|Earnings)\s+Forecasts?(?:\s+and\s+Valuations?)?|Valuations?\s+and\s+(?:Profit|Earnings)\s+Forecasts?"
    r"|Forecasts?\s+and\s+Valuations?|Risk\s+(?:Warnings?|Factors|Alerts?|Tips|Disclosures?|Reminders?)"
    r"|(?:Key\s+|Investment\s+|Main\s+)?Risks"
    r"|(?:Investment\s+)?(?:Recommendations?|Suggestions?|Advice)|Recommended\s+(?:Stocks|Companies)"
    r"|Stock\s+Picks|Related\s+(?:Companies|Stocks|Targets)|Beneficiaries)(?![\w-])",
    re.I,
)
# Headings under which every figure is a forecast ("Earnings Forecast and Valuation", "盈利预测与估值").
_FORECAST_HEADING = re.compile(r"forecast|valuation|estimate|outlook|预测|估值|展望", re.I)
# Sections whose bullets are grouped under sub-headings even before a second heading shows it.
_SUBSECTIONED = re.compile(r"\bKey\s+Points\b|\bMain\s+Points\b|\bby\s+Sections?\b", re.I)

# Lower-case words a heading may contain (`R&D and Pipeline`, `Key Points by Section`).
_HEADING_CONNECTORS = frozenset(
    {
        "and",
        "of",
        "the",
        "in",
        "for",
        "on",
        "to",
        "with",
        "by",
        "vs",
        "vs.",
        "a",
        "an",
        "or",
        "from",
        "at",
        "as",
        "via",
        "per",
        "versus",
        "amid",
        "&",
        "+",
        "/",
        "-",
    }
)
# Words after which a capitalised word continues the sentence (`supplied by Huawei`) instead of heading it.
_FUNCTION_WORDS = _HEADING_CONNECTORS | frozenset(
    {
        "than",
        "such",
        "including",
        "like",
        "into",
        "over",
        "under",
        "between",
        "among",
        "about",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "that",
        "which",
        "its",
        "their",
        "our",
        "his",
        "her",
        "this",
        "these",
        "those",
        "both",
        "either",
        "neither",
        "named",
        "called",
        "dubbed",
    }
)
# Capitalised abbreviations that end sentences (`orders doubled YoY`), never headings.
_RATE_ABBREVIATIONS = frozenset({"yoy", "qoq", "mom", "ytd", "hoh", "wow"})
_MAX_HEADING_WORDS = 12
_MAX_HEADING_CHARS = 100
# A heading run into a bullet's last words is told from a proper name ending the sentence partly by length.
_MAX_RUN_IN_WORDS = 7
_MAX_HEADING_LINES = 3
_HEADING_EDGES = " \t\r\n:：-–—"


@dataclass(frozen=True)
class Bullet:
    section: str | None
    subsection: str | None
    text: str  # without marker and citation markers, whitespace collapsed
    pages: tuple[int, ...]
    start: int  # span of the bullet text in the decoded text (no marker, no trailing citations)
    end: int


def announces_forecasts(section: str | None, subsection: str | None) -> bool:
    """Whether a bullet's section or sub-section heading announces forecasts or valuations."""
    return any(heading and _FORECAST_HEADING.search(heading) for heading in (section, subsection))


def clean_text(text: str) -> str:
    """Text without citation markers, whitespace collapsed."""
    return " ".join(CITATION.sub(" ", text).split())  # str.split and `\s` agree on what whitespace is


def parse_sections(text: str, start: int, end: int) -> list[Bullet]:
    """Every bullet of the summary `text[start:end]` with its section and sub-section."""
    parser = _SummaryParser(text)
    markers = _bullet_markers(text, start, end)
    parser.heading_material(start, markers[0][0] if markers else end)
    for i, (_, body_start) in enumerate(markers):
        parser.segment(body_start, markers[i + 1][0] if i + 1 < len(markers) else end)
    return parser.bullets


def _bullet_markers(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(marker start, bullet text start) of every bullet marker in `text[start:end]`."""
    found: dict[int, tuple[int, str, bool]] = {}
    for m in _LINE_MARKER.finditer(text, start, end):
        found[m.start("mark")] = (m.end(), m["mark"], True)
    for m in _INLINE_MARKER.finditer(text, start, end):
        if m.start() not in found:
            after = _SPACES.match(text, m.end(), end).end()
            strong = bool(CITATION_BEFORE.search(text, max(start, m.start() - 8), m.start()))
            found[m.start()] = (after, m.group(), strong)
    ordered = sorted(found.items())
    if not ordered:
        return []
    # A document's bullet dashes are the ones seen where only a bullet can stand (line start, after
    # citations, first marker); other dashes (an em dash inside a sentence) are text.
    first = ordered[0][0]
    bullet_dashes = {mark for pos, (_, mark, strong) in ordered if strong or pos == first}
    markers = []
    for pos, (after, mark, strong) in ordered:
        if (
            mark in _DASHES
            and not (strong or pos == first)
            and (
                mark not in bullet_dashes
                or _is_range(text, pos, after, start, end)
                or (after < end and text[after].islower())
            )
        ):
            continue
        markers.append((pos, after))
    return markers


def _is_range(text: str, pos: int, after: int, start: int, end: int) -> bool:
    """`15 - 20%`: a spaced dash between two numbers is a range, not a bullet."""
    before = _strip(text, max(start, pos - _LOOK_BACK), pos)[1]
    return before > start and text[before - 1].isdigit() and after < end and text[after].isdigit()


class _SummaryParser:
    """Reads heading material and bullet segments in order, tracking the current section."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.section: str | None = None
        self.subsection: str | None = None
        self.has_subsections = False
        self.bullets: list[Bullet] = []

    def accepts_subsection(self) -> bool:
        """True when heading material under the current section names a sub-section."""
        return self.has_subsections or bool(self.section and _SUBSECTIONED.search(self.section))

    def segment(self, start: int, end: int) -> None:
        """One bullet marker's text: the bullet, its citations, then any heading before the next marker."""
        text = self.text
        start, end = _strip(text, start, end)
        last_citations = None
        for last_citations in CITATION_RUN.finditer(text, start, end):
            after = _strip(text, last_citations.end(), end)[0]
            if (
                last_citations.start() > start
                and after < end
                and text[after].isupper()
                and (_KNOWN_SECTION.match(text, after, end))
            ):  # `... [1] Risk Warnings: Coal prices ... [9]`
                self.emit(start, last_citations.end())
                self.heading_material(after, end)
                return
        if last_citations and last_citations.start() > start:
            tail_start, tail_end = _strip(text, last_citations.end(), end)
            if tail_start == tail_end:
                self.emit(start, end)
                return
            if _heading_like(text[tail_start:tail_end]) or _KNOWN_SECTION.match(text, tail_start, tail_end):
                self.emit(start, last_citations.end())
                self.heading_material(tail_start, tail_end)
                return
        heading_start = self.trailing_heading(start, end)
        self.emit(start, heading_start)
        if heading_start < end:
            self.heading_material(heading_start, end)

    def trailing_heading(self, start: int, end: int) -> int:
        """Start of a heading that ends a bullet without citations, else `end`."""
        return self.heading_lines(start, end) or self.run_in_heading(start, end) or end

    def heading_lines(self, start: int, end: int) -> int | None:
        """Start of heading lines (unindented, Title-Case) closing the bullet, as in a line-per-bullet layout."""
        text = self.text
        if not _ends_line(text, end):
            return None
        line_starts = [start + m.end() for m in re.finditer(r"\n(?=\S)", text[start:end])]
        candidates = []
        for line_start in reversed(line_starts[-_MAX_HEADING_LINES:]):
            if not all(_heading_like(x) for x in text[line_start:end].splitlines() if x.strip()):
                break
            candidates.insert(0, line_start)
        return next(
            (
                c
                for c in candidates
                if _blank_line_before(text, start, c) or self.accepts_subsection() or _KNOWN_SECTION.match(text, c, end)
            ),
            None,
        )

    def run_in_heading(self, start: int, end: int) -> int | None:
        """Start of a Title-Case heading run straight into the bullet's last words (`... quarter Overseas`)."""
        text = self.text
        tokens = list(re.finditer(r"\S+", text[start:end]))
        first = len(tokens)
        while first > max(1, len(tokens) - _MAX_HEADING_WORDS) and _heading_token(tokens[first - 1].group()):
            first -= 1
        starts = [k for k in range(first, len(tokens)) if _capitalised(tokens[k].group())]
        for k in starts:  # a known section name settles it wherever it starts
            known = _KNOWN_SECTION.match(text, start + tokens[k].start(), end)
            if known and (known.end() == end or _heading_like(text[known.end() : end].strip(_HEADING_EDGES))):
                return known.start()
        if not self.accepts_subsection():
            return None
        for k in starts:
            before = tokens[k - 1].group()
            ends_sentence = before[-1] in ".;!?。；"
            continues_sentence = before.lower().strip("\"'“”‘’(),") in _FUNCTION_WORDS or not (
                before[:1].islower() or before[:1].isdigit()
            )
            candidate = start + tokens[k].start()
            if (ends_sentence or not continues_sentence) and _heading_like(text[candidate:end], _MAX_RUN_IN_WORDS):
                return candidate
        return None

    def heading_material(self, start: int, end: int) -> None:
        """Text between bullets that names a section and/or sub-section (or, rarely, holds a dashless bullet)."""
        text = self.text
        start, end = _strip(text, start, end)
        if start == end:
            return
        lines = [x.strip() for x in text[start:end].splitlines() if x.strip(_HEADING_EDGES)]
        joined = _WHITESPACE.sub(" ", " ".join(lines)).strip(_HEADING_EDGES)
        known = _KNOWN_SECTION.match(joined)
        rest = joined[known.end() :].strip(_HEADING_EDGES) if known else ""
        if known and rest[:1].islower():  # `Summary of Results`: a heading that merely starts like a section
            known, rest = None, ""
        if known and rest and not _heading_like(rest):  # `Risk Warnings: Coal prices ... [9]` without a dash
            self.open_section(known.group(), None)
            body_start = start + _offset_after(text[start:end], known.group())
            while body_start < end and text[body_start] in _HEADING_EDGES:
                body_start += 1
            self.segment(body_start, end)
            return
        if not _heading_like(joined) and not known:  # prose without any bullet marker
            self.emit(start, end)
            return
        if known:
            self.open_section(known.group(), rest or None)
        elif len(lines) > 1 and _starts_line(text, start) and _ends_line(text, end):  # heading lines, not wrapping
            self.open_section(lines[0], _WHITESPACE.sub(" ", " ".join(lines[1:])))
        elif self.section is None or _blank_line_before(text, 0, start) or not self.accepts_subsection():
            self.open_section(joined, None)
        else:
            self.subsection, self.has_subsections = joined, True

    def open_section(self, name: str, subsection: str | None) -> None:
        """Start a section (and maybe its first sub-section)."""
        self.section = _WHITESPACE.sub(" ", name).strip(_HEADING_EDGES)
        self.subsection = _WHITESPACE.sub(" ", subsection).strip(_HEADING_EDGES) if subsection else None
        self.has_subsections = self.subsection is not None

    def emit(self, start: int, end: int) -> None:
        """Record the bullet `text[start:end]` (its trailing citation markers included) if it has text."""
        start, end = _strip(self.text, start, end)
        body_end = _body_end(self.text, start, end)
        body = clean_text(self.text[start:body_end])
        if body:
            self.bullets.append(
                Bullet(self.section, self.subsection, body, citation_pages(self.text[start:end]), start, body_end)
            )


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _starts_line(text: str, pos: int) -> bool:
    """True when only spaces stand between the previous line break (or the text start) and `pos`."""
    window = max(0, pos - _LOOK_BACK)
    line_start = text.rfind("\n", window, pos)
    return (line_start >= 0 or window == 0) and not text[line_start + 1 : pos].strip()


def _ends_line(text: str, pos: int) -> bool:
    """True when only spaces stand between `pos` and the next line break (or the text end)."""
    return bool(_LINE_END.match(text, pos))


def _blank_line_before(text: str, floor: int, pos: int) -> bool:
    """True when an empty line comes right before `pos` (a paragraph break, not a wrapped line)."""
    return bool(_BLANK_LINE_END.search(text[max(floor, pos - _LOOK_BACK) : pos]))


def _body_end(text: str, start: int, end: int) -> int:
    """End of a bullet's text before its trailing citation markers."""
    while (last := LAST_CITATION.search(text, max(start, end - _LOOK_BACK), end)) is not None:
        end = last.start()
    return _strip(text, start, end)[1]


def _offset_after(material: str, words: str) -> int:
    """Offset in `material` just after the (whitespace-flexible) words of `words`."""
    pattern = r"\s+".join(re.escape(w) for w in words.split())
    found = re.search(pattern, material)
    return found.end() if found else 0


def _heading_token(token: str) -> bool:
    """A word that may stand in a Title-Case heading."""
    if token.lower() in _HEADING_CONNECTORS:
        return True
    if CITATION.search(token) or token.lower().strip(".,;") in _RATE_ABBREVIATIONS:
        return False
    alnum = next((c for c in token if c.isalnum()), None)
    return alnum is None or alnum.isupper() or alnum.isdigit() or not alnum.isascii() or any(c.isupper() for c in token)


def _capitalised(token: str) -> bool:
    """A word that can open a heading: starts with a capital (`Overseas`, `"+AI"`), not a number."""
    alnum = next((c for c in token if c.isalnum()), None)
    return alnum is not None and (alnum.isupper() or (not alnum.isascii() and not alnum.isdigit()))


def _heading_like(text: str, max_words: int = _MAX_HEADING_WORDS) -> bool:
    """Short Title-Case words (`Key Points by Section Policy Effect`, `Edge Side "+AI"`), not a sentence."""
    if len(text) > _MAX_HEADING_CHARS and len(text.strip()) > _MAX_HEADING_CHARS:
        return False
    words = text.split()
    return (
        0 < len(words) <= max_words
        and all(_heading_token(w) for w in words)
        and _capitalised(words[0])
        and words[-1] not in _HEADING_CONNECTORS - {"&", "+"}
    )
