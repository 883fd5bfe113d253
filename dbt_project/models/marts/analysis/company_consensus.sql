with consensus as (
    {{ consensus_for_scope('company') }}
)

select
    consensus.target_id as company_id,
    companies.name_cn,
    companies.name_en,
    companies.ticker,
    consensus.* exclude (target_id)
from consensus
left join {{ ref('dim_company') }} as companies on companies.company_id = consensus.target_id
