select
    company_id,
    name_en,
    name_cn,
    ticker,
    exchange,
    aliases,
    is_in_reference
from {{ ref('int_companies') }}
