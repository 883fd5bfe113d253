"""Polars schemas of the frames the extraction library returns (the `raw` schema in DuckDB)."""

from __future__ import annotations

import polars as pl

PAGES = pl.List(pl.Int32)

REPORTS = {
    "report_id": pl.String,
    "broker_raw": pl.String,  # broker as written in the source line, e.g. 东吴证券
    "published_at": pl.Datetime("us"),  # as written in the source line (no time zone)
    "industry_raw": pl.String,  # Shenwan industry prefix split off the title line, e.g. 计算机
    "title": pl.String,  # title line without the industry prefix
    "report_type": pl.String,  # industry | company | strategy | macro | other
    "subject_company_name_cn": pl.String,  # company reports: 海光信息
    "subject_company_code": pl.String,  # company reports: 688041
}

CLAIMS = {
    "report_id": pl.String,
    "claim_seq": pl.Int32,  # 1..n in reading order
    "section": pl.String,
    "subsection": pl.String,
    "claim_text": pl.String,  # bullet without dash and citation markers, whitespace collapsed
    "cited_pages": PAGES,
    "char_start": pl.Int64,  # span of the bullet in the decoded text
    "char_end": pl.Int64,
}

METRICS = {
    "report_id": pl.String,
    "claim_seq": pl.Int32,
    "metric_seq": pl.Int32,  # 1..n within the report
    "raw_text": pl.String,
    "value": pl.Float64,
    "value_high": pl.Float64,
    "unit": pl.String,  # ISO currency, %, pp, x, count
    "per_unit": pl.String,
    "fiscal_year": pl.Int32,
    "qualifier": pl.String,  # over | under | approx | up_to
    "measure": pl.String,  # what the figure is about: measures.MEASURES
    "change_basis": pl.String,  # level | yoy | qoq | mom | cagr | change
    "direction": pl.String,  # up | down | null (a level stated plainly, or a figure written with a minus)
    "metric_kind": pl.String,  # the forecast series a level figure belongs to: measures.metric_kind
    "is_forecast": pl.Boolean,  # stated for a year after the report's, or under a forecast heading
    "char_start": pl.Int64,  # span of the figure in the decoded text
    "char_end": pl.Int64,
}

RATINGS = {
    "report_id": pl.String,
    "scope": pl.String,  # industry | company
    "rating_raw": pl.String,  # e.g. Overweight, 买入
    "action_raw": pl.String,  # e.g. Maintained, First Coverage
    "cited_pages": PAGES,
    "char_start": pl.Int64,
    "char_end": pl.Int64,
}

RECOMMENDATIONS = {
    "report_id": pl.String,
    "theme_seq": pl.Int32,
    "theme": pl.String,
    "company_seq": pl.Int32,  # order within the theme
    "company_name_raw": pl.String,
    "cited_pages": PAGES,
}

ENTITY_MENTIONS = {
    "report_id": pl.String,
    "claim_seq": pl.Int32,
    "entity_name": pl.String,  # as written
    "char_start": pl.Int64,
    "char_end": pl.Int64,
}

FAILURES = {
    "report_id": pl.String,
    "reason": pl.String,  # a sentence a person understands
}

FRAMES = {
    "reports": REPORTS,
    "claims": CLAIMS,
    "metrics": METRICS,
    "ratings": RATINGS,
    "recommendations": RECOMMENDATIONS,
    "entity_mentions": ENTITY_MENTIONS,
    "failures": FAILURES,
}
