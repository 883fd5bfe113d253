-- Question: Which companies were recommended by the most brokers in the computer industry (计算机) this month (the month of the latest report)?
with reference as (
    select max(published_at) as reference_at from marts.dim_report
)
select
    coalesce(companies.name_en, recs.company_name_raw) as company,
    recs.company_id,
    count(distinct recs.broker_id) as n_brokers,
    count(distinct recs.report_id) as n_reports,
    string_agg(distinct recs.theme, ' | ') as themes
from marts.fct_recommendation as recs
join marts.dim_report as reports using (report_id)
join marts.dim_industry as industries on industries.industry_id = reports.industry_id
left join marts.dim_company as companies on companies.company_id = recs.company_id
cross join reference
where industries.name_cn = '计算机'
  and date_trunc('month', recs.published_at) = date_trunc('month', reference.reference_at)
group by 1, 2
order by n_brokers desc, n_reports desc, company;
