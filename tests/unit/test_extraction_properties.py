"""Properties of the extraction on generated input: never crashes, spans always give back the claim text,
and a summary rendered in any supported layout parses back to the sections and bullets it was made of."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.extraction.decoding import ReportRejected
from pipelines.extraction.layout import classify_report_type, split_layout
from pipelines.extraction.ratings import find_rating_header
from pipelines.extraction.recommendations import parse_recommendations
from pipelines.extraction.report import extract_reports
from pipelines.extraction.sections import clean_text, parse_sections

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SOURCE = "东吴证券·2024-12-24 03:36"

# Text built from the characters the layout rules react to, so arbitrary input hits the rules often.
layout_alphabet = st.sampled_from(
    [
        *list("ab AZ09-–—•*·:：[]［］()（）\r\n\t.,;%+\"'计算机证券"),
        "Core Views",
        "Key Points by Section",
        "Risk Warnings",
        " - ",
        "[1]",
        "Investment Recommendations",
        "Investment Rating: Buy ",
    ]
)
layout_text = st.lists(layout_alphabet, max_size=60).map("".join)
any_text = st.one_of(st.text(max_size=300), layout_text, layout_text.map(lambda s: f"{s}\n计算机{s}\n{SOURCE}"))


def layout_bullets(text: str):
    """The layout stage of extract_reports, without metrics and entities (owned elsewhere)."""
    layout = split_layout(text)
    header = find_rating_header(text, layout.summary_start, layout.summary_end)
    bullets = parse_sections(text, header.body_start if header else layout.summary_start, layout.summary_end)
    parse_recommendations(bullets)
    classify_report_type(
        layout.title, header.scope if header else None, text[layout.summary_start : layout.summary_end]
    )
    return bullets


@SETTINGS
@given(st.lists(any_text, max_size=4))
def test_extract_reports_never_raises_and_accounts_for_every_report(texts: list[str]) -> None:
    docs = [(f"r{i}", text) for i, text in enumerate(texts)]
    frames = extract_reports(docs)
    loaded, failed = set(frames["reports"]["report_id"]), set(frames["failures"]["report_id"])
    assert loaded | failed == {report_id for report_id, _ in docs} and not loaded & failed
    for name in ("claims", "ratings", "recommendations", "metrics", "entity_mentions"):
        assert set(frames[name]["report_id"]) <= loaded


@SETTINGS
@given(any_text)
def test_layout_only_ever_rejects_and_spans_give_back_the_claim_text(text: str) -> None:
    try:
        bullets = layout_bullets(text)
    except ReportRejected:
        return
    for bullet in bullets:
        assert 0 <= bullet.start < bullet.end <= len(text)
        assert clean_text(text[bullet.start : bullet.end]) == bullet.text != ""


@SETTINGS
@given(st.text(max_size=400))
def test_spans_on_any_summary(text: str) -> None:
    for bullet in parse_sections(text, 0, len(text)):
        assert clean_text(text[bullet.start : bullet.end]) == bullet.text


# --- round trip: render generated sections in a layout, parse them back ---------------------------------

lower_word = st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=9)
capital_word = st.builds(str.__add__, st.sampled_from("ABCDEFGHIJKLMNOPRSTUVWZ"), lower_word)
text_word = st.one_of(
    lower_word,
    st.sampled_from(
        ["15-20%", "year-on-year", "AI+Hardware", "2024-2026", "US$5.58", '"+AI"', "1,200", "(AI)", "RMB", "PE", "x"]
    ),
)
sentence = st.builds(
    lambda first, rest: " ".join([first, *rest]), capital_word, st.lists(text_word, min_size=2, max_size=12)
)
pages = st.lists(st.integers(1, 60), min_size=1, max_size=3)
bullets = st.lists(st.tuples(sentence, pages), min_size=1, max_size=3)
subsection = st.lists(capital_word, min_size=1, max_size=3).map(" ".join)
section = st.one_of(
    st.tuples(
        st.sampled_from(
            ["Core Views", "Main Points", "Summary", "Profit Forecast and Valuation", "Risk Warnings", "Risk Factors"]
        ),
        st.just(None),
        bullets,
    ).map(lambda t: [t]),
    st.lists(st.tuples(st.just("Key Points by Section"), subsection, bullets), min_size=1, max_size=3),
)


def render(sections: list[tuple[str, str | None, list]], style: str, full_width: bool) -> str:
    """A summary in one of the family's layouts."""

    def cites(numbers: list[int]) -> str:
        return "".join(f"［{n}］" if full_width else f"[{n}]" for n in numbers)

    parts: list[str] = []
    previous = None
    for name, sub, items in sections:
        heading = [x for x in (name if name != previous else None, sub) if x]
        previous = name
        if style == "lines":
            parts.extend(heading)
            parts.extend(f"- {text} {cites(numbers)}" for text, numbers in items)
        else:
            parts.append(" ".join(heading) + "".join(f" {style} {text} {cites(numbers)}" for text, numbers in items))
    return ("\n" if style == "lines" else " ").join(parts)


@SETTINGS
@given(
    st.lists(section, min_size=1, max_size=4).map(lambda groups: [s for group in groups for s in group]),
    st.sampled_from(["-", "•", "–", "—", "lines"]),
    st.booleans(),
    st.sampled_from(["\n", "\r\n"]),
)
def test_rendered_summary_parses_back(sections, style: str, full_width: bool, newline: str) -> None:
    summary = render(sections, style, full_width).replace("\n", newline)
    text = (
        f"Industry Investment Rating - Overweight (Maintained) [11] {summary}{newline}计算机行业周报{newline}{SOURCE}"
    )
    expected = []
    for name, sub, items in sections:
        expected.extend((name, sub, item_text, tuple(numbers)) for item_text, numbers in items)
    parsed = layout_bullets(text)
    assert [(b.section, b.subsection, b.text, b.pages) for b in parsed] == expected
    for bullet in parsed:
        assert text[bullet.start : bullet.end] == bullet.text
