{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='report_id',
    on_schema_change='append_new_columns',
    post_hook="{{ delete_stale_report_rows() }}"
) }}
-- depends_on: {{ ref('stg_raw__reports') }}

with metrics as (
    select
        metrics.*,
        -- the claim up to the end of the figure: keywords after it describe other figures
        lower(case
            when strpos(claims.claim_text, metrics.raw_text) > 0
                then left(claims.claim_text, strpos(claims.claim_text, metrics.raw_text) + length(metrics.raw_text) - 1)
            else metrics.raw_text
        end) as kind_context
    from {{ ref('stg_raw__metrics') }} as metrics
    left join {{ ref('stg_raw__claims') }} as claims using (report_id, claim_seq)
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
    {{ metric_kind('kind_context', 'unit', 'per_unit') }} as metric_kind,
    char_start,
    char_end,
    extractor_version,
    loaded_at,
    {{ built_at() }} as built_at
from metrics
