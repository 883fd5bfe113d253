{#- The key names are matched on: trimmed, inner whitespace collapsed, case-folded. -#}
{% macro name_key(expression) -%}
    nullif(lower(trim(regexp_replace({{ expression }}, '\s+', ' ', 'g'))), '')
{%- endmacro %}

{#- A stable URL-safe identifier from an English name: "Soochow Securities" -> soochow-securities. -#}
{% macro slugify(expression) -%}
    trim(regexp_replace(lower({{ expression }}), '[^a-z0-9]+', '-', 'g'), '-')
{%- endmacro %}

{#- Rows of (id, name_key) for a name column plus a `|`-separated alias column. -#}
{% macro names_with_aliases(relation, id_column, name_columns, alias_column) -%}
    {%- for name_column in name_columns %}
    select {{ id_column }} as entity_id, {{ name_key(name_column) }} as name_key from {{ relation }}
    union
    {%- endfor %}
    select {{ id_column }} as entity_id, {{ name_key('alias') }} as name_key
    from {{ relation }}, unnest(string_split(coalesce({{ alias_column }}, ''), '|')) as alias_list(alias)
{%- endmacro %}

{#- name_key -> id for every name that belongs to exactly one entity; `names` (a CTE or relation)
    has rows of (entity_id, name_key). A name shared by two entities resolves to neither: a wrong
    match is worse than an unresolved one. -#}
{% macro unambiguous_names(names, id_column) -%}
    select name_key, min(entity_id) as {{ id_column }}
    from {{ names }}
    where name_key is not null
    group by name_key
    having count(distinct entity_id) = 1
{%- endmacro %}
