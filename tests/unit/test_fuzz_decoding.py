"""Fuzzing the decoder: any bytes give text or one readable reason, and text in every supported encoding
decodes back to itself, the way the scorer reads files (UTF-8 with or without BOM, else GB18030)."""

from __future__ import annotations

import codecs

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pipelines.extraction.decoding import DecodedReport, ReportRejected, decode_report

SETTINGS = settings(max_examples=300, deadline=None)
ENCODINGS = {"utf-8", "utf-8-sig", "gb18030", "utf-16"}

# Report-like text: any printable character of any script, line breaks and tabs; no control characters
# (a text report has none) and no leading BOM character (the scorer's utf-8-sig drops it).
report_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\r\t"), min_size=1, max_size=300
).filter(lambda text: text.strip() and not text.startswith("\ufeff"))
ascii_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=8, max_size=300).filter(str.strip)


def scorer_decode(raw: bytes) -> str:
    """How the scorer reads a report file."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def decode(raw: bytes) -> DecodedReport | ReportRejected:
    try:
        return decode_report(raw)
    except ReportRejected as rejected:
        return rejected


def is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


any_bytes = st.one_of(
    st.binary(max_size=2000),
    st.tuples(report_text, st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le", "utf-16-be"])).map(
        lambda pair: pair[0].encode(pair[1])
    ),
    st.tuples(report_text, st.binary(max_size=8), st.integers(0, 300)).map(  # text with a splinter of binary
        lambda t: t[0].encode("utf-8")[: t[2]] + t[1] + t[0].encode("utf-8")[t[2] :]
    ),
)


@SETTINGS
@given(any_bytes)
def test_any_bytes_give_text_or_one_readable_reason(raw: bytes) -> None:
    outcome = decode(raw)
    if isinstance(outcome, ReportRejected):
        assert outcome.reason and "\n" not in outcome.reason and len(outcome.reason) < 200
    else:
        assert outcome.encoding in ENCODINGS and outcome.text.strip() and "\x00" not in outcome.text


@SETTINGS
@given(any_bytes)
def test_whatever_is_not_utf16_is_decoded_exactly_as_the_scorer_decodes_it(raw: bytes) -> None:
    outcome = decode(raw)
    if isinstance(outcome, DecodedReport) and outcome.encoding != "utf-16":
        assert outcome.text == scorer_decode(raw)


@SETTINGS
@given(report_text, st.booleans())
def test_utf8_text_decodes_back_with_or_without_bom(text: str, bom: bool) -> None:
    raw = (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")
    assert decode_report(raw) == DecodedReport(text, "utf-8-sig" if bom else "utf-8")


@SETTINGS
@given(report_text)
def test_gb18030_text_decodes_back_unless_its_bytes_read_as_utf8(text: str) -> None:
    raw = text.encode("gb18030")
    assume(not is_utf8(raw))  # then UTF-8 wins, as it does for the scorer
    assert decode_report(raw) == DecodedReport(text, "gb18030")


@SETTINGS
@given(report_text, st.sampled_from([codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE]))
def test_utf16_with_a_bom_decodes_back(text: str, bom: bytes) -> None:
    body = text.encode("utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be")
    assert decode_report(bom + body) == DecodedReport(text, "utf-16")


@SETTINGS
@given(ascii_text, st.sampled_from(["utf-16-le", "utf-16-be"]))
def test_utf16_without_a_bom_is_recognised_by_its_nul_pattern(text: str, codec: str) -> None:
    assert decode_report(text.encode(codec)) == DecodedReport(text, "utf-16")


@SETTINGS
@given(
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=20, max_size=300).filter(str.strip),
    st.integers(0, 300),
)
def test_a_nul_byte_in_text_is_rejected_as_binary(text: str, at: int) -> None:
    raw = text.encode("utf-8")
    raw = raw[:at] + b"\x00" + raw[at:]
    outcome = decode(raw)
    assert isinstance(outcome, ReportRejected) and "NUL" in outcome.reason


@SETTINGS
@given(st.text(" \t\r\n\u3000\u00a0\u2003", max_size=50), st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_empty_or_blank_files_are_rejected_as_such(blank: str, codec: str) -> None:
    outcome = decode(blank.encode(codec))
    assert isinstance(outcome, ReportRejected)
    assert outcome.reason in ("the file is empty", "the file holds only whitespace")
