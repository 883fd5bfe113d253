-- Question: Which ratings were upgraded, downgraded or initiated this week (the ISO week of the latest report)?
with reference as (
    select max(published_at) as reference_at from marts.dim_report
)
select
    changes.published_at,
    brokers.name_en as broker,
    changes.scope,
    coalesce(companies.name_cn, industries.name_cn) as target,
    changes.previous_rating_std,
    changes.rating_std,
    changes.action_raw,
    changes.change_type,
    changes.is_disagreement
from marts.fct_rating_change as changes
cross join reference
join marts.dim_broker as brokers using (broker_id)
left join marts.dim_company as companies on companies.company_id = changes.company_id
left join marts.dim_industry as industries on industries.industry_id = changes.industry_id
where date_trunc('week', changes.published_at) = date_trunc('week', reference.reference_at)
  and changes.change_type <> 'reiteration'
order by changes.published_at desc;
