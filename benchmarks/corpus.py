"""Synthetic report corpus for the benchmarks, generated from data/samples.

Copy k of a sample gets its source-line date moved k×37 minutes back and a decimal added to its first
whole-number percentage, so every copy has its own content hash while the layout (and its encoding, BOM,
CRLF) stays that of the sample. Report number i is copy `copy_offset + i // len(templates)` of template
`i % len(templates)`: two series with copy offsets far enough apart never share a report.

`cached_series` keeps generated series under a folder named after the generator's fingerprint (the
samples and this file), one folder of 1000 reports per part, each written complete or not at all, so a
later run only writes the parts it has not written before.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from pipelines.extraction.decoding import decode_report  # noqa: E402

SAMPLES = REPO_ROOT / "data" / "samples"
REPORTS_PER_PART = 1000
_SOURCE_DATE = re.compile(r"(\d{4})([-/])(\d{2})\2(\d{2}) (\d{2}):(\d{2})")
# A whole-number percentage; appending a decimal keeps it above a range's low end (15-18% -> 15-18.3%).
_WHOLE_PERCENT = re.compile(r"(?<![\d.])\d+(?=%)")
_MINUTES_PER_COPY = 37  # spreads the copies of one sample over weeks: dim_date grows like a real corpus


@dataclass(frozen=True)
class Template:
    name: str
    text: str
    encoding: str  # as decode_report found it, so a copy is written back the same way


def load_templates() -> list[Template]:
    """Every sample report that has a dated source line, decoded."""
    templates = []
    for path in sorted(SAMPLES.glob("*.txt")):
        decoded = decode_report(path.read_bytes())
        if _SOURCE_DATE.search(decoded.text):
            templates.append(Template(path.stem, decoded.text, decoded.encoding))
    return templates


def variant(template: Template, copy: int) -> bytes:
    """Copy number `copy` of a sample: its source date moved back, its first whole percentage varied."""
    text = template.text
    date = list(_SOURCE_DATE.finditer(text))[-1]  # the source line comes last
    year, separator, month, day, hour, minute = date.groups()
    moved = datetime(int(year), int(month), int(day), int(hour), int(minute)) - timedelta(
        minutes=_MINUTES_PER_COPY * copy
    )
    text = text[: date.start()] + moved.strftime(f"%Y{separator}%m{separator}%d %H:%M") + text[date.end() :]
    percent = _WHOLE_PERCENT.search(text, 0, date.start())
    if percent and copy:
        text = text[: percent.end()] + f".{copy % 9 + 1}" + text[percent.end() :]
    return text.encode(template.encoding)


def _part_folder(root: Path, part: int) -> Path:
    return root / f"part-{part:04d}"


def _write_reports(root: Path, first: int, count: int, templates: list[Template], copy_offset: int) -> int:
    """Write reports number first .. first+count-1 into their part folders under `root`; returns the bytes."""
    total = 0
    for number in range(first, first + count):
        template = templates[number % len(templates)]
        folder = _part_folder(root, number // REPORTS_PER_PART)
        folder.mkdir(parents=True, exist_ok=True)
        data = variant(template, copy_offset + number // len(templates))
        (folder / f"{number:07d}_{template.name}.txt").write_bytes(data)
        total += len(data)
    return total


def write_inbox(inbox: Path, reports: int, templates: list[Template]) -> int:
    """Write `reports` distinct synthetic reports into `inbox` (1000 per folder); returns the bytes written."""
    return _write_reports(inbox, 0, reports, templates, copy_offset=0)


def fingerprint(templates: list[Template]) -> str:
    """Changes whenever the samples or the generator change, so a stale cached corpus is never reused."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for template in templates:
        digest.update(f"{template.name}\0{template.encoding}\0{template.text}\0".encode())
    return digest.hexdigest()[:12]


def cached_series(root: Path, reports: int, templates: list[Template], copy_offset: int) -> list[Path]:
    """The first `reports` files of the series with this copy offset under `root`, writing missing parts.

    A part is written into a temporary folder and renamed, so a part folder that exists is complete.
    """
    files: list[Path] = []
    for part in range((reports + REPORTS_PER_PART - 1) // REPORTS_PER_PART):
        folder = _part_folder(root, part)
        if not folder.is_dir():
            scratch = root / f".writing-{part:04d}"
            shutil.rmtree(scratch, ignore_errors=True)  # left by a killed run
            _write_reports(scratch, part * REPORTS_PER_PART, REPORTS_PER_PART, templates, copy_offset)
            _part_folder(scratch, part).rename(folder)
            scratch.rmdir()
        files.extend(sorted(folder.iterdir()))
    return files[:reports]


def link_into(folder: Path, files: list[Path]) -> None:
    """Place `files` in `folder` (keeping their part folder) as hard links: instant, and real files to the
    inbox (it would quarantine symbolic links pointing outside it); copies where links are not possible."""
    for source in files:
        target = folder / source.parent.name / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:  # another file system
            shutil.copyfile(source, target)
