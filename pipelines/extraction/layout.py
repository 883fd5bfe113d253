"""The three parts of a report file: summary, title line and source line, as spans of the decoded text.

Layout of the family: the English summary (one long line or wrapped over several), then the title
line `<industry><title>` in Chinese (sometimes missing), then the source line `<broker>·<date time>`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from pipelines.extraction.decoding import ReportRejected
from pipelines.extraction.reference import industry_names_cn


@dataclass(frozen=True)
class SourceLine:
    broker: str  # as written
    published_at: datetime  # as written, no time zone
    start: int
    end: int


@dataclass(frozen=True)
class SubjectCompany:
    name_cn: str
    code: str  # ticker without exchange suffix, e.g. 688041


@dataclass(frozen=True)
class TitleLine:
    industry: str | None  # Shenwan industry prefix split off the title line
    title: str
    subject_company: SubjectCompany | None
    start: int
    end: int


@dataclass(frozen=True)
class Layout:
    summary_start: int
    summary_end: int
    title: TitleLine | None
    source: SourceLine


_SOURCE_LINE = re.compile(
    r"\s*(?P<broker>\S(?:.*?\S)?)(?:\s*[·・•‧∙|｜丨,，]\s*|\s+)"
    r"(?P<year>\d{4})\s*[-/.年－／．]\s*(?P<month>\d{1,2})\s*[-/.月－／．]\s*(?P<day>\d{1,2})\s*日?"
    r"(?:(?:\s+|T)(?P<hour>\d{1,2})\s*[:：]\s*(?P<minute>\d{2})(?:\s*[:：]\s*(?P<second>\d{2}))?)?\s*"
)
_MAX_BROKER_CHARS = 40
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
# A title line is Chinese; a summary line is English with at most a stray Chinese unit (`80 亿元`).
_MIN_TITLE_CJK_SHARE = 0.3
_SUBJECT_COMPANY = re.compile(
    r"(?P<name>[^\s()（）:：,，;；、|｜\[\]【】《》\"“”]+?)\s*[(（]\s*"
    r"(?P<code>\d{6}|\d{4,5}(?=\s*\.\s*HK)|[A-Z]{1,5}(?=\s*\.\s*(?:O|N|OQ|US)\b))"
    r"(?:\s*\.\s*(?P<exchange>[A-Za-z]{1,4}))?\s*[)）]"
)
# When the title itself starts with the industry word (`银行业…`, `计算机行业…`) nothing was prefixed:
# the whole line is the title, and the industry is still the one it names.
_NOT_A_PREFIX_REMAINDER = ("行业", "业")

_MACRO_TITLE = re.compile(r"宏观|经济|政府工作报告|两会|GDP|CPI|PPI|PMI|通胀|货币政策|财政政策|社融|汇率|利率")
_STRATEGY_TITLE = re.compile(r"策略|A股|港股|大势|市场展望|资产配置|风格")
_MACRO_SUMMARY = re.compile(
    r"\b(?:GDP|CPI|PPI|PMI|inflation|deficit|fiscal|monetary|central bank|PBOC|Federal Reserve|"
    r"reserve requirement|treasury bonds?|government debt|unemployment|exports?)\b",
    re.I,
)
_STRATEGY_SUMMARY = re.compile(
    r"\b(?:A-shares?|equit(?:y|ies)|CSI 300|index|indices|market style|sector allocation|allocation|"
    r"risk premium|bull market|bear market|valuations?|turnover)\b",
    re.I,
)
_MIN_SUMMARY_SIGNALS = 2


def split_layout(text: str) -> Layout:
    """Find the source line, the title line and the summary, or raise ReportRejected."""
    lines = [line for line in _lines(text) if text[line[0] : line[1]].strip()]
    source_index = next((i for i in range(len(lines) - 1, -1, -1) if _SOURCE_LINE.fullmatch(text, *lines[i])), None)
    if source_index is None:
        raise ReportRejected(
            "no source line with the broker and the publication time (such as 东吴证券·2024-12-24 03:36) was found"
        )
    source = parse_source_line(text, *lines[source_index])
    before = lines[:source_index]
    title = None
    summary_start, summary_end = (before[0][0], before[-1][1]) if before else (0, 0)
    if before and _is_title_like(text[slice(*before[-1])]):
        title = parse_title_line(text, *before[-1])
        summary_end = before[-2][1] if len(before) > 1 else before[-1][0]
    elif len(before) > 1 and _is_title_like(text[slice(*before[0])]):  # title placed above the summary
        title = parse_title_line(text, *before[0])
        summary_start = before[1][0]
    if summary_end < summary_start:
        summary_start = summary_end
    return Layout(summary_start, summary_end, title, source)


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, end before the line break."""
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        spans.append((pos, pos + len(body)))
        pos += len(line)
    return spans


def _is_title_like(line: str) -> bool:
    visible = [c for c in line if not c.isspace()]
    return bool(visible) and len(_CJK.findall(line)) >= _MIN_TITLE_CJK_SHARE * len(visible)


def parse_source_line(text: str, start: int, end: int) -> SourceLine:
    """Broker and publication time of `text[start:end]`; impossible dates raise ReportRejected."""
    match = _SOURCE_LINE.fullmatch(text, start, end)
    if match is None or len(match["broker"]) > _MAX_BROKER_CHARS:
        raise ReportRejected(f"the source line {text[start:end].strip()!r} does not read <broker>·<date time>")
    parts = [int(match[name] or 0) for name in ("year", "month", "day", "hour", "minute", "second")]
    try:
        published_at = datetime(*parts)
    except ValueError:
        raise ReportRejected(
            f"the source line gives an impossible publication time: {text[match.start('year') : match.end()].strip()!r}"
        ) from None
    return SourceLine(match["broker"], published_at, match.start("broker"), start + len(text[start:end].rstrip()))


def parse_title_line(text: str, start: int, end: int) -> TitleLine:
    """Split the Shenwan industry prefix off the title line and find the subject company."""
    line = text[start:end]
    start += len(line) - len(line.lstrip())
    line = line.strip()
    industry = next((name for name in industry_names_cn() if line.startswith(name) and len(line) > len(name)), None)
    prefixed = industry is not None and not line[len(industry) :].startswith(_NOT_A_PREFIX_REMAINDER)
    title = line[len(industry) :].lstrip() if prefixed else line
    company = _SUBJECT_COMPANY.search(title)
    subject = SubjectCompany(company["name"], company["code"]) if company else None
    return TitleLine(industry, title, subject, start, start + len(line))


def classify_report_type(title: TitleLine | None, rating_scope: str | None, summary: str) -> str:
    """industry | company | strategy | macro | other, from the subject company, rating scope and wording."""
    if (title and title.subject_company) or rating_scope == "company":
        return "company"
    if rating_scope == "industry":
        return "industry"
    heading = title.title if title else ""
    if _MACRO_TITLE.search(heading):
        return "macro"
    if "行业" in heading:
        return "industry"
    if _STRATEGY_TITLE.search(heading):
        return "strategy"
    if title and title.industry:
        return "industry"
    macro, strategy = len(_MACRO_SUMMARY.findall(summary)), len(_STRATEGY_SUMMARY.findall(summary))
    if max(macro, strategy) >= _MIN_SUMMARY_SIGNALS:
        return "macro" if macro > strategy else "strategy"
    return "other"
