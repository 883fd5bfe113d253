-- Every name a broker goes by (name_cn, name_en, aliases) -> broker_id. A name shared by two
-- brokers resolves to neither: a wrong broker is worse than an unresolved one.
with names as (
    {{ names_with_aliases(ref('int_brokers'), 'broker_id', ['name_cn', 'name_en'], 'aliases') }}
)

select name_key, min(entity_id) as broker_id
from names
where name_key is not null
group by name_key
having count(distinct entity_id) = 1
