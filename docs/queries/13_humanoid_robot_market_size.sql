-- Question: What market-size estimates for humanoid robots have brokers quoted: which broker, when, for which year, how big?
select
    reports.published_at,
    brokers.name_en as broker,
    reports.title,
    metrics.fiscal_year,
    metrics.value,
    metrics.value_high,
    metrics.unit,
    metrics.change_basis,
    metrics.qualifier,
    metrics.raw_text,
    claims.claim_text
from marts.fct_metric as metrics
join marts.fct_claim as claims using (claim_id)
join marts.dim_report as reports on reports.report_id = metrics.report_id
left join marts.dim_broker as brokers using (broker_id)
where metrics.measure = 'market_size'
  and regexp_matches(lower(concat_ws(' ', claims.claim_text, claims.subsection)), 'humanoid|人形机器人')
order by metrics.fiscal_year nulls last, reports.published_at, metrics.metric_seq;
