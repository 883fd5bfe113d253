-- A view (see dbt_project.yml): stale ratings and the 30/90-day counts are relative to the
-- reference date, the latest published_at, so a report newer than all others can change every
-- row. Recomputed on read from small bases (the latest rating per series and the rating
-- changes, ~one row per report), it is always exact and costs the build nothing.
with consensus as (
    select * exclude (scope) from {{ ref('int_rating_consensus') }}
    where scope = 'company'
)

select
    consensus.target_id as company_id,
    companies.name_cn,
    companies.name_en,
    companies.ticker,
    consensus.* exclude (target_id)
from consensus
left join {{ ref('dim_company') }} as companies on companies.company_id = consensus.target_id
