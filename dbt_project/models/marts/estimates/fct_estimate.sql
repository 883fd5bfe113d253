{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='report_id',
    on_schema_change='append_new_columns',
    post_hook="
        {% if is_incremental() %}
        -- Rows of a report that left the build, was loaded again, or now resolves to another
        -- broker or subject company (and so may have no estimates any more): delete+insert only
        -- replaces reports that are in the new batch.
        delete from {{ this }} as estimate
        where not exists (
            select 1 from {{ ref('dim_report') }} as report
            where report.report_id = estimate.report_id
              and report.loaded_at = estimate.loaded_at
              and report.subject_company_id = estimate.company_id
              and report.broker_id is not distinct from estimate.broker_id
        )
        {% else %}select 1{% endif %}"
) }}

-- A report's estimates carry the same broker's previous estimate of the same series, which can
-- live in another report. So an incremental run recomputes whole broker x company histories:
-- those of the reports it has not built yet (new, re-extracted, or resolved again to another
-- broker/company) and those of the rows it holds whose report changed or left. Histories are a
-- broker's reports on one company: a late-arriving older report re-links its successors, and
-- the run still reads only the touched histories, not the whole table.
with reports as (
    select
        report_id,
        loaded_at,
        broker_id,
        subject_company_id as company_id,
        published_at
    from {{ ref('dim_report') }}
    -- estimates are about the subject company of a company report; other figures have no company
    where subject_company_id is not null
),

{% if is_incremental() %}
touched_histories as (
    select reports.broker_id, reports.company_id
    from reports
    where not exists (
        select 1 from {{ this }} as built
        where built.report_id = reports.report_id
          and built.loaded_at = reports.loaded_at
          and built.company_id = reports.company_id
          and built.broker_id is not distinct from reports.broker_id
    )
    union
    select built.broker_id, built.company_id
    from {{ this }} as built
    where not exists (
        select 1 from reports
        where reports.report_id = built.report_id
          and reports.loaded_at = built.loaded_at
          and reports.company_id = built.company_id
          and reports.broker_id is not distinct from built.broker_id
    )
),

batch_reports as (
    select reports.*
    from reports
    where exists (
        select 1 from touched_histories as touched
        where touched.company_id = reports.company_id
          and touched.broker_id is not distinct from reports.broker_id
    )
),
{% else %}
    batch_reports as (
        select * from reports
    ),
{% endif %}

forecast_figures as (
    select
        metrics.metric_id,
        metrics.report_id,
        metrics.claim_id,
        metrics.metric_seq,
        metrics.char_start,
        batch_reports.broker_id,
        batch_reports.company_id,
        batch_reports.published_at,
        batch_reports.loaded_at,
        metrics.measure,
        metrics.fiscal_year,
        -- a forecast loss is a negative net profit
        metrics.signed_value as value,
        metrics.unit,
        -- SPEC: a target price has no denominator; "yuan per share" is the same quantity, so
        -- it must land in the same series as "yuan"
        case when metrics.measure = 'target_price' then null else metrics.per_unit end as per_unit
    from {{ ref('fct_metric') }} as metrics
    join batch_reports on batch_reports.report_id = metrics.report_id
    -- estimates are levels; a growth rate is a change, not an estimate of the measure
    where metrics.change_basis = 'level'
        and metrics.signed_value is not null
        and metrics.is_forecast
),

-- One estimate per report and series: a report that states the same company x measure x year
-- x unit twice (e.g. "PE of 20/16/13x" and later "25x 2025 PE" as the target multiple) keeps
-- the first in reading order.
report_estimates as (
    select *
    from forecast_figures
    qualify row_number() over (
            partition by report_id, measure, fiscal_year, unit, per_unit
            order by char_start nulls last, metric_seq
        ) = 1
),

sequenced as (
    select
        *,
        -- a broker's previous estimate of the series; without a broker there is no "same broker"
        case when broker_id is not null then lag(report_id) over series end as previous_report_id,
        case when broker_id is not null then lag(value) over series end as previous_value,
        case when broker_id is not null then lag(published_at) over series end as previous_published_at
    from report_estimates
    window series as (
        partition by broker_id, company_id, measure, fiscal_year, unit, per_unit
        order by published_at, report_id
    )
)

select
    report_id || '-' || measure || '-' || coalesce(fiscal_year::varchar, 'na') || '-' || unit
    || coalesce('-per-' || per_unit, '') as estimate_id,
    report_id,
    metric_id,
    claim_id,
    broker_id,
    company_id,
    measure,
    fiscal_year,
    value,
    unit,
    per_unit,
    published_at,
    published_at::date as published_date,
    previous_report_id,
    previous_value,
    previous_published_at,
    value - previous_value as revision,
    -- relative to the size of the previous estimate, so a narrower loss is a revision up
    100 * (value - previous_value) / nullif(abs(previous_value), 0) as revision_pct,
    loaded_at,
    {{ built_at() }} as built_at
from sequenced
