-- Company x fiscal year x metric kind (revenue, net profit, EPS, PE, target price) by broker
-- and report date, from the figures of company reports. The kind comes from the nearest
-- fitting keyword before the figure in its claim (fct_metric.metric_kind).
select
    metrics.metric_id,
    reports.subject_company_id as company_id,
    metrics.fiscal_year,
    metrics.metric_kind,
    reports.broker_id,
    reports.report_id,
    reports.published_at,
    reports.published_date,
    metrics.value,
    metrics.value_high,
    metrics.unit,
    metrics.per_unit,
    metrics.qualifier,
    metrics.raw_text,
    claims.section,
    -- a forecast: stated under a forecast/valuation section, or for a year after publication
    coalesce(
        regexp_matches(lower(claims.section), 'forecast|valuation')
        or metrics.fiscal_year > year(reports.published_at),
        false
    ) as is_forecast
from {{ ref('fct_metric') }} as metrics
join {{ ref('dim_report') }} as reports using (report_id)
left join {{ ref('fct_claim') }} as claims using (claim_id)
where reports.subject_company_id is not null
  and metrics.metric_kind is not null
