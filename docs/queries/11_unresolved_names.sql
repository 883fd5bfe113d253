-- Question: Which brokers, recommended companies and mentioned organisations do the reports name that the reference data does not know yet (candidates for the seeds)?
select 'broker' as kind, coalesce(name_cn, name_en) as name_as_written, count(*) as n_reports
from marts.dim_broker
join marts.dim_report using (broker_id)
where not dim_broker.is_resolved
group by 1, 2
union all
select 'recommended company', company_name_raw, count(distinct report_id)
from marts.fct_recommendation
where not is_company_resolved
group by 1, 2
union all
-- organisations other than companies (regulators, ministries) show up here too
select 'mentioned organisation', entity_name, count(distinct report_id)
from marts.fct_entity_mention
where not is_company_resolved
group by 1, 2
order by n_reports desc, kind, name_as_written;
