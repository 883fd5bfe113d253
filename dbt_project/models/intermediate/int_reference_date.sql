-- The "today" of every relative-date figure: the latest published_at in the data, not now(),
-- so that a rebuild of the same data gives the same marts.
select
    max(published_at) as reference_at,
    max(published_at)::date as reference_date,
    {{ var('stale_rating_days') }} as stale_after_days
from {{ ref('stg_raw__reports') }}
