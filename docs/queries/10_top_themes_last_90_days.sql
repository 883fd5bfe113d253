-- Question: Which investment themes gathered the most brokers over the 90 days before the latest report, and with which companies?
with reference as (
    select max(published_at) as reference_at from marts.dim_report
)
select
    lower(recs.theme) as theme,
    count(distinct recs.broker_id) as n_brokers,
    count(distinct recs.report_id) as n_reports,
    string_agg(distinct coalesce(companies.name_en, recs.company_name_raw), ', ') as companies
from marts.fct_recommendation as recs
cross join reference
left join marts.dim_company as companies using (company_id)
where recs.published_at > reference.reference_at - interval 90 day
group by 1
order by n_brokers desc, n_reports desc, theme;
