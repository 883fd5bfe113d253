-- Shenwan level-1 names (Chinese and English) and codes -> industry_id (the Shenwan code).
with names as (
    select code as industry_id, {{ name_key('name_cn') }} as name_key from {{ ref('shenwan_industries') }}
    union
    select code, {{ name_key('name_en') }} from {{ ref('shenwan_industries') }}
    union
    select code, {{ name_key('code') }} from {{ ref('shenwan_industries') }}
)

select name_key, min(industry_id) as industry_id
from names
where name_key is not null
group by name_key
having count(distinct industry_id) = 1
