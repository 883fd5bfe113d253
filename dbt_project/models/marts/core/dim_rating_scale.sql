-- The standard rating scale, one row per level, from the rating words seed (its one owner): BI
-- tools sort and label rating_std by it instead of alphabetically.
select distinct
    rating_std,
    array_to_string(list_transform(string_split(rating_std, '_'), lambda word: upper(word[1]) || word[2:]), ' ')
        as label,
    rating_score,
    rating_score as sort_order,
    case
        when rating_score < 3 then 'bullish'
        when rating_score = 3 then 'neutral'
        else 'bearish'
    end as direction
from {{ ref('rating_scale') }}
