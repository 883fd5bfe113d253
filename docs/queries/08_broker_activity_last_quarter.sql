-- Question: Which brokers published the most reports in the last 13 ISO weeks before the latest report, and on which industries?
with reference as (
    select max(published_at)::date as reference_date from marts.dim_report
)
select
    brokers.name_en as broker,
    coalesce(industries.name_en, '(no industry)') as industry,
    sum(activity.n_reports) as n_reports,
    sum(activity.n_company_reports) as n_company_reports,
    sum(activity.n_industry_reports) as n_industry_reports,
    sum(activity.n_ratings) as n_ratings
from marts.report_activity_weekly as activity
cross join reference
left join marts.dim_broker as brokers using (broker_id)
left join marts.dim_industry as industries using (industry_id)
where activity.week_start > date_trunc('week', reference.reference_date) - interval 13 week
group by 1, 2
order by n_reports desc, broker, industry;
