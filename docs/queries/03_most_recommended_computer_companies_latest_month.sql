-- Question: Which companies were recommended by the most brokers in the computer industry (计算机) in its latest month with recommendations (this month, when it had any)?
with computer_recommendations as (
    select recs.*
    from marts.fct_recommendation as recs
    join marts.dim_report as reports using (report_id)
    join marts.dim_industry as industries on industries.industry_id = reports.industry_id
    where industries.name_cn = '计算机'
),

latest_month as (
    select max(date_trunc('month', published_at)) as month_start from computer_recommendations
)

select
    coalesce(companies.name_en, recs.company_name_raw) as company,
    recs.company_id,
    count(distinct recs.broker_id) as n_brokers,
    count(distinct recs.report_id) as n_reports,
    string_agg(distinct recs.company_name_raw, ' | ') as names_as_written,
    string_agg(distinct recs.theme, ' | ') as themes
from computer_recommendations as recs
join latest_month on date_trunc('month', recs.published_at) = latest_month.month_start
left join marts.dim_company as companies on companies.company_id = recs.company_id
-- unresolved companies are grouped by the name as written
group by 1, 2
order by n_brokers desc, n_reports desc, company;
