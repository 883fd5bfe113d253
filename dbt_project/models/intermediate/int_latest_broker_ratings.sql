-- Each broker's latest rating per target (industry or company): what the snapshot keeps history
-- of and what consensus is computed from. Stale = older than stale_rating_days before the
-- reference date.
select
    sequences.rating_target_key,
    sequences.broker_id,
    sequences.scope,
    sequences.target_id,
    sequences.rating_id,
    sequences.report_id,
    sequences.published_at,
    sequences.rating_raw,
    sequences.rating_std,
    sequences.rating_score,
    sequences.action_std,
    sequences.published_at < reference.reference_at - to_days(reference.stale_after_days) as is_stale
from {{ ref('int_rating_sequences') }} as sequences
cross join {{ ref('int_reference_date') }} as reference
where sequences.is_latest_for_target
