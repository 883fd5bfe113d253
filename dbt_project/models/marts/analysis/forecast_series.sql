-- Company x fiscal year x metric kind (revenue, net profit, EPS, PE, target price) by broker
-- and report date, from the level figures of company reports (fct_metric.metric_kind and
-- is_forecast, decided by the extractor). signed_value is the figure with its direction: a
-- forecast loss is negative, so series can be averaged and compared.
select
    metrics.metric_id,
    reports.subject_company_id as company_id,
    metrics.fiscal_year,
    metrics.metric_kind,
    reports.broker_id,
    reports.report_id,
    reports.published_at,
    reports.published_date,
    metrics.measure,
    metrics.value,
    metrics.signed_value,
    metrics.value_high,
    metrics.unit,
    metrics.per_unit,
    metrics.qualifier,
    metrics.raw_text,
    claims.section,
    metrics.is_forecast
from {{ ref('fct_metric') }} as metrics
join {{ ref('dim_report') }} as reports using (report_id)
left join {{ ref('fct_claim') }} as claims using (claim_id)
where reports.subject_company_id is not null
    and metrics.metric_kind is not null
