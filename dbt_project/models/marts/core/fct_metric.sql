{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='report_id',
    on_schema_change='append_new_columns',
    post_hook="{{ delete_stale_report_rows() }}"
) }}
-- depends_on: {{ ref('stg_raw__reports') }}

with metrics as (
    select *
    from {{ ref('stg_raw__metrics') }} as metrics
    where {{ reports_loaded_since_last_run('metrics') }}
)

select
    metric_id,
    report_id,
    claim_id,
    metric_seq,
    claim_seq,
    raw_text,
    value,
    value_high,
    unit,
    per_unit,
    fiscal_year,
    qualifier,
    measure,
    change_basis,
    direction,
    -- a fall or a loss counts against its measure when figures are added up
    case when direction = 'down' then -value else value end as signed_value,
    -- decided by the extractor, where the text is read (measures.Reading.metric_kind, report.py)
    metric_kind,
    is_forecast,
    char_start,
    char_end,
    extractor_version,
    loaded_at,
    {{ built_at() }} as built_at,
    {{ report_time_columns('reports.published_at') }}
from metrics
left join {{ report_times() }} as reports using (report_id)
