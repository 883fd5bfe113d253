-- Each broker name written in a source line resolved to a broker: exactly by any of its names,
-- else by the longest known name the written one starts with (东吴证券研究所 -> 东吴证券).
-- An unknown broker keeps a stable key of its own and is flagged unresolved, never dropped.
with written as (
    select distinct
        broker_raw,
        {{ name_key('broker_raw') }} as broker_key
    from {{ ref('stg_raw__reports') }}
    where broker_raw is not null
),

exact_match as (
    select
        written.broker_raw,
        names.broker_id,
        'exact' as resolution
    from written
    join {{ ref('int_broker_names') }} as names on names.name_key = written.broker_key
),

prefix_match as (
    select
        written.broker_raw,
        names.broker_id,
        'prefix' as resolution
    from written
    join {{ ref('int_broker_names') }} as names
        on length(names.name_key) >= 2 and starts_with(written.broker_key, names.name_key)
    where written.broker_raw not in (select broker_raw from exact_match)
    qualify row_number() over (
            partition by written.broker_raw order by length(names.name_key) desc, names.broker_id
        ) = 1
),

resolved as (
    select * from exact_match
    union all
    select * from prefix_match
)

select
    written.broker_raw,
    coalesce(resolved.broker_id, 'unresolved-' || left(md5(written.broker_key), 12)) as broker_id,
    resolved.broker_id is not null as is_broker_resolved,
    coalesce(resolved.resolution, 'unresolved') as broker_resolution
from written
left join resolved using (broker_raw)
