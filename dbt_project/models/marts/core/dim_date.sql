-- Calendar days covering every report: at least 2015-2030, widened to whole years around the
-- data. Derived from the data rather than today so a rebuild gives the same table.
with bounds as (
    select
        least(date '2015-01-01', date_trunc('year', min(published_at))::date) as first_day,
        greatest(date '2030-12-31', (date_trunc('year', max(published_at)) + interval 1 year - interval 1 day)::date)
            as last_day
    from {{ ref('stg_raw__reports') }}
),

days as (
    select unnest(generate_series(first_day, last_day, interval 1 day))::date as date_day
    from bounds
)

select
    date_day,
    year(date_day)::integer as year,
    quarter(date_day)::integer as quarter,
    month(date_day)::integer as month,
    isoyear(date_day)::integer as iso_year,
    weekofyear(date_day)::integer as iso_week,
    isodow(date_day)::integer as day_of_week,
    date_trunc('week', date_day)::date as week_start,
    date_trunc('month', date_day)::date as month_start,
    strftime(date_day, '%Y-%m') as year_month,
    strftime(date_day, '%G-W%V') as iso_year_week
from days
