-- Each rating next to the previous rating by the same broker on the same target (industry or
-- company), ordered by published_at. Ratings whose broker or target is unknown have no
-- sequence and are left out.
select
    *,
    broker_id || '|' || scope || '|' || target_id as rating_target_key,
    lag(rating_id) over target_history as previous_rating_id,
    lag(report_id) over target_history as previous_report_id,
    lag(published_at) over target_history as previous_published_at,
    lag(rating_raw) over target_history as previous_rating_raw,
    lag(rating_std) over target_history as previous_rating_std,
    lag(rating_score) over target_history as previous_rating_score,
    row_number() over target_history = count(*) over (partition by broker_id, scope, target_id)
        as is_latest_for_target
from {{ ref('int_ratings') }}
where broker_id is not null and target_id is not null
window target_history as (partition by broker_id, scope, target_id order by published_at, report_id, rating_seq)
