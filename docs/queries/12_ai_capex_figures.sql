-- Question: Every capex figure brokers quoted for the AI build-out (claims about AI, computing power, data centres, cloud or servers): which broker, when, what value?
-- A figure counts when its claim, or the heading it sits under, names the build-out; levels and
-- growth rates both (change_basis, direction say which; signed_value is negative for a fall).
select
    reports.published_at,
    brokers.name_en as broker,
    reports.title,
    metrics.change_basis,
    metrics.direction,
    metrics.value,
    metrics.value_high,
    metrics.signed_value,
    metrics.unit,
    metrics.per_unit,
    metrics.fiscal_year,
    metrics.qualifier,
    metrics.raw_text,
    claims.claim_text
from marts.fct_metric as metrics
join marts.fct_claim as claims using (claim_id)
join marts.dim_report as reports on reports.report_id = metrics.report_id
left join marts.dim_broker as brokers using (broker_id)
where metrics.measure = 'capex'
  and regexp_matches(
      lower(concat_ws(' ', claims.claim_text, claims.subsection)),
      '\bai\b|artificial intelligence|computing power|\bcompute\b|data cent(er|re)|\bcloud\b|inference|\bgpus?\b|\bservers?\b|算力|智算|人工智能|数据中心'
  )
order by reports.published_at, metrics.fiscal_year nulls last, metrics.metric_seq;
