-- Question: Every capex amount stated in a claim about ByteDance, over time: which broker, which report, what value?
-- A claim comparing ByteDance with other companies carries their amounts too (see claim_text).
select
    reports.published_at,
    brokers.name_en as broker,
    reports.title,
    metrics.raw_text,
    metrics.value,
    metrics.value_high,
    metrics.unit,
    metrics.fiscal_year,
    metrics.qualifier,
    claims.claim_text
from marts.fct_metric as metrics
join marts.fct_claim as claims using (claim_id)
join marts.dim_report as reports on reports.report_id = metrics.report_id
left join marts.dim_broker as brokers using (broker_id)
where regexp_full_match(metrics.unit, '[A-Z]{3}') and metrics.per_unit is null  -- money amounts, not rates
  and regexp_matches(lower(claims.claim_text), 'capex|capital expenditure|capital spending')
  and (
      exists (
          select 1 from marts.fct_entity_mention as mentions
          where mentions.claim_id = claims.claim_id and lower(mentions.entity_name) in ('bytedance', '字节跳动')
      )
      or regexp_matches(lower(claims.claim_text), 'bytedance|字节')
  )
order by reports.published_at, metrics.fiscal_year nulls last, metrics.metric_seq;
