select
    code as industry_id,
    name_cn,
    name_en,
    'Shenwan L1' as classification
from {{ ref('shenwan_industries') }}
