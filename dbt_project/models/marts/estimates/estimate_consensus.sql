{{ config(materialized='view') }}
-- A view like the analysis marts: the rows for the dates on which an estimate goes stale depend
-- on the reference date (the latest report), which every new report moves. Recomputed on read
-- from fct_estimate (one row per report x series, a few per company report), it is always exact
-- and costs the build nothing; publishing copies it into a table.
{%- set stale_days = var('estimate_stale_days', var('stale_rating_days', 180)) %}

with estimates as (
    select
        concat_ws('|', company_id, measure, coalesce(fiscal_year::varchar, ''), unit, coalesce(per_unit, ''))
            as series_key,
        company_id,
        measure,
        fiscal_year,
        unit,
        per_unit,
        broker_id,
        report_id,
        published_at,
        published_date,
        value,
        revision,
        -- the day this estimate stops counting as stale, unless the broker replaced it before
        published_date + {{ stale_days }} + 1 as expires_on,
        lead(published_date) over (
            partition by broker_id, company_id, measure, fiscal_year, unit, per_unit
            order by published_at, report_id
        ) as superseded_on
    from {{ ref('fct_estimate') }}
    -- an estimate without a broker cannot be told apart from another broker's
    where broker_id is not null
),

series as (
    select distinct
        series_key,
        company_id,
        measure,
        fiscal_year,
        unit,
        per_unit
    from estimates
),

-- Every date on which the consensus of a series changed: a broker published an estimate, or a
-- broker's latest estimate went stale (up to the reference date: nothing is known after it).
change_dates as (
    select
        series_key,
        published_date as as_of_date
    from estimates
    union
    select
        estimates.series_key,
        estimates.expires_on
    from estimates
    cross join {{ ref('int_reference_date') }} as reference
    where estimates.expires_on <= reference.reference_date
        and (estimates.superseded_on is null or estimates.superseded_on > estimates.expires_on)
),

-- Each broker's latest estimate as of each date: a later one of the same broker supersedes it.
standing as (
    select
        change_dates.as_of_date,
        estimates.*,
        estimates.published_date >= change_dates.as_of_date - {{ stale_days }} as is_current
    from change_dates
    join estimates
        on estimates.series_key = change_dates.series_key
        and estimates.published_date <= change_dates.as_of_date
        -- only each broker's standing estimate: the join stays dates x brokers, not dates x estimates
        and (estimates.superseded_on is null or estimates.superseded_on > change_dates.as_of_date)
    qualify row_number() over (
            partition by change_dates.series_key, change_dates.as_of_date, estimates.broker_id
            order by estimates.published_at desc, estimates.report_id desc
        ) = 1
),

summary as (
    select
        series_key,
        as_of_date,
        count(*) filter (where is_current) as n_brokers,
        avg(value) filter (where is_current) as mean_value,
        median(value) filter (where is_current) as median_value,
        max(value) filter (where is_current) as high_value,
        min(value) filter (where is_current) as low_value,
        stddev_samp(value) filter (where is_current) as stddev_value,
        count(*) filter (where is_current and revision > 0 and published_date > as_of_date - 30) as n_revised_up_30d,
        count(*) filter (where is_current and revision < 0 and published_date > as_of_date - 30) as n_revised_down_30d,
        count(*) filter (where not is_current) as n_stale_brokers,
        count(*) filter (where published_date = as_of_date) as n_new_estimates,
        max(published_at) filter (where is_current) as latest_estimate_at
    from standing
    group by series_key, as_of_date
)

select
    series.company_id || '-' || series.measure || '-' || coalesce(series.fiscal_year::varchar, 'na') || '-'
    || series.unit || coalesce('-per-' || series.per_unit, '') || '-' || strftime(summary.as_of_date, '%Y-%m-%d')
        as consensus_id,
    series.company_id,
    series.measure,
    series.fiscal_year,
    series.unit,
    series.per_unit,
    summary.as_of_date,
    summary.n_brokers,
    summary.mean_value,
    summary.median_value,
    summary.high_value,
    summary.low_value,
    summary.stddev_value,
    summary.n_revised_up_30d,
    summary.n_revised_down_30d,
    summary.n_stale_brokers,
    summary.n_new_estimates,
    summary.latest_estimate_at
from summary
join series using (series_key)
