{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='report_id',
    on_schema_change='append_new_columns',
    post_hook="{{ delete_stale_report_rows() }}"
) }}
-- depends_on: {{ ref('stg_raw__reports') }}
-- Incremental per report: a rating depends on its own report and on the reference seeds
-- (broker, industry, company, rating scale and actions) only; a change in those re-maps every
-- rating.
{%- set reference = [ref('brokers'), ref('shenwan_industries'), ref('companies'), ref('rating_scale'),
                     ref('rating_actions')] %}
select
    rating_id,
    report_id,
    broker_id,
    published_at,
    scope,
    industry_id,
    company_id,
    target_id,
    rating_raw,
    rating_std,
    rating_score,
    action_raw,
    action_std,
    is_rating_mapped,
    is_action_mapped,
    cited_pages,
    char_start,
    char_end,
    loaded_at,
    {{ reference_version(reference) }} as reference_version,
    {{ built_at() }} as built_at,
    {{ report_time_columns('published_at', with_published_at=false) }}
from {{ ref('int_ratings') }} as ratings
where {{ reports_loaded_since_last_run('ratings', reference) }}
