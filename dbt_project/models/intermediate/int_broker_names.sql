-- Every name a broker goes by (name_cn, name_en, aliases) -> broker_id. A name shared by two
-- brokers resolves to neither: a wrong broker is worse than an unresolved one.
with names as (
    {{ names_with_aliases(ref('int_brokers'), 'broker_id', ['name_cn', 'name_en'], 'aliases') }}
)

{{ unambiguous_names('names', 'broker_id') }}
