{#- Incremental fact tables are rebuilt per report (delete+insert on report_id): a run takes
    only the reports loaded since the table was last built. `>=` re-takes the newest batch,
    which is harmless (delete+insert is idempotent) and safe when two batches share a timestamp. -#}
{% macro reports_loaded_since_last_run(loaded_at_column='loaded_at') -%}
    {%- if is_incremental() -%}
    {{ loaded_at_column }} >= (select coalesce(max(loaded_at), '-infinity'::timestamp) from {{ this }})
    {%- else -%}
    true
    {%- endif -%}
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
