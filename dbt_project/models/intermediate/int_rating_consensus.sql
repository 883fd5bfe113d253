-- Consensus of the brokers' latest ratings on every target of each scope (industry, company):
-- stale ratings (older than stale_rating_days before the reference date) are left out; changes
-- are counted over the 30 and 90 days up to the reference date. company_consensus and
-- industry_consensus are its two scopes with the target's names.
with reference as (
    select * from {{ ref('int_reference_date') }}
),

rating_summary as (
    select
        scope,
        target_id,
        count(distinct broker_id) filter (where not is_stale and rating_score is not null) as n_brokers,
        avg(rating_score) filter (where not is_stale) as mean_rating_score,
        count(*) filter (where not is_stale and rating_std = 'strong_buy') as n_strong_buy,
        count(*) filter (where not is_stale and rating_std = 'buy') as n_buy,
        count(*) filter (where not is_stale and rating_std = 'hold') as n_hold,
        count(*) filter (where not is_stale and rating_std = 'underperform') as n_underperform,
        count(*) filter (where not is_stale and rating_std = 'sell') as n_sell,
        count(*) filter (where is_stale) as n_stale_brokers,
        max(published_at) as latest_rating_at
    from {{ ref('int_latest_broker_ratings') }}
    group by scope, target_id
),

recent_changes as (
    select
        changes.scope,
        changes.target_id,
        changes.change_type,
        changes.published_at > reference.reference_at - interval 30 day as is_within_30d,
        changes.published_at > reference.reference_at - interval 90 day as is_within_90d
    from {{ ref('fct_rating_change') }} as changes
    cross join reference
),

change_summary as (
    select
        scope,
        target_id,
        count(*) filter (where change_type = 'upgrade' and is_within_30d) as n_upgrades_30d,
        count(*) filter (where change_type = 'downgrade' and is_within_30d) as n_downgrades_30d,
        count(*) filter (where change_type = 'upgrade' and is_within_90d) as n_upgrades_90d,
        count(*) filter (where change_type = 'downgrade' and is_within_90d) as n_downgrades_90d
    from recent_changes
    group by scope, target_id
),

report_summary as (
    select
        targets.scope,
        targets.target_id,
        max(reports.published_at) as latest_report_at,
        count(*) as n_reports
    from {{ ref('dim_report') }} as reports
    cross join
        lateral (
            values ('company', reports.subject_company_id), ('industry', reports.industry_id)
        ) as targets (scope, target_id)
    where targets.target_id is not null
    group by targets.scope, targets.target_id
)

select
    rating_summary.scope,
    rating_summary.target_id,
    reference.reference_date,
    rating_summary.n_brokers,
    round(rating_summary.mean_rating_score, 2) as mean_rating_score,
    -- the level of the published scale nearest the mean score
    scale.rating_std as consensus_rating_std,
    rating_summary.n_strong_buy,
    rating_summary.n_buy,
    rating_summary.n_hold,
    rating_summary.n_underperform,
    rating_summary.n_sell,
    rating_summary.n_stale_brokers,
    coalesce(change_summary.n_upgrades_30d, 0) as n_upgrades_30d,
    coalesce(change_summary.n_downgrades_30d, 0) as n_downgrades_30d,
    coalesce(change_summary.n_upgrades_90d, 0) as n_upgrades_90d,
    coalesce(change_summary.n_downgrades_90d, 0) as n_downgrades_90d,
    rating_summary.latest_rating_at,
    report_summary.latest_report_at,
    report_summary.n_reports
from rating_summary
cross join reference
left join change_summary using (scope, target_id)
left join report_summary using (scope, target_id)
left join {{ ref('dim_rating_scale') }} as scale on scale.rating_score = round(rating_summary.mean_rating_score)
