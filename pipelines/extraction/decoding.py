"""Report bytes → text: UTF-8 (BOM stripped) else GB18030; files that are not text are rejected.

Every character offset the extraction stores points into the text returned here, so the text is
kept exactly as decoded: CRLF line endings and trailing whitespace stay.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass


class ReportRejected(ValueError):
    """A report that cannot be extracted; `reason` is a sentence a person understands."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class DecodedReport:
    text: str
    encoding: str  # utf-8 | utf-8-sig | gb18030 | utf-16


# Leading bytes of binary formats people drop into a folder of text files by mistake.
_BINARY_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office document",
    b"\x1f\x8b": "a gzip archive",
    b"{\\rtf": "an RTF document",
}
_CONTROL = re.compile(r"[\x01-\x08\x0e-\x1f\x7f]")
# A stray control character (an old DOS end-of-file mark) is tolerated; binary data has many.
_TOLERATED_CONTROLS = 2
_MAX_CONTROL_SHARE = 0.005
# UTF-16 text without a BOM shows up as a NUL byte next to every ASCII character, always on the same
# side of the pair; binary data has NULs on both sides.
_UTF16_NUL_SHARE = 0.2
_UTF16_NUL_SIDE_SHARE = 0.9


def decode_report(raw: bytes) -> DecodedReport:
    """Decode report bytes as the scorer does (utf-8-sig, else gb18030) or raise ReportRejected."""
    if not raw.strip():
        raise ReportRejected("the file is empty" if not raw else "the file holds only whitespace")
    for magic, kind in _BINARY_MAGIC.items():
        if raw.startswith(magic):
            raise ReportRejected(f"the file is {kind}, not a text report")
    decoded = _decode_utf16(raw) or _decode_text(raw)
    _reject_binary(decoded.text)
    if not decoded.text.strip():
        raise ReportRejected("the file holds only whitespace")
    return decoded


def _decode_utf16(raw: bytes) -> DecodedReport | None:
    """UTF-16 text (with a BOM, or ASCII-heavy text with the tell-tale NUL pattern), else None."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16"
    else:
        sample = raw[:4096]
        nuls = sample.count(0)
        if len(sample) < 2 or nuls < _UTF16_NUL_SHARE * len(sample):
            return None
        odd_nuls = sample[1::2].count(0)
        if max(odd_nuls, nuls - odd_nuls) < _UTF16_NUL_SIDE_SHARE * nuls:
            return None  # NULs on both sides of the pairs: binary data, rejected later
        codec = "utf-16-le" if odd_nuls > nuls - odd_nuls else "utf-16-be"
    try:
        return DecodedReport(raw.decode(codec), "utf-16")
    except UnicodeDecodeError as error:
        raise ReportRejected(f"the file looks like UTF-16 text but byte {error.start} is not valid UTF-16") from None


def _decode_text(raw: bytes) -> DecodedReport:
    """UTF-8 (a leading BOM dropped, exactly like the scorer) or else GB18030."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            return DecodedReport(raw.decode("gb18030"), "gb18030")
        except UnicodeDecodeError:
            raise ReportRejected(
                f"the file is neither UTF-8 nor GB18030 text (undecodable byte at offset {utf8_error.start})"
            ) from None
    return DecodedReport(text, "utf-8-sig" if raw.startswith(codecs.BOM_UTF8) else "utf-8")


def _reject_binary(text: str) -> None:
    """NUL bytes, or control characters in numbers, never occur in a text report: binary data."""
    if "\x00" in text:
        raise ReportRejected("the file contains NUL bytes, so it is binary data, not a text report")
    controls = len(_CONTROL.findall(text))
    if controls > _TOLERATED_CONTROLS + _MAX_CONTROL_SHARE * len(text):
        raise ReportRejected(
            f"the file contains {controls} control character(s), so it is binary data, not a text report"
        )
