-- Question: Which industries have the most bullish current broker consensus (lowest mean standard score; industries whose ratings are all stale are left out)?
-- Add `and n_brokers >= 2` to rank only industries several brokers agree on.
select
    industry_id, name_cn, name_en, n_brokers, mean_rating_score, consensus_rating_std,
    n_strong_buy + n_buy as n_positive, n_hold, n_underperform + n_sell as n_negative,
    n_upgrades_90d, n_downgrades_90d, latest_report_at
from marts.industry_consensus
where n_brokers >= 1
order by mean_rating_score, n_brokers desc, industry_id;
