"""Fuzzing layout splitting: a source line written in any of the family's forms reads back to its broker
and time, impossible times are rejected (never a crash), and the three parts come out as ordered spans
of the text whatever stands above the source line. (Bullet spans are fuzzed in test_extraction_properties.)"""

from __future__ import annotations

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.extraction.decoding import ReportRejected
from pipelines.extraction.layout import split_layout

SETTINGS = settings(max_examples=300, deadline=None)

# Broker names have two characters or more; they may hold spaces and Latin letters (`China Securities`).
broker = st.builds(
    lambda first, rest: (first + rest).strip(),
    st.text("东吴华泰中信国海招商广发天风兴业申万宏源", min_size=2, max_size=2),
    st.text("东吴华泰中信国君安证券海通招商广发 ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz&()", max_size=18),
)
separator = st.sampled_from(["·", "・", "•", " | ", "|", "｜", " ", "  ", " · ", "，"])
moment = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2030, 12, 31, 23, 59)).map(
    lambda d: d.replace(second=0, microsecond=0)
)


def written(moment: datetime, style: str, padded: bool) -> str:
    """The publication time as brokers write it."""
    month, day, hour = (
        (f"{moment.month:02d}", f"{moment.day:02d}", f"{moment.hour:02d}")
        if padded
        else (str(moment.month), str(moment.day), str(moment.hour))
    )
    if style == "年":
        return f"{moment.year}年{month}月{day}日 {hour}:{moment.minute:02d}"
    return f"{moment.year}{style}{month}{style}{day} {hour}:{moment.minute:02d}"


# What may stand above the source line: summary and title material, blank lines, CRLF, odd characters.
above = st.lists(
    st.one_of(
        st.text(max_size=80),
        st.sampled_from(
            [
                "Industry Investment Rating - Overweight (Maintained) [11] Core Views - Demand grows [1]",
                "计算机计算机行业跟踪周报:算力产业的三个趋势",
                "",
                "  ",
                "Key Points by Section Edge - more [2]",
                "通信中际旭创(300308):业绩符合预期",
            ]
        ),
    ),
    max_size=5,
)


@SETTINGS
@given(
    broker,
    separator,
    moment,
    st.sampled_from(["-", "/", ".", "年"]),
    st.booleans(),
    above,
    st.sampled_from(["\n", "\r\n"]),
    st.sampled_from(["", " ", "\t", "\n", "\r\n", "\n\n  "]),
)
def test_a_source_line_in_any_form_reads_back(
    broker: str,
    separator: str,
    moment: datetime,
    style: str,
    padded: bool,
    lines: list[str],
    newline: str,
    trailer: str,
) -> None:
    source_line = f"{broker}{separator}{written(moment, style, padded)}"
    text = newline.join([*lines, source_line]) + trailer
    layout = split_layout(text)
    assert (layout.source.broker, layout.source.published_at) == (broker, moment)
    assert text[layout.source.start : layout.source.end] == source_line


@SETTINGS
@given(st.integers(2000, 2030), st.integers(0, 99), st.integers(0, 99), st.integers(0, 99), st.integers(0, 99), above)
def test_impossible_times_are_rejected_never_crash(
    year: int, month: int, day: int, hour: int, minute: int, lines: list[str]
) -> None:
    line = f"东吴证券·{year}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}"
    text = "\n".join([*lines, line])
    try:
        valid = datetime(year, month, day, hour, minute)
    except ValueError:
        valid = None
    try:
        layout = split_layout(text)
    except ReportRejected as rejected:
        assert valid is None and "impossible publication time" in rejected.reason
        return
    assert layout.source.published_at == valid


@SETTINGS
@given(above, st.text(max_size=40), moment)
def test_the_three_parts_are_ordered_spans_of_the_text(lines: list[str], noise: str, moment: datetime) -> None:
    text = "\n".join([*lines, noise, f"东吴证券·{moment:%Y-%m-%d %H:%M}"])
    try:
        layout = split_layout(text)
    except ReportRejected:
        return  # the noise line read as a source line with an impossible time: rejected is right
    source, title = layout.source, layout.title
    assert 0 <= layout.summary_start <= layout.summary_end <= source.start < source.end <= len(text)
    if title is not None:
        assert 0 <= title.start < title.end <= source.start
        assert title.end <= layout.summary_start or layout.summary_end <= title.start  # never inside the summary
        assert text[title.start : title.end] == text[title.start : title.end].strip()
        assert title.title and title.title in text[title.start : title.end]
        assert title.industry is None or text[title.start : title.end].startswith(title.industry)
