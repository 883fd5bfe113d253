-- Question: How did brokers' 2025 net-profit forecasts for a company (here 中际旭创 / Innolight, 300308) move: each estimate, its revision against the broker's previous one, and the consensus then?
-- Point in time: set as_of_at to a past date to see only what was published by then (the
-- estimates' previous_* never look later than their own report, the consensus row is the
-- latest one on or before that date).
with params as (
    select max(published_at) as as_of_at from marts.dim_report
)

select
    estimates.published_date,
    brokers.name_en as broker,
    estimates.value / 1e9 as net_profit_bn,
    estimates.unit,
    estimates.previous_published_at::date as previous_date,
    estimates.previous_value / 1e9 as previous_net_profit_bn,
    estimates.revision / 1e9 as revision_bn,
    round(estimates.revision_pct, 1) as revision_pct,
    consensus.n_brokers as consensus_n_brokers,
    consensus.mean_value / 1e9 as consensus_mean_bn,
    consensus.median_value / 1e9 as consensus_median_bn,
    claims.claim_text
from marts.fct_estimate as estimates
cross join params
join marts.dim_company as companies using (company_id)
left join marts.dim_broker as brokers using (broker_id)
left join marts.fct_claim as claims using (claim_id)
left join marts.estimate_consensus as consensus
    on consensus.company_id = estimates.company_id
   and consensus.measure = estimates.measure
   and consensus.fiscal_year = estimates.fiscal_year
   and consensus.unit = estimates.unit
   and consensus.per_unit is not distinct from estimates.per_unit
   and consensus.as_of_date = estimates.published_date
where (companies.ticker = '300308' or companies.name_cn = '中际旭创')
  and estimates.measure = 'net_profit'
  and estimates.fiscal_year = 2025
  and estimates.published_at <= params.as_of_at
order by estimates.published_at, broker;
