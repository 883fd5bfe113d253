-- Reference brokers plus any broker a report names that the reference does not know
-- (flagged unresolved, keyed by a hash of the name as written).
select
    broker_id,
    name_cn,
    name_en,
    aliases,
    true as is_resolved,
    string_split(aliases, '|') as alias_list
from {{ ref('int_brokers') }}

union all

select distinct
    broker_id,
    case when regexp_matches(broker_raw, '\p{Han}') then broker_raw end as name_cn,
    case when not regexp_matches(broker_raw, '\p{Han}') then broker_raw end as name_en,
    null as aliases,
    false as is_resolved,
    null::varchar[] as alias_list
from {{ ref('int_report_brokers') }}
where not is_broker_resolved
