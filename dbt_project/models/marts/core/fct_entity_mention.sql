{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='report_id',
    on_schema_change='append_new_columns',
    post_hook="{{ delete_stale_report_rows() }}"
) }}
-- depends_on: {{ ref('stg_raw__reports') }}
-- One organisation per claim (the first of repeated mentions), resolved to a company by name.
-- The company-name lookup changes when the reference does: every report is then taken again,
-- so resolution never lags behind companies.csv.

with lookup_version as (
    select max(lookup_version) as lookup_version from {{ ref('int_company_names') }}
),

mentions as (
    select *
    from {{ ref('stg_raw__entity_mentions') }} as mentions
    where {{ reports_loaded_since_last_run('mentions') }}
    {%- if is_incremental() %}
        or (select max(company_lookup_version) from {{ this }})
            is distinct from (select lookup_version from lookup_version)
    {%- endif %}
    qualify row_number() over (
            partition by report_id, claim_seq, entity_name order by char_start nulls last
        ) = 1
)

select
    md5(mentions.report_id || '|' || coalesce(mentions.claim_seq::varchar, '') || '|' || mentions.entity_name)
        as mention_id,
    mentions.report_id,
    mentions.claim_id,
    mentions.claim_seq,
    mentions.entity_name,
    names.company_id,
    names.company_id is not null as is_company_resolved,
    mentions.char_start,
    mentions.char_end,
    (select lookup_version from lookup_version) as company_lookup_version,
    mentions.extractor_version,
    mentions.loaded_at,
    {{ built_at() }} as built_at,
    {{ report_time_columns('reports.published_at') }}
from mentions
left join {{ report_times() }} as reports on reports.report_id = mentions.report_id
left join {{ ref('int_company_names') }} as names on names.name_key = mentions.entity_name_key
