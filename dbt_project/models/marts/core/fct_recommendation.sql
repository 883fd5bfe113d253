{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='report_id',
    on_schema_change='append_new_columns',
    post_hook="{{ delete_stale_report_rows() }}"
) }}
-- depends_on: {{ ref('stg_raw__reports') }}
-- One company recommended under one theme of one report, resolved to a company by name when
-- the reference knows it (company_id null and is_company_resolved false otherwise).
-- Incremental per report. The company-name lookup also holds subject companies the seed lacks,
-- so it can change with new reports: like fct_entity_mention, every report is then taken again
-- and resolution never lags behind the lookup.
{%- set reference = [ref('brokers'), ref('int_company_names')] %}
select
    recs.recommendation_id,
    recs.report_id,
    reports.broker_id,
    reports.published_at,
    recs.theme,
    recs.theme_seq,
    recs.company_seq,
    recs.company_name_raw,
    names.company_id,
    names.company_id is not null as is_company_resolved,
    recs.cited_pages,
    recs.loaded_at,
    {{ reference_version(reference) }} as reference_version,
    {{ built_at() }} as built_at,
    {{ report_time_columns('published_at', with_published_at=false) }}
from {{ ref('stg_raw__recommendations') }} as recs
join {{ ref('dim_report') }} as reports using (report_id)
left join {{ ref('int_company_names') }} as names on names.name_key = recs.company_name_key
where {{ reports_loaded_since_last_run('recs', reference) }}
