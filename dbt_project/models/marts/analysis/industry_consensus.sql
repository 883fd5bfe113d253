-- A view (see dbt_project.yml): stale ratings and the 30/90-day counts are relative to the
-- reference date, the latest published_at, so a report newer than all others can change every
-- row. Recomputed on read from small bases (the latest rating per series and the rating
-- changes, ~one row per report), it is always exact and costs the build nothing.
with consensus as (
    select * exclude (scope) from {{ ref('int_rating_consensus') }}
    where scope = 'industry'
)

select
    consensus.target_id as industry_id,
    industries.name_cn,
    industries.name_en,
    consensus.* exclude (target_id)
from consensus
left join {{ ref('dim_industry') }} as industries on industries.industry_id = consensus.target_id
