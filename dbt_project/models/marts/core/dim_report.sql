{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='report_id',
    on_schema_change='append_new_columns',
    post_hook="{{ delete_stale_report_rows() }}"
) }}
-- depends_on: {{ ref('stg_raw__reports') }}
-- Incremental per report like the facts: a run resolves only reports loaded or re-extracted
-- since the last build, or every report when the reference seeds it resolves against (brokers,
-- industries, companies) changed. Nothing else a report's row depends on changes with other
-- reports: broker and industry resolution depend on the seeds alone, a subject company's key on
-- its code/name and the seed, the first file on files received before it.
{%- set reference = [ref('brokers'), ref('shenwan_industries'), ref('companies')] %}
select
    report_id,
    source_file,
    content_sha256,
    broker_id,
    industry_id,
    title,
    report_type,
    published_at,
    published_at::date as published_date,
    subject_company_id,
    ingested_at,
    broker_raw,
    is_broker_resolved,
    industry_raw,
    is_industry_resolved,
    subject_company_name_cn,
    subject_company_code,
    has_quarantined_rows,
    extractor_version,
    loaded_at,
    {{ reference_version(reference) }} as reference_version,
    {{ built_at() }} as built_at,
    {{ with_source_time_zone('published_at') }} as published_at_tz
from {{ ref('int_reports') }} as reports
where {{ reports_loaded_since_last_run('reports', reference) }}
