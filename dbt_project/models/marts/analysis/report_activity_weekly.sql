-- Reports per ISO week x broker x industry (sum over any of the three for coarser views).
with ratings as (
    select
        report_id,
        count(*) as n_ratings
    from {{ ref('fct_rating') }}
    group by report_id
)

select
    md5(dates.iso_year_week || '|' || coalesce(reports.broker_id, '') || '|' || coalesce(reports.industry_id, ''))
        as activity_id,
    dates.iso_year_week,
    dates.iso_year,
    dates.iso_week,
    min(dates.week_start) as week_start,
    reports.broker_id,
    reports.industry_id,
    count(*) as n_reports,
    count(*) filter (where reports.report_type = 'industry') as n_industry_reports,
    count(*) filter (where reports.report_type = 'company') as n_company_reports,
    count(*) filter (where reports.report_type = 'strategy') as n_strategy_reports,
    count(*) filter (where reports.report_type = 'macro') as n_macro_reports,
    count(*) filter (where reports.report_type not in ('industry', 'company', 'strategy', 'macro')) as n_other_reports,
    count(distinct reports.subject_company_id) as n_companies_covered,
    coalesce(sum(ratings.n_ratings), 0) as n_ratings
from {{ ref('dim_report') }} as reports
join {{ ref('dim_date') }} as dates on dates.date_day = reports.published_date
left join ratings using (report_id)
group by dates.iso_year_week, dates.iso_year, dates.iso_week, reports.broker_id, reports.industry_id
