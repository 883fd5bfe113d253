{#- Incremental fact tables are rebuilt per report (delete+insert on report_id): a run takes
    only the source rows of reports whose load (report_id, loaded_at) the table does not hold
    yet, i.e. reports loaded or re-extracted since it was built. Matching the load itself
    rather than `loaded_at > max(loaded_at)` re-takes nothing on a run without new reports and
    misses nothing when the loader's clock steps back (loaded_at is local time).
    `reference` (a list of relations, see reference_version) adds every report when the
    reference data the rows were resolved with has changed since the table was built. -#}
{% macro reports_loaded_since_last_run(source_alias, reference=none) -%}
    {%- if is_incremental() -%}
    (not exists (
        select 1 from {{ this }} as built
        where built.report_id = {{ source_alias }}.report_id and built.loaded_at = {{ source_alias }}.loaded_at
    )
    {%- if reference is not none %}
        or {{ reference_changed_since_last_run(reference) }}
    {%- endif %})
    {%- else -%}
    true
    {%- endif -%}
{%- endmacro %}

{#- The start of the dbt invocation that wrote a row (UTC). Rows an incremental run leaves
    alone keep their built_at, which is how a test (and an operator) sees that old reports were
    not rebuilt; a --full-refresh gives every row a new one. -#}
{% macro built_at() -%}
    '{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}'::timestamp
{%- endmacro %}

{#- Post-hook: delete+insert only replaces reports that still have rows in the new batch. A
    report that was re-extracted into fewer (or no) rows, or removed from raw (quarantined),
    would keep stale rows; drop every row whose report is gone or was loaded again since, so
    an incremental build equals a full refresh. -#}
{% macro delete_stale_report_rows() -%}
    {%- if is_incremental() -%}
    delete from {{ this }} as fact
    where not exists (
        select 1 from {{ ref('stg_raw__reports') }} as report
        where report.report_id = fact.report_id and report.loaded_at = fact.loaded_at
    )
    {%- else -%}
    select 1
    {%- endif -%}
{%- endmacro %}

{#- Fingerprint of the content of reference relations (seeds, name lookups): stored with the
    rows of a report-level incremental model (column reference_version), so that a change in
    the reference data re-resolves every report instead of only new ones. -#}
{% macro reference_version(relations) -%}
    md5(concat_ws('|'
    {%- for relation in relations %},
        (select md5(coalesce(string_agg(row_text, '|' order by row_text), ''))
         from (select reference_row::varchar as row_text from {{ relation }} as reference_row))
    {%- endfor %}))
{%- endmacro %}

{% macro reference_changed_since_last_run(relations) -%}
    (select max(reference_version) from {{ this }}) is distinct from {{ reference_version(relations) }}
{%- endmacro %}
