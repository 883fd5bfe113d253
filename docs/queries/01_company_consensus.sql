-- Question: What is the current broker consensus on a company (here 中际旭创 / Innolight, 300308)?
-- Stale ratings (older than 180 days before the latest report in the warehouse) are excluded.
select
    company_id, name_cn, name_en, ticker, reference_date,
    n_brokers, mean_rating_score, consensus_rating_std,
    n_strong_buy, n_buy, n_hold, n_underperform, n_sell, n_stale_brokers,
    n_upgrades_30d, n_downgrades_30d, n_upgrades_90d, n_downgrades_90d,
    latest_rating_at, latest_report_at
from marts.company_consensus
where ticker = '300308' or name_cn = '中际旭创' or lower(name_en) = 'innolight';
