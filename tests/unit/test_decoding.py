"""Decoding: UTF-8 (BOM dropped like `utf-8-sig`) else GB18030, CRLF kept; non-text files rejected with a reason."""

from __future__ import annotations

import codecs

import pytest

from pipelines.extraction.decoding import ReportRejected, decode_report

REPORT = "Core Views - Demand rose 5% [1]\r\n计算机计算机行业周报:算力\r\n东吴证券·2024-12-24 03:36\r\n"


def test_utf8_is_decoded_and_crlf_kept() -> None:
    decoded = decode_report(REPORT.encode("utf-8"))
    assert decoded.text == REPORT
    assert decoded.encoding == "utf-8"


def test_bom_is_stripped_exactly_like_utf8_sig() -> None:
    raw = codecs.BOM_UTF8 + REPORT.encode("utf-8")
    decoded = decode_report(raw)
    assert decoded.text == raw.decode("utf-8-sig") == REPORT
    assert decoded.encoding == "utf-8-sig"


def test_gb18030_is_the_fallback() -> None:
    raw = REPORT.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    decoded = decode_report(raw)
    assert (decoded.text, decoded.encoding) == (REPORT, "gb18030")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom_or_nul_pattern_is_decoded(codec: str) -> None:
    decoded = decode_report(REPORT.encode(codec))
    assert (decoded.text, decoded.encoding) == (REPORT, "utf-16")


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"", "empty"),
        (b"  \r\n\t ", "whitespace"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"Core Views\x00\x00 - x\x00 [1]\n" * 3, "NUL"),
        (bytes(range(1, 32)) * 20, "control character"),
        (b"\x80\x81\xff\xfe\xfd abc", "neither UTF-8 nor GB18030"),
    ],
)
def test_non_text_is_rejected_with_a_readable_reason(raw: bytes, words: str) -> None:
    with pytest.raises(ReportRejected) as rejected:
        decode_report(raw)
    assert words in rejected.value.reason
    assert str(rejected.value) == rejected.value.reason


def test_one_stray_control_character_is_tolerated() -> None:
    text = REPORT + "\x1a"  # a DOS end-of-file mark
    assert decode_report(text.encode("utf-8")).text == text
