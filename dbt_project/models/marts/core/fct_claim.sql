{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='report_id',
    on_schema_change='append_new_columns',
    post_hook="{{ delete_stale_report_rows() }}"
) }}
-- depends_on: {{ ref('stg_raw__reports') }}

select
    claim_id,
    report_id,
    claim_seq,
    section,
    subsection,
    claim_text,
    cited_pages,
    char_start,
    char_end,
    extractor_version,
    loaded_at,
    {{ built_at() }} as built_at,
    {{ report_time_columns('reports.published_at') }}
from {{ ref('stg_raw__claims') }} as claims
left join {{ report_times() }} as reports using (report_id)
where {{ reports_loaded_since_last_run('claims') }}
