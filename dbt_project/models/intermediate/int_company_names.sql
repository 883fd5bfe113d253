-- A table, unlike the other intermediates: it is small but costly to derive (every subject
-- company of every report), and the incremental marts read it several times per run.
{{ config(materialized='table') }}
-- Every name a company goes by (name_en, name_cn, aliases) -> company_id, case-insensitive.
-- A name shared by two companies resolves to neither. `lookup_version` fingerprints the whole
-- lookup so incremental models can tell when reference names changed.
with names as (
    {{ names_with_aliases(ref('int_companies'), 'company_id', ['name_en', 'name_cn'], 'aliases') }}
),

unambiguous as (
    {{ unambiguous_names('names', 'company_id') }}
),

version as (
    select md5(string_agg(name_key || '=' || company_id, '|' order by name_key)) as lookup_version
    from unambiguous
)

select
    unambiguous.name_key,
    unambiguous.company_id,
    version.lookup_version
from unambiguous
cross join version
