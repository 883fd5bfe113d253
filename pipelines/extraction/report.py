"""Decoded reports → the frames of `schema.FRAMES`, one batch at a time; a bad report never stops the batch."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from pipelines.extraction import schema
from pipelines.extraction.decoding import ReportRejected
from pipelines.extraction.entities import Gazetteer, find_entities
from pipelines.extraction.layout import classify_report_type, split_layout
from pipelines.extraction.measures import read_figures
from pipelines.extraction.metrics import find_metrics
from pipelines.extraction.ratings import find_rating_header, resolve_scope
from pipelines.extraction.recommendations import is_recommendation_section, parse_recommendations
from pipelines.extraction.sections import announces_forecasts, parse_sections

Rows = dict[str, list[tuple]]
_MAX_ERROR_CHARS = 200  # an exception message can quote a whole report; the reason only needs its gist


def extract_reports(docs: Iterable[tuple[str, str]]) -> dict[str, pl.DataFrame]:
    """Every frame of `schema.FRAMES` for a batch of (report_id, decoded text) documents."""
    rows: Rows = {name: [] for name in schema.FRAMES}
    for report_id, text in docs:
        try:
            report_rows = extract_report(report_id, text)
        except ReportRejected as rejected:
            rows["failures"].append((report_id, rejected.reason))
            continue
        except Exception as error:
            detail = str(error)[:_MAX_ERROR_CHARS]
            rows["failures"].append(
                (
                    report_id,
                    f"the extractor failed on this report ({type(error).__name__}: "
                    f"{detail}); it is kept for re-extraction after a fix",
                )
            )
            continue
        for name, frame_rows in report_rows.items():
            rows[name].extend(frame_rows)
    return {
        name: pl.DataFrame(rows[name], schema=frame_schema, orient="row")
        for name, frame_schema in schema.FRAMES.items()
    }


def extract_report(report_id: str, text: str, gazetteer: Gazetteer | None = None) -> Rows:
    """Rows of every frame but `failures` for one decoded report; raises ReportRejected. Organisation
    names are known from `gazetteer` (the company reference by default)."""
    layout = split_layout(text)
    if not text[layout.summary_start : layout.summary_end].strip():
        raise ReportRejected("the report has no summary, only a title and a source line (a truncated file?)")
    title = layout.title
    subject = title.subject_company if title else None
    header = find_rating_header(text, layout.summary_start, layout.summary_end)
    scope = resolve_scope(header, subject is not None) if header else None
    bullets = parse_sections(text, header.body_start if header else layout.summary_start, layout.summary_end)
    report_type = classify_report_type(title, scope, text[layout.summary_start : layout.summary_end])
    rows: Rows = {name: [] for name in schema.FRAMES if name != "failures"}
    rows["reports"].append(
        (
            report_id,
            layout.source.broker,
            layout.source.published_at,
            title.industry if title else None,
            title.title if title else None,
            report_type,
            subject.name_cn if subject else None,
            subject.code if subject else None,
        )
    )
    if header:
        rows["ratings"].append(
            (report_id, scope, header.rating_raw, header.action_raw, list(header.pages), header.start, header.end)
        )
    recommendation_bullets = [b for b in bullets if is_recommendation_section(b.section)]
    rows["recommendations"] = [
        (report_id, r.theme_seq, r.theme, r.company_seq, r.company_name_raw, list(r.pages))
        for r in parse_recommendations(recommendation_bullets)
    ]
    claims = [b for b in bullets if not is_recommendation_section(b.section)]
    published_year = layout.source.published_at.year
    metric_seq = 0
    named: list[str] = []  # a company named in full once may be named by a short form later
    for claim_seq, claim in enumerate(claims, start=1):
        rows["claims"].append(
            (
                report_id,
                claim_seq,
                claim.section,
                claim.subsection,
                claim.text,
                list(claim.pages),
                claim.start,
                claim.end,
            )
        )
        span = text[claim.start : claim.end]  # metrics and entities get the bullet as it stands in the text
        metrics = find_metrics(span)
        forecast_heading = announces_forecasts(claim.section, claim.subsection)
        for metric, reading in zip(metrics, read_figures(span, metrics, claim.section, claim.subsection), strict=False):
            metric_seq += 1
            # A forecast: stated for a fiscal year after the report's publication, or under a forecast heading.
            is_forecast = forecast_heading or (metric.fiscal_year or 0) > published_year
            rows["metrics"].append(
                (
                    report_id,
                    claim_seq,
                    metric_seq,
                    metric.raw_text,
                    metric.value,
                    metric.value_high,
                    metric.unit,
                    metric.per_unit,
                    metric.fiscal_year,
                    metric.qualifier,
                    reading.measure,
                    reading.change_basis,
                    reading.direction,
                    reading.metric_kind,
                    is_forecast,
                    claim.start + metric.start,
                    claim.start + metric.end,
                )
            )
        entities = find_entities(span, gazetteer, named_before=named)
        rows["entity_mentions"].extend(
            (report_id, claim_seq, entity.name, claim.start + entity.start, claim.start + entity.end)
            for entity in entities
        )
        named.extend(entity.name for entity in entities)
    return rows
