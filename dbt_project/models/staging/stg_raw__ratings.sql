-- A report states at most one rating in practice; rating_seq keeps the key unique regardless.
select
    report_id,
    row_number() over (partition by report_id order by char_start, scope, rating_raw) as rating_seq,
    lower(trim(scope)) as scope,
    nullif(trim(rating_raw), '') as rating_raw,
    nullif(trim(action_raw), '') as action_raw,
    {{ name_key('rating_raw') }} as rating_key,
    {{ name_key('action_raw') }} as action_key,
    cited_pages,
    char_start,
    char_end,
    extractor_version,
    loaded_at
from {{ source('raw', 'ratings') }}
