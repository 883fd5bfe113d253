-- Reference brokers with their warehouse key: a slug of the English name (stable across runs).
select
    {{ slugify('name_en') }} as broker_id,
    name_cn,
    name_en,
    aliases
from {{ ref('brokers') }}
