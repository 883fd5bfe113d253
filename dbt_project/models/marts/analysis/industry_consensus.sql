with consensus as (
    {{ consensus_for_scope('industry') }}
)

select
    consensus.target_id as industry_id,
    industries.name_cn,
    industries.name_en,
    consensus.* exclude (target_id)
from consensus
left join {{ ref('dim_industry') }} as industries on industries.industry_id = consensus.target_id
