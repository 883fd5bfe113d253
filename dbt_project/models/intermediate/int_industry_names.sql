-- Shenwan level-1 names (Chinese and English) and codes -> industry_id (the Shenwan code).
with names as (
    select code as entity_id, {{ name_key('name_cn') }} as name_key from {{ ref('shenwan_industries') }}
    union
    select code, {{ name_key('name_en') }} from {{ ref('shenwan_industries') }}
    union
    select code, {{ name_key('code') }} from {{ ref('shenwan_industries') }}
)

{{ unambiguous_names('names', 'industry_id') }}
